using Wallboard.Ingest.Model;
using Wallboard.Ingest.Pipeline;

namespace Wallboard.Tests;

/// <summary>
/// The batch files' time rule on bare times, with a jump of one day allowed. T is 14 November 2023
/// 22:13:20Z (1700000000); F is 2055-07-24 (2700000000, the same line with its first digit
/// corrupted), 11,574 days later.
/// </summary>
public sealed class TimeJumpScreenTests
{
    private const long T = 1_700_000_000_000;
    private const long F = 2_700_000_000_000;
    private const long Minute = 60_000;
    private const long Day = 86_400_000;

    private sealed class ListSink : IContactEventSink
    {
        public List<long> Times { get; } = [];

        public void Accept(in ContactEvent contactEvent) => Times.Add(contactEvent.UnixTimeMs);
    }

    /// <summary>Takes batches as they are, like the merge's sink, so a test can see whether one was copied.</summary>
    private sealed class BatchSink : IContactEventSink, IEventBatchSink
    {
        public List<long> Times { get; } = [];

        public List<EventBatch> Batches { get; } = [];

        public void Accept(in ContactEvent contactEvent) => Times.Add(contactEvent.UnixTimeMs);

        public EventBatch RentBatch() => new(16);

        public void AcceptBatch(EventBatch batch)
        {
            Batches.Add(batch);
            Times.AddRange(batch.Events.Take(batch.Count).Select(e => e.UnixTimeMs));
        }

        public void ReturnBatch(EventBatch batch)
        {
        }
    }

    private static ContactEvent At(long t) => new() { Kind = ContactEventKind.CallQueued, UnixTimeMs = t, CallId = "c", Queue = "q", Agent = "" };

    private static (List<long> Taken, IReadOnlyList<RefusedEvent> Refused) Screen(params long[] times)
    {
        var sink = new ListSink();
        var screen = new TimeJumpScreen(sink, TimeSpan.FromDays(1));
        foreach (var t in times)
        {
            screen.Accept(At(t));
        }

        screen.Complete();
        return (sink.Times, screen.Refused);
    }

    [Fact]
    public void ALineDecadesAheadOfTheLinesAroundItIsRefusedAndTheOthersPassInOrder()
    {
        var (taken, refused) = Screen(T, T + Minute, F, T + (2 * Minute), T + (3 * Minute));

        Assert.Equal([T, T + Minute, T + (2 * Minute), T + (3 * Minute)], taken);
        Assert.Equal([new RefusedEvent(2, F, T + Minute, T + (2 * Minute))], refused);
        Assert.Equal(
            "2055-07-24T00:00:00Z is 11574 days after the line taken before it (2023-11-14T22:14:20Z) and 11574 days after the line after it (2023-11-14T22:15:20Z)",
            refused[0].Describe());
    }

