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
    /// Callers the system took out of the queue (queue_log WITHDRAW), e.g. to call them back. After
    /// the fields before it, as it came after them: the stored fields follow this order
    /// (<see cref="History.HistorySchema"/>).
    /// </summary>
    public long Withdrawn;

    // Answered and non-short abandoned calls by wait, cumulative at the edges of WaitBands (≤ 10 s,
    // ≤ 20 s, … ≤ 5 min), like answered_within_sl: each stays additive, and the report's wait
    // distribution is their differences. Added after withdrawn, so they come last in storage too.
    public long AnsweredWithinTenSeconds;
    public long AnsweredWithinTwentySeconds;
    public long AnsweredWithinThirtySeconds;
    public long AnsweredWithinOneMinute;
    public long AnsweredWithinTwoMinutes;
    public long AnsweredWithinFiveMinutes;
    public long AbandonedWithinTenSeconds;
    public long AbandonedWithinTwentySeconds;
    public long AbandonedWithinThirtySeconds;
    public long AbandonedWithinOneMinute;
    public long AbandonedWithinTwoMinutes;
    public long AbandonedWithinFiveMinutes;

    /// <summary>Counts an answered call's wait in the bands it is within.</summary>
    public void CountAnsweredWait(long waitMs) => CountWait(
        waitMs, ref AnsweredWithinTenSeconds, ref AnsweredWithinTwentySeconds, ref AnsweredWithinThirtySeconds,
        ref AnsweredWithinOneMinute, ref AnsweredWithinTwoMinutes, ref AnsweredWithinFiveMinutes);

    /// <summary>Counts a non-short abandon's wait in the bands it is within.</summary>
    public void CountAbandonedWait(long waitMs) => CountWait(
        waitMs, ref AbandonedWithinTenSeconds, ref AbandonedWithinTwentySeconds, ref AbandonedWithinThirtySeconds,
        ref AbandonedWithinOneMinute, ref AbandonedWithinTwoMinutes, ref AbandonedWithinFiveMinutes);

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
        AnsweredWithinTenSeconds += other.AnsweredWithinTenSeconds;
        AnsweredWithinTwentySeconds += other.AnsweredWithinTwentySeconds;
        AnsweredWithinThirtySeconds += other.AnsweredWithinThirtySeconds;
        AnsweredWithinOneMinute += other.AnsweredWithinOneMinute;
        AnsweredWithinTwoMinutes += other.AnsweredWithinTwoMinutes;
        AnsweredWithinFiveMinutes += other.AnsweredWithinFiveMinutes;
        AbandonedWithinTenSeconds += other.AbandonedWithinTenSeconds;
        AbandonedWithinTwentySeconds += other.AbandonedWithinTwentySeconds;
        AbandonedWithinThirtySeconds += other.AbandonedWithinThirtySeconds;
        AbandonedWithinOneMinute += other.AbandonedWithinOneMinute;
        AbandonedWithinTwoMinutes += other.AbandonedWithinTwoMinutes;
        AbandonedWithinFiveMinutes += other.AbandonedWithinFiveMinutes;
    }

    /// <summary>Adds the wait to each band whose edge it is within (≤, like the service-level threshold); no branches, as the hot path likes.</summary>
    private static void CountWait(long waitMs, ref long ten, ref long twenty, ref long thirty, ref long minute, ref long twoMinutes, ref long fiveMinutes)
    {
        ten += Within(waitMs, 10);
        twenty += Within(waitMs, 20);
        thirty += Within(waitMs, 30);
        minute += Within(waitMs, 60);
        twoMinutes += Within(waitMs, 120);
        fiveMinutes += Within(waitMs, 300);
    }

    private static long Within(long waitMs, int edgeSeconds) => waitMs <= edgeSeconds * 1000L ? 1 : 0;
}
