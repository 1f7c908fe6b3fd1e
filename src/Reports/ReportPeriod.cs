namespace Wallboard.Reports;

/// <summary>How much time a report covers, in the local calendar of its time zone.</summary>
public enum ReportPeriod
{
    /// <summary>One local day, midnight to midnight.</summary>
    Daily,

    /// <summary>The ISO week (Monday to Sunday) containing the date.</summary>
    Weekly,

    /// <summary>The calendar month containing the date.</summary>
    Monthly,
}
