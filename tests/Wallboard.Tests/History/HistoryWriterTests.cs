using Wallboard.Hub.History;
using Wallboard.Ingest.Model;
using Wallboard.Metrics;
using Wallboard.Metrics.Calendar;
using Wallboard.Metrics.History;
using Wallboard.Tests.Metrics;

namespace Wallboard.Tests.History;

public sealed class HistoryWriterTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("wallboard-writer-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>
    /// Before a restart c1 (09:01, answered after 20 s) is written; after it, c2 (09:05, answered
    /// after 4 s) arrives in the same quarter-hour. Seeded from the store, the new engine adds c2 to
    /// c1 instead of overwriting the stored interval with c2 alone.
    /// </summary>
    [Fact]
    public async Task ARestartSeedsOpenIntervalsSoLaterEventsAddToTheStoredCounts()
    {
        using var store = new SqliteHistoryStore(Path.Combine(_folder, "history.db"));
        var before = new Scenario().Queued("09:01:00", "c1").Answered("09:01:20", "c1", "SIP/1001", wait: 20).Run();
        await new HistoryWriter(before, store).WriteChangedAsync();
        var scenario = new Scenario();

        var after = new Scenario().Queued("09:05:00", "c2").Answered("09:05:04", "c2", "SIP/1002", wait: 4);
        var engine = new Wallboard.Metrics.Engine.KpiEngine(new KpiOptions());
        var writer = new HistoryWriter(engine, store);
        var seeded = await writer.SeedOpenIntervalsAsync(scenario.At("09:00:00"));
        foreach (var e in after.Events)
        {
            engine.Accept(e);
        }

        var written = await writer.WriteChangedAsync();
        var stored = Assert.Single(await store.QueryAsync(HistoryKind.Queues, ["q"], scenario.At("09:00:00"), scenario.At("09:15:00")));

        Assert.Equal(2, seeded); // the queue and SIP/1001
        Assert.Equal(2, written); // the queue and SIP/1002: SIP/1001 did not change
        Assert.Equal((2L, 2L, 24_000L, 20_000L), (stored.QueueCounters.Offered, stored.QueueCounters.Answered, stored.QueueCounters.AnsweredWaitMs, stored.QueueCounters.MaxWaitMs));
    }

    [Fact]
    public async Task OnlyChangedSlotsAreRewrittenAndALateEventRewritesItsOwnInterval()
    {
        using var store = new SqliteHistoryStore(Path.Combine(_folder, "history.db"));
        var scenario = new Scenario()
            .Queued("09:01:00", "c1").Answered("09:01:10", "c1", "SIP/1001", wait: 10)
            .Queued("09:20:00", "c2").Answered("09:20:10", "c2", "SIP/1001", wait: 10);
        var engine = scenario.Run();
        var writer = new HistoryWriter(engine, store);
        var first = await writer.WriteChangedAsync();
        var idle = await writer.WriteChangedAsync();

        engine.Accept(new ContactEvent { Kind = ContactEventKind.CallAbandoned, UnixTimeMs = scenario.At("09:25:00"), CallId = "late", Queue = "q", WaitMs = 1_000_000 });
        var late = await writer.WriteChangedAsync();
        var points = await store.QueryAsync(HistoryKind.Queues, null, scenario.At("09:00:00"), scenario.At("10:00:00"));

        Assert.Equal((4, 0, 1), (first, idle, late));
        // The abandon waited 1000 s, so it arrived at 09:08:20 and lands in 09:00 beside c1.
        Assert.Equal([(scenario.At("09:00:00"), 2L), (scenario.At("09:15:00"), 1L)], points.Select(p => (p.IntervalStartMs, p.QueueCounters.Offered)));
    }

    [Fact]
    public async Task AFailedWriteLeavesItsSlotsToBeWrittenByTheNextCall()
    {
        using var sqlite = new SqliteHistoryStore(Path.Combine(_folder, "history.db"));
        var store = new FailingFirstWrite(sqlite);
        var scenario = new Scenario().Queued("09:01:00", "c1").Answered("09:01:10", "c1", "SIP/1001", wait: 10);
        var engine = scenario.Run();
        var writer = new HistoryWriter(engine, store);

        await Assert.ThrowsAsync<IOException>(() => writer.WriteChangedAsync());
        var written = await writer.WriteChangedAsync();

        Assert.Equal(2, written);
        Assert.Single(await sqlite.QueryAsync(HistoryKind.Queues, null, scenario.At("09:00:00"), scenario.At("09:15:00")));
    }

    [Fact]
    public void AnEngineThatIsNotAtFifteenMinutesIsRefused()
    {
        using var store = new SqliteHistoryStore(Path.Combine(_folder, "history.db"));
        var engine = new Wallboard.Metrics.Engine.KpiEngine(new KpiOptions { Interval = IntervalLength.Hour });

        var error = Assert.Throws<ArgumentException>(() => new HistoryWriter(engine, store));

        Assert.Contains("15-minute", error.Message, StringComparison.Ordinal);
    }
}

/// <summary>A store that fails its first write, as a disk or server error would.</summary>
internal sealed class FailingFirstWrite(IKpiHistoryStore inner) : IKpiHistoryStore
{
    private bool _failed;

    public Task WriteAsync(IReadOnlyList<HistoryPoint> points, long? writtenUpToMs, CancellationToken cancellationToken = default)
    {
        if (!_failed)
        {
            _failed = true;
            throw new IOException("disk full");
        }

        return inner.WriteAsync(points, writtenUpToMs, cancellationToken);
    }

    public Task<IReadOnlyList<HistoryPoint>> QueryAsync(HistoryKind kind, IReadOnlyCollection<string>? ids, long fromMs, long toMs, CancellationToken cancellationToken = default) =>
        inner.QueryAsync(kind, ids, fromMs, toMs, cancellationToken);

    public Task<long?> GetWrittenUpToAsync(CancellationToken cancellationToken = default) => inner.GetWrittenUpToAsync(cancellationToken);
}

public sealed class HistorySpoolTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("wallboard-spool-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void WhenFullTheOldestWritesAreDroppedAndCounted()
    {
        var spool = new HistorySpool(_folder, maxBytes: 250);
        spool.Append(new string('a', 100), points: 1);
        spool.Append(new string('b', 100), points: 2);

        var dropped = spool.Append(new string('c', 100), points: 3);

        Assert.Equal(1, dropped);
        Assert.Equal((5L, 200L, 1L), (spool.BacklogPoints, spool.BacklogBytes, spool.DroppedPoints));
        Assert.True(spool.TryPeekOldest(out _, out var body, out var points));
        Assert.Equal(('b', 2), (body[0], points));
    }

    [Fact]
    public void ASpoolReopenedAfterARestartStillHoldsItsWritesInOrder()
    {
        var spool = new HistorySpool(_folder, maxBytes: 1 << 20);
        spool.Append("first\n", points: 1);
        spool.Append("second\n", points: 1);
        spool.TryPeekOldest(out var sequence, out _, out _);
        spool.Remove(sequence);
        spool.Append("third\n", points: 1);

        var reopened = new HistorySpool(_folder, maxBytes: 1 << 20);

        Assert.Equal(2, reopened.BacklogPoints);
        Assert.True(reopened.TryPeekOldest(out sequence, out var body, out _));
        Assert.Equal("second\n", body);
        reopened.Remove(sequence);
        Assert.True(reopened.TryPeekOldest(out _, out body, out _));
        Assert.Equal("third\n", body);
    }
}
