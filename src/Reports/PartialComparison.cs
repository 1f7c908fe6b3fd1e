using Wallboard.Metrics.History;

namespace Wallboard.Reports;

/// <summary>
/// A period a report compares with whose calls start clearly later, or end clearly earlier, than
/// this period's: history began inside it, or a gap in the feed cut it short, and a change against
/// it would mislead. "Clearly" is more than an hour for a day and more than a day for a week or a
/// month, so a centre's ordinary shorter day does not raise it while a half-stored one does.
/// </summary>
/// <param name="Period">The period compared with.</param>
/// <param name="FirstMs">Start of its first interval with calls.</param>
/// <param name="EndMs">End of its last interval with calls.</param>
internal sealed record PartialComparison(ReportRange Period, long FirstMs, long EndMs)
{
    private const long HourMs = 3_600_000;

    /// <summary>The comparison with <paramref name="other"/>, when it is partial against <paramref name="period"/>; else null.</summary>
    public static PartialComparison? Of(ReportRange period, IReadOnlyList<HistoryPoint> current, ReportRange other, IReadOnlyList<HistoryPoint> otherPoints)
    {
        if (Span(current) is not var (first, end) || Span(otherPoints) is not var (otherFirst, otherEnd))
        {
            return null;
        }

        var slack = period.Period == ReportPeriod.Daily ? HourMs : 24 * HourMs;
        var startsLater = otherFirst - other.StartMs > first - period.StartMs + slack;
        var endsEarlier = other.EndMs - otherEnd > period.EndMs - end + slack;
        return startsLater || endsEarlier ? new PartialComparison(other, otherFirst, otherEnd) : null;
    }

    /// <summary>The first start and the last end of the intervals with calls offered.</summary>
    private static (long First, long End)? Span(IReadOnlyList<HistoryPoint> points)
    {
        long first = long.MaxValue, end = long.MinValue;
        foreach (var point in points)
        {
            if (point.QueueCounters.Offered > 0)
            {
                first = Math.Min(first, point.IntervalStartMs);
                end = Math.Max(end, point.IntervalStartMs + HistoryPoint.IntervalMs);
            }
        }

        return first == long.MaxValue ? null : (first, end);
    }
}
