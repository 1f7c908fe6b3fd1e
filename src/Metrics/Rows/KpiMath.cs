namespace Wallboard.Metrics.Rows;

/// <summary>Ratios and conversions shared by every row type.</summary>
internal static class KpiMath
{
    /// <summary>A fraction, or null when the denominator is zero (a ratio of nothing is unknown, not 0 %).</summary>
    public static double? Ratio(long numerator, long denominator) =>
        denominator <= 0 ? null : (double)numerator / denominator;

    /// <summary>An average in seconds of a millisecond sum, or null when there is nothing to average.</summary>
    public static double? AverageSeconds(long totalMs, long count) =>
        count <= 0 ? null : totalMs / 1000.0 / count;

    public static double Seconds(long ms) => ms / 1000.0;
}
