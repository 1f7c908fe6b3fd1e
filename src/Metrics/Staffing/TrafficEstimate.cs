using Wallboard.Metrics.Counters;

namespace Wallboard.Metrics.Staffing;

/// <summary>A queue's traffic as measured over a window of its counters.</summary>
/// <param name="ArrivalsPerHour">Calls offered per hour, short abandons excluded, calls still waiting included.</param>
/// <param name="AhtSeconds">(talk + hold + wrap-up) / handled; null when nothing was handled.</param>
/// <param name="PatienceSeconds">Total wait of answered and abandoned calls / abandons; null with fewer abandons than asked for.</param>
public readonly record struct TrafficEstimate(double ArrivalsPerHour, double? AhtSeconds, double? PatienceSeconds)
{
    /// <summary>
    /// Estimates from the counters of <paramref name="windowSeconds"/>. Patience is the maximum-likelihood
    /// estimate of an exponential patience observed in censored waits: every answered call was still
    /// patient when answered, so all waiting time counts and only abandons end a patience. Short
    /// abandons (misdials) count in neither arrivals nor abandons, consistently with the service level.
    /// </summary>
    /// <param name="counters">The queue's counters summed over the window.</param>
    /// <param name="windowSeconds">The window's length.</param>
    /// <param name="waitingNow">Calls waiting now: arrived, but not yet counted as offered (a call is counted at its outcome).</param>
    /// <param name="minAbandons">Fewer abandons than this leave the patience unknown: one abandon is no estimate.</param>
    public static TrafficEstimate From(in QueueCounters counters, double windowSeconds, int waitingNow = 0, int minAbandons = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(windowSeconds);
        var arrivals = counters.Offered - counters.ShortAbandoned + waitingNow;
        var abandons = counters.Abandoned - counters.ShortAbandoned;
        var waitMs = counters.AnsweredWaitMs + counters.AbandonWaitMs;
        return new TrafficEstimate(
            Math.Max(0, arrivals) * 3600.0 / windowSeconds,
            counters.Handled > 0 ? (counters.TalkMs + counters.HoldMs + counters.WrapUpMs) / 1000.0 / counters.Handled : null,
            abandons >= Math.Max(1, minAbandons) && waitMs > 0 ? waitMs / 1000.0 / abandons : null);
    }
}
