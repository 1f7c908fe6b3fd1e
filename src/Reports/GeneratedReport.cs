namespace Wallboard.Reports;

/// <summary>A finished report.</summary>
/// <param name="Pdf">The PDF document.</param>
/// <param name="Title">The localised title, e.g. "Daily report 2026-11-27"; fit for an email subject.</param>
/// <param name="FileName">A file name for the attachment, e.g. <c>wallboard-daily-2026-11-27-en.pdf</c>.</param>
/// <param name="Headline">The headline figures, for a short email body.</param>
/// <param name="Complete">False when the history store has not been written up to the end of the period: the numbers would still change, so a scheduled send should wait.</param>
/// <param name="IncompleteReason">Why the data is incomplete, in English; null when complete.</param>
/// <param name="GeneratedAt">When the report was produced (from the generator's TimeProvider), in the report's zone.</param>
public sealed record GeneratedReport(
    byte[] Pdf,
    string Title,
    string FileName,
    ReportHeadline Headline,
    bool Complete,
    string? IncompleteReason,
    DateTimeOffset GeneratedAt)
{
    /// <summary>False when nothing at all was stored for the period (no calls, agents or campaigns): the PDF says so and <c>wallboard report</c> fails.</summary>
    public bool HasData { get; init; } = true;

    /// <summary>The one-sentence summary of page 1, in the report's language.</summary>
    public string Summary { get; init; } = string.Empty;

    /// <summary>The headline KPIs formatted for the email, in the report's language, with their targets.</summary>
    public IReadOnlyList<HeadlineRow> HeadlineRows { get; init; } = [];
}
