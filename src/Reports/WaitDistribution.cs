using Wallboard.Metrics.Counters;
using Wallboard.Metrics.History;

namespace Wallboard.Reports;

/// <summary>
/// Answered calls and non-short abandons by wait band (<see cref="WaitBands"/>: up to 10 s, 20 s,
/// 30 s, 1, 2, 5 minutes, and over 5 minutes).
/// </summary>
/// <param name="Answered">Answered calls per band; one more band than <see cref="WaitBands.EdgesSeconds"/>.</param>
/// <param name="Abandoned">Non-short abandons per band.</param>
/// <param name="AnsweredTotal">All answered calls of the period, counted in a band or not.</param>
/// <param name="AbandonedTotal">All non-short abandons of the period.</param>
/// <remarks>
/// Intervals stored before the bands were counted read 0 in every band. They are left out — an
/// interval with calls and nothing in any band up to 5 minutes — rather than shown as waits over
/// 5 minutes; <see cref="Covered"/> says how many calls the distribution holds. (An interval
/// whose every call waited over 5 minutes is left out too: rare, and it only narrows the bar.)
/// </remarks>
internal sealed record WaitDistribution(long[] Answered, long[] Abandoned, long AnsweredTotal, long AbandonedTotal)
{
    /// <summary>Calls in the distribution (answered and non-short abandoned).</summary>
    public long Covered => Answered.Sum() + Abandoned.Sum();

    /// <summary>Answered and non-short abandoned calls of the period.</summary>
    public long Total => AnsweredTotal + AbandonedTotal;

    public static WaitDistribution Of(IEnumerable<HistoryPoint> points)
    {
        var banded = default(QueueCounters);
        long answered = 0, abandoned = 0;
        foreach (var point in points)
        {
            var c = point.QueueCounters;
            var nonShort = c.Abandoned - c.ShortAbandoned;
            answered += c.Answered;
            abandoned += nonShort;
            if (c.AnsweredWithinFiveMinutes + c.AbandonedWithinFiveMinutes > 0)
            {
                banded.Add(c);
            }
        }

        return new WaitDistribution(
            WaitBands.PerBand(WaitBands.AnsweredWithin(banded), banded.Answered),
            WaitBands.PerBand(WaitBands.AbandonedWithin(banded), banded.Abandoned - banded.ShortAbandoned),
            answered,
            abandoned);
    }
}