    [Fact]
    public void ACorruptFirstLineIsRefusedOnceTheSecondDisagreesWithItAndTheThirdConfirmsTheSecond()
    {
        var (taken, refused) = Screen(F, T, T + Minute);

        Assert.Equal([T, T + Minute], taken);
        Assert.Equal([new RefusedEvent(0, F, null, T)], refused);
        Assert.StartsWith("2055-07-24T00:00:00Z has no line taken before it and is 11574 days after the line after it (2023-11-14T22:13:20Z)", refused[0].Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public void ACorruptSecondLineDoesNotCostTheFirst()
    {
        // 1100000000 is 2004: a digit lost the other way.
        var (taken, refused) = Screen(T, 1_100_000_000_000, T + Minute, T + (2 * Minute));

        Assert.Equal([T, T + Minute, T + (2 * Minute)], taken);
        Assert.Equal([1_100_000_000_000], refused.Select(r => r.UnixTimeMs));
    }

    [Fact]
    public void AGapTheNextLineConfirmsIsTheFileMovingOnNotCorruption()
    {
        // A centre closed for ten days: the line after the gap is confirmed by the one after it.
        var (taken, refused) = Screen(T, T + Minute, T + (10 * Day), T + (10 * Day) + Minute);

        Assert.Equal([T, T + Minute, T + (10 * Day), T + (10 * Day) + Minute], taken);
        Assert.Empty(refused);
    }

    [Fact]
    public void ALastLineFarAheadHasNothingToConfirmItAndIsRefused()
    {
        var (taken, refused) = Screen(T, T + Minute, F);

        Assert.Equal([T, T + Minute], taken);
        Assert.Equal([new RefusedEvent(2, F, T + Minute, null)], refused);
    }

    [Fact]
    public void AFileOfOneLineIsTakenAsItIs()
    {
        var (taken, refused) = Screen(F);

        Assert.Equal([F], taken);
        Assert.Empty(refused);
    }

    [Fact]
    public void OnlyAFewEventsWaitAtOnceWhateverFollows()
    {
        // After T, twenty lines each a year after the one before: none confirms another.
        var times = new[] { T, T + Minute }.Concat(Enumerable.Range(1, 20).Select(i => T + (i * 365 * Day))).ToArray();
        var sink = new ListSink();
        var screen = new TimeJumpScreen(sink, TimeSpan.FromDays(1));
        foreach (var t in times)
        {
            screen.Accept(At(t));
        }

        Assert.Equal(20 - TimeJumpScreen.MaxWaiting, screen.Refused.Count);
        screen.Complete();
        Assert.Equal([T, T + Minute], sink.Times);
        Assert.Equal(Enumerable.Range(2, 20).Select(i => (long)i), screen.Refused.Select(r => r.Ordinal));
    }

    [Fact]
    public void ABatchWithinTheJumpGoesOnUncopiedAndOneWithAJumpIsScreenedEventByEvent()
    {
        var sink = new BatchSink();
        var screen = new TimeJumpScreen(sink, TimeSpan.FromDays(1));
        IEventBatchSink batches = screen;
        screen.Accept(At(T));
        screen.Accept(At(T + Minute));
        var plain = Batch(batches, T + (2 * Minute), T + (3 * Minute));
        batches.AcceptBatch(plain);
        batches.AcceptBatch(Batch(batches, T + (4 * Minute), F, T + (5 * Minute)));
        screen.Complete();

        Assert.Equal([plain], sink.Batches);
        Assert.Equal([T, T + Minute, T + (2 * Minute), T + (3 * Minute), T + (4 * Minute), T + (5 * Minute)], sink.Times);
        Assert.Equal([new RefusedEvent(5, F, T + (4 * Minute), T + (5 * Minute))], screen.Refused);
    }

    [Fact]
    public void BeforeAnEngineThatTakesEventsOneByOneItsBatchesAreReusedAndTheirEventsPassedOnInOrder()
    {
        // The kpi command's case: the reader rents batches of the screen, whose next sink (the
        // engine) has none of its own. A new batch per rent put 4,096 events on the large object heap
        // each time.
        var sink = new ListSink();
        var screen = new TimeJumpScreen(sink, TimeSpan.FromDays(1));
        IEventBatchSink batches = screen;
        var first = Batch(batches, T, T + Minute);
        batches.AcceptBatch(first);
        var second = Batch(batches, T + (2 * Minute), F, T + (3 * Minute));
        batches.AcceptBatch(second);
        var third = batches.RentBatch();
        screen.Complete();

        Assert.Same(first, second);
        Assert.Same(first, third);
        Assert.Equal(0, third.Count);
        Assert.Equal([T, T + Minute, T + (2 * Minute), T + (3 * Minute)], sink.Times);
        Assert.Equal([new RefusedEvent(3, F, T + (2 * Minute), T + (3 * Minute))], screen.Refused);
    }

    private static EventBatch Batch(IEventBatchSink sink, params long[] times)
    {
        var batch = sink.RentBatch();
        foreach (var t in times)
        {
            batch.Events[batch.Count++] = At(t);
        }

        return batch;
    }
}
