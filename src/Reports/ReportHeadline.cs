namespace Wallboard.Reports;

/// <summary>A figure for the reported period and the one before it.</summary>
/// <param name="Current">This period's value; null when there is nothing to compute it from (e.g. no calls).</param>
/// <param name="Previous">The previous period's value, or null.</param>
public sealed record KpiComparison(double? Current, double? Previous)
{
    /// <summary>Current − previous, or null when either is unknown. Ratios change in fractions (0.05 = 5 points).</summary>
    public double? Change => Current is { } current && Previous is { } previous ? current - previous : null;

    /// <summary>The value of the same weekday a week before (daily reports), or null.</summary>
    public double? WeekAgo { get; init; }

    /// <summary>The comparison with <see cref="WeekAgo"/> in place of <see cref="Previous"/>.</summary>
    public KpiComparison AgainstWeekAgo => new(Current, WeekAgo);
}

/// <summary>
/// The headline figures over all reported queues. Ratios are fractions (0.85 = 85 %), times are
/// seconds. Every ratio is computed from summed counters, exactly as the queue rows are.
/// </summary>
/// <param name="Period">The reported period.</param>
/// <param name="PreviousPeriod">The period the changes are measured against.</param>
/// <param name="Offered">Calls offered.</param>
/// <param name="Answered">Calls answered.</param>
/// <param name="ServiceLevel">Service level with the configured formula.</param>
/// <param name="RingRate">Share of answered calls (whose ring time is known) answered within the configured rings.</param>
/// <param name="AsaSeconds">Average speed of answer.</param>
/// <param name="AhtSeconds">Average handle time (talk + hold + wrap-up per handled call).</param>
/// <param name="AbandonRate">Non-short abandons over offered less short abandons.</param>
/// <param name="ConversionRate">Outbound campaign conversions over contacts.</param>
/// <param name="ServiceLevelTarget">The service-level target the report measured against.</param>
/// <param name="RingRateTarget">The ring-rate target.</param>
public sealed record ReportHeadline(
    ReportRange Period,
    ReportRange PreviousPeriod,
    KpiComparison Offered,
    KpiComparison Answered,
    KpiComparison ServiceLevel,
    KpiComparison RingRate,
    KpiComparison AsaSeconds,
    KpiComparison AhtSeconds,
    KpiComparison AbandonRate,
    KpiComparison ConversionRate,
    double ServiceLevelTarget,
    double RingRateTarget)
{
    /// <summary>The same weekday a week before, which a daily report also compares with; null for weeks and months.</summary>
    public ReportRange? WeekAgoPeriod { get; init; }

    /// <summary>The highest acceptable abandon rate, or null for none.</summary>
    public double? AbandonRateTarget { get; init; }

    /// <summary>The highest acceptable ASA in seconds, or null for none.</summary>
    public double? AsaTargetSeconds { get; init; }

    /// <summary>The rings of the ring rate ("answered within 3 rings").</summary>
    public int Rings { get; init; } = 3;
}
