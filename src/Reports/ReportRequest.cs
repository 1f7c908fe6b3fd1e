namespace Wallboard.Reports;

/// <summary>What to report on.</summary>
/// <param name="Period">A day, the ISO week containing <paramref name="Date"/>, or the calendar month containing it.</param>
/// <param name="Date">Any day of the period, in <paramref name="TimeZone"/>.</param>
/// <param name="TimeZone">IANA zone whose local calendar defines the period and the intervals (e.g. Asia/Shanghai).</param>
/// <param name="Queues">The queues to report on; null or empty for all. Agents and campaigns are not filtered: history does not link them to queues.</param>
/// <param name="Language"><c>en</c> or <c>zh-CN</c>.</param>
public sealed record ReportRequest(ReportPeriod Period, DateOnly Date, string TimeZone, IReadOnlyList<string>? Queues, string Language = "en");
