using Wallboard.Metrics.Counters;
using static Wallboard.Ingest.Model.ContactEventKind;

namespace Wallboard.Tests.Metrics;

/// <summary>The cumulative wait bands of the queue counters, counted by the engine and split by <see cref="WaitBands.PerBand"/>.</summary>
public sealed class WaitBandTests
{
    /// <summary>
    /// Answered after 10 s (the first edge itself), 11 s, 60 s, exactly 300 s and 301 s; abandoned after
    /// 4 s (short: in no band), 5 s, 20 s and 400 s. A wait equal to an edge is within it, as with the
    /// service-level threshold.
    /// </summary>
    private static QueueCounters Counted()
    {
        var engine = new Scenario()
            .Queued("09:00:00", "a1").Answered("09:00:10", "a1", "x", wait: 10)
            .Queued("09:01:00", "a2").Answered("09:01:11", "a2", "y", wait: 11)
            .Queued("09:02:00", "a3").Answered("09:03:00", "a3", "z", wait: 60)
            .Queued("09:03:00", "a4").Answered("09:08:00", "a4", "v", wait: 300)
            .Queued("09:04:00", "a5").Answered("09:09:01", "a5", "w", wait: 301)
            .Queued("09:05:00", "b1").Outcome(CallAbandoned, "09:05:04", "b1", wait: 4)
            .Queued("09:06:00", "b2").Outcome(CallAbandoned, "09:06:05", "b2", wait: 5)
            .Queued("09:07:00", "b3").Outcome(CallAbandoned, "09:07:20", "b3", wait: 20)
            .Queued("09:08:00", "b4").Outcome(CallAbandoned, "09:14:40", "b4", wait: 400)
            .Run();
        return Assert.Single(engine.Queues.All()).Value;
    }

    [Fact]
    public void AWaitOnAnEdgeIsWithinItAndShortAbandonsAreInNoBand()
    {
        var c = Counted();

        Assert.Equal([1, 2, 2, 3, 3, 4], WaitBands.AnsweredWithin(c));
        Assert.Equal([1, 2, 2, 2, 2, 2], WaitBands.AbandonedWithin(c));
    }

    [Fact]
    public void TheBandsAddUpToTheAnsweredAndTheNonShortAbandons()
    {
        var c = Counted();

        // ≤10 s, 10–20 s, 20–30 s, 30–60 s, 1–2 min, 2–5 min, over 5 min.
        Assert.Equal([1, 1, 0, 1, 0, 1, 1], WaitBands.PerBand(WaitBands.AnsweredWithin(c), c.Answered));
        Assert.Equal([1, 1, 0, 0, 0, 0, 1], WaitBands.PerBand(WaitBands.AbandonedWithin(c), c.Abandoned - c.ShortAbandoned));
    }

    [Fact]
    public void BandsRollUpByAddition()
    {
        var day = default(QueueCounters);
        day.Add(Counted());
        day.Add(Counted());

        Assert.Equal([2, 4, 4, 6, 6, 8], WaitBands.AnsweredWithin(day));
    }
}
