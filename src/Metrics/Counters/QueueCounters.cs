using System.Runtime.InteropServices;

namespace Wallboard.Metrics.Counters;

/// <summary>
/// Additive figures of one queue in one interval. Only counts and sums (and one maximum) are
/// kept, never averages, so any roll-up recomputes every ratio exactly.
/// </summary>
[StructLayout(LayoutKind.Auto)]
public struct QueueCounters
{
    public long Offered;
    public long Answered;
    public long Abandoned;
    public long ShortAbandoned;
    public long TimedOut;
    public long ExitedKey;
    public long ExitedEmpty;
    public long AnsweredWithinSl;

    /// <summary>Non-short abandons with a wait within the service-level threshold.</summary>
    public long AbandonedWithinSl;

    public long AnsweredWithinRings;

    /// <summary>Answered calls whose ring time at the answering agent is known.</summary>
    public long RingKnown;

    /// <summary>Total queue wait of answered calls.</summary>
    public long AnsweredWaitMs;

    public long Handled;
    public long TalkMs;
    public long HoldMs;
    public long WrapUpMs;

    /// <summary>Total wait of non-short abandons.</summary>
    public long AbandonWaitMs;

    /// <summary>Largest wait of any outcome; rolls up by maximum.</summary>
    public long MaxWaitMs;

    /// <summary>
    /// Callers the system took out of the queue (queue_log WITHDRAW), e.g. to call them back. Last, as
    /// it came last: the stored fields follow this order (<see cref="History.HistorySchema"/>).
    /// </summary>
    public long Withdrawn;

    public void Add(in QueueCounters other)
    {
        Offered += other.Offered;
        Answered += other.Answered;
        Abandoned += other.Abandoned;
        ShortAbandoned += other.ShortAbandoned;
        TimedOut += other.TimedOut;
        ExitedKey += other.ExitedKey;
        ExitedEmpty += other.ExitedEmpty;
        Withdrawn += other.Withdrawn;
        AnsweredWithinSl += other.AnsweredWithinSl;
        AbandonedWithinSl += other.AbandonedWithinSl;
        AnsweredWithinRings += other.AnsweredWithinRings;
        RingKnown += other.RingKnown;
        AnsweredWaitMs += other.AnsweredWaitMs;
        Handled += other.Handled;
        TalkMs += other.TalkMs;
        HoldMs += other.HoldMs;
        WrapUpMs += other.WrapUpMs;
        AbandonWaitMs += other.AbandonWaitMs;
        MaxWaitMs = Math.Max(MaxWaitMs, other.MaxWaitMs);
    }
}
