namespace Wallboard.Reports;

/// <summary>
/// Every string a report prints, one instance per language (<see cref="English"/>,
/// <see cref="SimplifiedChinese"/>). A record rather than a dictionary so that a string missing
/// from one language is a compile error, not a blank in a manager's PDF.
/// </summary>
internal sealed partial record ReportText
{
    public required string Language { get; init; }

    /// <summary>The culture numbers and dates are written in.</summary>
    public required string CultureName { get; init; }

    public required string DailyTitle { get; init; }
    public required string WeeklyTitle { get; init; }
    public required string MonthlyTitle { get; init; }

    /// <summary>Week label, {0} ISO year, {1} ISO week number.</summary>
    public required string WeekLabel { get; init; }

    /// <summary>Month label, {0} the first day of the month.</summary>
    public required string MonthFormat { get; init; }

    /// <summary>A local day in full ("Fri 27 Nov 2026").</summary>
    public required string DayFormat { get; init; }

    /// <summary>A local day on a chart axis ("27 Nov").</summary>
    public required string ShortDayFormat { get; init; }

    public required string AllQueues { get; init; }
    public required string QueuesLabel { get; init; }
    public required string TimeZoneLabel { get; init; }
    public required string PeriodLabel { get; init; }
    public required string ComparedWith { get; init; }
    public required string Produced { get; init; }

    /// <summary>"page {0} of {1}".</summary>
    public required string PageOf { get; init; }

    public required string IncompleteWarning { get; init; }
    public required string NoHistoryWritten { get; init; }

    /// <summary>{0} the time history is written up to.</summary>
    public required string WrittenUpTo { get; init; }

    public required string Headline { get; init; }
    public required string Offered { get; init; }
    public required string Answered { get; init; }
    public required string Abandoned { get; init; }

    /// <summary>Callers the system took out of the queue (e.g. for a callback).</summary>
    public required string Withdrawn { get; init; }
    public required string ServiceLevel { get; init; }

    /// <summary>"Answered within {0} rings".</summary>
    public required string RingRate { get; init; }

    public required string Asa { get; init; }
    public required string Aht { get; init; }
    public required string AbandonRate { get; init; }
    public required string ConversionRate { get; init; }
    public required string Target { get; init; }
    public required string TargetMet { get; init; }
    public required string TargetMissed { get; init; }

    /// <summary>"{0} vs previous".</summary>
    public required string VersusPrevious { get; init; }

    public required string NoPrevious { get; init; }
    public required string Points { get; init; }

    public required string Charts { get; init; }
    public required string VolumeByHour { get; init; }
    public required string VolumeByHourOfDay { get; init; }
    public required string VolumeByDay { get; init; }
    public required string ServiceLevelByHour { get; init; }
    public required string ServiceLevelByHourOfDay { get; init; }
    public required string ServiceLevelByDay { get; init; }
    public required string AhtByHour { get; init; }
    public required string AhtByDay { get; init; }
    public required string Hour { get; init; }
    public required string Day { get; init; }
    public required string Seconds { get; init; }

    public required string QueuesTable { get; init; }
    public required string Queue { get; init; }
    public required string AgentsTable { get; init; }
    public required string Agent { get; init; }
    public required string Handled { get; init; }
    public required string Login { get; init; }
    public required string Pause { get; init; }
    public required string Occupancy { get; init; }
    public required string Conversions { get; init; }
    public required string CallTarget { get; init; }
    public required string CampaignsTable { get; init; }
    public required string Campaign { get; init; }
    public required string Attempts { get; init; }
    public required string ConnectRate { get; init; }
    public required string MissedHoursTable { get; init; }

    public required string ForecastVsActual { get; init; }

    public required string Forecast { get; init; }

    public required string Actual { get; init; }

    public required string AdherenceTable { get; init; }

    public required string Scheduled { get; init; }

    public required string Adherence { get; init; }

    public required string Conformance { get; init; }

    public required string AdherenceDefinition { get; init; }
    public required string NoMissedHours { get; init; }

    /// <summary>"the {0} worst of {1} hours".</summary>
    public required string WorstOf { get; init; }

    public required string Interval { get; init; }
    public required string Shortfall { get; init; }
    public required string NoData { get; init; }

    /// <summary>The email's table heads: the KPI, this period, the period before.</summary>
    public required string EmailKpi { get; init; }
    public required string EmailThisPeriod { get; init; }
    public required string EmailPrevious { get; init; }
    public required string EmailAttached { get; init; }

    public required string Definitions { get; init; }

    /// <summary>{0} formula, {1} threshold seconds, {2} short-abandon seconds.</summary>
    public required string ServiceLevelDefinition { get; init; }

    /// <summary>{0} rings, {1} seconds per ring.</summary>
    public required string RingDefinition { get; init; }

    public required string OtherDefinitions { get; init; }
    public required string FormulaOffered { get; init; }
    public required string FormulaAnswered { get; init; }
    public required string FormulaAbandonsIgnored { get; init; }
    public required string FormulaAbandonsPositive { get; init; }

    /// <summary>"{0}: {1} s, {2}" for a queue with its own threshold and formula.</summary>
    public required string QueueOverride { get; init; }

    /// <summary>The table for a language tag; en and zh-CN (zh, zh-Hans too).</summary>
    /// <exception cref="ArgumentException">The language is not supported.</exception>
    public static ReportText For(string language) => language switch
    {
        "en" or "en-GB" or "en-US" => English,
        "zh-CN" or "zh" or "zh-Hans" or "zh-Hans-CN" => SimplifiedChinese,
        _ => throw new ArgumentException($"language '{language}' is not supported; use en or zh-CN", nameof(language)),
    };

    public string Formula(Metrics.ServiceLevelFormula formula) => formula switch
    {
        Metrics.ServiceLevelFormula.Answered => FormulaAnswered,
        Metrics.ServiceLevelFormula.AbandonsIgnored => FormulaAbandonsIgnored,
        Metrics.ServiceLevelFormula.AbandonsPositive => FormulaAbandonsPositive,
        _ => FormulaOffered,
    };
}
