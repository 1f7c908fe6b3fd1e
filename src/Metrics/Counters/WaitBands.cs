namespace Wallboard.Metrics.Counters;

/// <summary>
/// The fixed wait bands of the queue counters: answered and non-short abandoned calls are counted
/// within 10 s, 20 s, 30 s, 1, 2 and 5 minutes (a wait equal to an edge is within it). Fixed rather
/// than configured so that stored history stays comparable when a threshold changes.
/// </summary>
public static class WaitBands
{
    /// <summary>The band edges in seconds, ascending.</summary>
    public static IReadOnlyList<int> EdgesSeconds { get; } = [10, 20, 30, 60, 120, 300];

    /// <summary>Answered calls within each edge of <see cref="EdgesSeconds"/>.</summary>
    public static long[] AnsweredWithin(in QueueCounters c) =>
    [
        c.AnsweredWithinTenSeconds, c.AnsweredWithinTwentySeconds, c.AnsweredWithinThirtySeconds,
        c.AnsweredWithinOneMinute, c.AnsweredWithinTwoMinutes, c.AnsweredWithinFiveMinutes,
    ];

    /// <summary>Non-short abandons within each edge of <see cref="EdgesSeconds"/>.</summary>
    public static long[] AbandonedWithin(in QueueCounters c) =>
    [
        c.AbandonedWithinTenSeconds, c.AbandonedWithinTwentySeconds, c.AbandonedWithinThirtySeconds,
        c.AbandonedWithinOneMinute, c.AbandonedWithinTwoMinutes, c.AbandonedWithinFiveMinutes,
    ];

    /// <summary>
    /// Calls per band, from the cumulative counts and the total: [0, 10 s], (10 s, 20 s], …,
    /// (2 min, 5 min], over 5 min — one more band than edges; they add up to <paramref name="total"/>.
    /// </summary>
    public static long[] PerBand(ReadOnlySpan<long> within, long total)
    {
        var bands = new long[within.Length + 1];
        var below = 0L;
        for (var i = 0; i < within.Length; i++)
        {
            bands[i] = within[i] - below;
            below = within[i];
        }

        bands[^1] = total - below;
        return bands;
    }
}
