namespace Wallboard.Reports;

/// <summary>A figure for the reported period and the one before it.</summary>
/// <param name="Current">This period's value; null when there is nothing to compute it from (e.g. no calls).</param>
/// <param name="Previous">The previous period's value, or null.</param>
public sealed record KpiComparison(double? Current, double? Previous)
{
    /// <summary>Current − previous, or null when either is unknown. Ratios change in fractions (0.05 = 5 points).</summary>
    public double? Change => Current is { } current && Previous is { } previous ? current - previous : null;
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
    double RingRateTarget);
