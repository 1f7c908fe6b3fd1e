using System.Globalization;
using NodaTime;
using Wallboard.Reports;

namespace Wallboard.Hub.Reports;

/// <summary>What to render: the period containing <see cref="Date"/> (its first day for scheduled reports).</summary>
internal sealed record ReportOrder(ReportKind Kind, DateOnly Date, string TimeZone, IReadOnlyList<string>? Queues, string Language);

/// <summary>A rendered report: the PDF, its names and the headline for the email body.</summary>
/// <param name="Pdf">The document.</param>
/// <param name="Title">The report's title (email subject and body).</param>
/// <param name="FileName">The attachment's and download's file name.</param>
/// <param name="Headline">The headline KPIs, this period against the ones compared with, and their targets, in the report's language.</param>
/// <param name="Complete">False when history is behind the period's end: the numbers would be wrong.</param>
/// <param name="IncompleteReason">Why it is incomplete (e.g. "history is behind: written up to …").</param>
/// <param name="Summary">The report's one-sentence summary, in its language.</param>
internal sealed record RenderedReport(
    byte[] Pdf,
    string Title,
    string FileName,
    IReadOnlyList<HeadlineRow> Headline,
    bool Complete,
    string? IncompleteReason,
    string? Summary = null);

/// <summary>
/// The seam between delivery (schedule, keep, mail, serve) and the PDF generator, so the rules of
/// delivery — wait while history is behind, keep the file, send once — are tested on their own.
/// </summary>
internal interface IReportRenderer
{
    Task<RenderedReport> RenderAsync(ReportOrder order, CancellationToken cancellationToken);
}

/// <summary>Calendar arithmetic of report periods in a report's zone.</summary>
internal static class ReportPeriods
{
    /// <summary>The first day of the period that ended last before <paramref name="now"/> in <paramref name="zone"/>: yesterday, last ISO week's Monday, last month's 1st.</summary>
    public static DateOnly JustEnded(ReportKind kind, string zone, DateTimeOffset now)
    {
        var today = Instant.FromDateTimeOffset(now).InZone(DateTimeZoneProviders.Tzdb[zone]).Date;
        var first = kind switch
        {
            ReportKind.Daily => today.PlusDays(-1),
            ReportKind.Weekly => today.PlusDays(-((int)today.DayOfWeek - 1) - 7),
            _ => new LocalDate(today.Year, today.Month, 1).PlusMonths(-1),
        };
        return first.ToDateOnly();
    }

    /// <summary>The first day of the period containing <paramref name="date"/>.</summary>
    public static DateOnly FirstDay(ReportKind kind, DateOnly date) => kind switch
    {
        ReportKind.Daily => date,
        ReportKind.Weekly => date.AddDays(-(((int)date.DayOfWeek + 6) % 7)),
        _ => new DateOnly(date.Year, date.Month, 1),
    };

    /// <summary>A stable name of the period: <c>2026-11-27</c>, <c>2026-W48</c>, <c>2026-11</c> (file names, subjects).</summary>
    public static string Key(ReportKind kind, DateOnly date) => kind switch
    {
        ReportKind.Daily => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        ReportKind.Weekly => string.Create(CultureInfo.InvariantCulture, $"{ISOWeek.GetYear(date.ToDateTime(TimeOnly.MinValue))}-W{ISOWeek.GetWeekOfYear(date.ToDateTime(TimeOnly.MinValue)):00}"),
        _ => date.ToString("yyyy-MM", CultureInfo.InvariantCulture),
    };
}
