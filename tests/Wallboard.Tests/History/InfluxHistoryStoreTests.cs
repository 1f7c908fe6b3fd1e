using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Wallboard.Hub.History;
using Wallboard.Metrics.History;

namespace Wallboard.Tests.History;

[Collection(InfluxDbGroup.Name)]
public sealed class InfluxHistoryStoreTests(InfluxDbFixture influx) : HistoryRollupContractTests
{
    private readonly string _spool = Directory.CreateTempSubdirectory("wallboard-spool-").FullName;

    private readonly List<InfluxHistoryStore> _others = [];

    internal static InfluxHistoryStore CreateStore(string url, string spoolPath, TimeProvider? time = null, string? database = null, StoredRollups? rollups = null) => new(
        new HistoryOptions
        {
            InfluxUrl = url,
            Database = database ?? "wallboard_test_" + Guid.NewGuid().ToString("N"),
            SpoolPath = spoolPath,
            RequestTimeoutSeconds = 5,
        },
        time ?? TimeProvider.System,
        NullLogger<InfluxHistoryStore>.Instance,
        rollups);

    protected override async Task<IKpiHistoryStore> CreateStoreAsync()
    {
        var store = CreateStore(influx.Url, _spool, rollups: Rollups);
        await store.EnsureDatabaseAsync();
        return store;
    }

    protected override Task<IKpiHistoryStore> OpenAgainAsync(StoredRollups rollups)
    {
        var store = CreateStore(influx.Url, Path.Combine(_spool, "other" + _others.Count), database: ((InfluxHistoryStore)Store).DatabaseName, rollups: rollups);
        _others.Add(store);
        return Task.FromResult<IKpiHistoryStore>(store);
    }

    protected override async Task DropStoreAsync(IKpiHistoryStore store)
    {
        var influxStore = (InfluxHistoryStore)store;
        await influxStore.DropDatabaseAsync();
        influxStore.Dispose();
        _others.ForEach(other => other.Dispose());
        Directory.Delete(_spool, recursive: true);
    }

    /// <summary>InfluxDB is schemaless: a point written before <c>withdrawn</c> simply has no such field.</summary>
    protected override async Task<IKpiHistoryStore> StoreWithAPointFromBeforeWithdrawnAsync(string queue, long start, long offered)
    {
        var store = (InfluxHistoryStore)Store;
        using var http = new HttpClient();
        using var line = new StringContent($"queue_interval,queue={queue} offered={offered}i,answered=0i {start}");
        (await http.PostAsync($"{influx.Url}/write?db={store.DatabaseName}&precision=ms", line)).EnsureSuccessStatusCode();
        return store;
    }

    /// <summary>A spooled body is line protocol; once sent, the roll-ups of the points it holds are rebuilt, so its keys are read back from it.</summary>
    [Fact]
    public void TheKeysOfASpooledBodyAreReadBackFromItsLineProtocol()
    {
        var t = Utc("2026-11-27T09:00:00Z");
        HistoryPoint[] points =
        [
            Queue("VIP queue, east=1", t, offered: 1),
            Queue(string.Empty, t + HistoryPoint.IntervalMs, offered: 2),
            HistoryPoint.Agent("o'brien \"x\"", t, new Wallboard.Metrics.Counters.AgentCounters { Answered = 3 }),
            HistoryPoint.Campaign("销售热线", t - HistoryPoint.IntervalMs, new Wallboard.Metrics.Counters.CampaignCounters { Attempts = 4 }),
            Queue("back\\slash", t, offered: 5),
        ];
        var body = new System.Text.StringBuilder();
        foreach (var point in points)
        {
            InfluxHistoryStore.AppendLine(body, point);
        }

        body.Append(System.Globalization.CultureInfo.InvariantCulture, $"history_watermark written_up_to_ms={t}i {t}\n");

        Assert.Equal(points.Select(point => (point.Kind, point.Id, point.IntervalStartMs)), InfluxHistoryStore.KeysOf(body.ToString()));
    }

    [Fact]
    public async Task QueryErrorsReportedInsideA200AnswerAreThrown()
    {
        var store = (InfluxHistoryStore)Store;
        await store.DropDatabaseAsync();

        var error = await Assert.ThrowsAsync<InfluxException>(() => store.QueryAsync(HistoryKind.Queues, null, 0, 1));

        Assert.Contains("database not found", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ASpooledWriteTheServerRejectsIsDroppedAndCountedWithoutBlockingTheRest()
    {
        var store = (InfluxHistoryStore)Store;
        using var http = new HttpClient();
        using var floatField = new StringContent("queue_interval,queue=x offered=1.5 0");
        (await http.PostAsync($"{influx.Url}/write?db={store.DatabaseName}&precision=ms", floatField)).EnsureSuccessStatusCode();
        store.Spool.Append("queue_interval,queue=x offered=1i 900000\n", points: 1);
        // InfluxDB fixes a field's type per shard (a week here); this point lives in another one.
        store.Spool.Append("queue_interval,queue=y offered=2i 2592000000\n", points: 1);

        var drained = await store.TryDrainSpoolAsync();

        Assert.True(drained);
        Assert.True(store.Spool.IsEmpty);
        Assert.Equal(1, store.Spool.DroppedPoints);
        Assert.Equal(2, Assert.Single(await store.QueryAsync(HistoryKind.Queues, ["y"], 0, 2_600_000_000)).QueueCounters.Offered);
    }

    [Fact]
    public async Task AFieldWrittenWithAnotherTypeIsRejectedNotSpooled()
    {
        var store = (InfluxHistoryStore)Store;
        using var http = new HttpClient();
        var database = store.DatabaseName;
        using var body = new StringContent("queue_interval,queue=x offered=1.5 0");
        (await http.PostAsync($"{influx.Url}/write?db={database}&precision=ms", body)).EnsureSuccessStatusCode();

        await Assert.ThrowsAsync<InfluxException>(() => store.WriteAsync([Queue("x", 900_000, offered: 1)], null));
        Assert.True(store.Spool.IsEmpty);
    }
}

/// <summary>InfluxDB goes away mid-run and comes back: nothing written meanwhile is lost, and nothing older overwrites newer.</summary>
public sealed class InfluxOutageTests : IAsyncLifetime
{
    private readonly string _spool = Directory.CreateTempSubdirectory("wallboard-spool-").FullName;
    private InfluxServer _server = null!;

    public async Task InitializeAsync() => _server = await InfluxServer.StartAsync();

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_spool, recursive: true);
    }

    [Fact]
    public async Task WritesDuringAnOutageAreSpooledAndSentAfterTheRetry()
    {
        var t = DateTimeOffset.Parse("2026-11-27T09:00:00Z", System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeMilliseconds();
        const long Q = HistoryPoint.IntervalMs;
        using var store = InfluxHistoryStoreTests.CreateStore(_server.Url, _spool, rollups: StoredRollups.For([NodaTime.DateTimeZone.Utc]));
        await store.WriteAsync([Q1("sales", t, 1), Q1("support", t, 1)], writtenUpToMs: t + Q);

        await _server.StopAsync();
        await store.WriteAsync([Q1("sales", t, 5), Q1("sales", t + Q, 2)], writtenUpToMs: t + (2 * Q));
        await store.WriteAsync([Q1("sales", t + (2 * Q), 3)], writtenUpToMs: t + (3 * Q));
        var backlogWhileDown = store.Spool.BacklogPoints;
        var drainedWhileDown = await store.TryDrainSpoolAsync();

        await _server.StartAgainAsync();
        // Written behind the backlog: it must not be overtaken by the spooled older version of 09:00.
        await store.WriteAsync([Q1("sales", t, 6)], writtenUpToMs: t + (3 * Q));
        var drained = await store.TryDrainSpoolAsync();
        var points = await store.QueryAsync(HistoryKind.Queues, null, t, t + (3 * Q));

        Assert.Equal(3, backlogWhileDown);
        Assert.False(drainedWhileDown);
        Assert.True(drained);
        Assert.True(store.Spool.IsEmpty);
        Assert.Equal(0, store.Spool.DroppedPoints);
        Assert.Equal(
            [("sales", t, 6L), ("sales", t + Q, 2L), ("sales", t + (2 * Q), 3L), ("support", t, 1L)],
            points.Select(p => (p.Id, p.IntervalStartMs, p.QueueCounters.Offered)));
        Assert.Equal(t + (3 * Q), await store.GetWrittenUpToAsync());

        // The spooled writes rebuilt their roll-ups as they were sent: the day is one point per queue.
        var midnight = t - (9 * 3_600_000L);
        var days = await store.QueryForStepsAsync(HistoryKind.Queues, null, midnight, midnight + 86_400_000, Wallboard.Metrics.Calendar.IntervalLength.Day, NodaTime.DateTimeZone.Utc);
        Assert.Equal([("sales", midnight, 11L), ("support", midnight, 1L)], days.Select(p => (p.Id, p.IntervalStartMs, p.QueueCounters.Offered)));
        await store.DropDatabaseAsync();
    }

    [Fact]
    public async Task SpoolLeftByAStoppedProcessIsSentByTheNextOnesRetryLoop()
    {
        var t = DateTimeOffset.Parse("2026-11-27T09:00:00Z", System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeMilliseconds();
        var database = "wallboard_test_" + Guid.NewGuid().ToString("N");
        await _server.StopAsync();
        using (var before = CreateStore(database, TimeProvider.System))
        {
            await before.WriteAsync([Q1("sales", t, 4)], writtenUpToMs: t);
            Assert.Equal(1, before.Spool.BacklogPoints);
        }

        await _server.StartAgainAsync();
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-27T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        using var after = CreateStore(database, time);
        using var stop = new CancellationTokenSource();
        var loop = after.RunSpoolRetryAsync(stop.Token);
        Assert.Equal(1, after.Spool.BacklogPoints);

        // The loop waits 1 s of (fake) time before its first retry; advance until the spool empties.
        for (var step = 0; step < 200 && !after.Spool.IsEmpty; step++)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(TimeSpan.FromMilliseconds(50), TimeProvider.System);
        }

        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => loop);
        Assert.True(after.Spool.IsEmpty);
        Assert.Equal(4, Assert.Single(await after.QueryAsync(HistoryKind.Queues, null, t, t + 1)).QueueCounters.Offered);
        await after.DropDatabaseAsync();
    }

    [Fact]
    public void BackoffDoublesFromOneSecondUpToAMinute() =>
        Assert.Equal(
            [1, 2, 4, 8, 16, 32, 60, 60],
            Enumerable.Range(0, 8).Select(failures => InfluxHistoryStore.Backoff(failures).TotalSeconds));

    private InfluxHistoryStore CreateStore(string database, TimeProvider time) => new(
        new HistoryOptions { InfluxUrl = _server.Url, Database = database, SpoolPath = _spool, RequestTimeoutSeconds = 5 },
        time,
        NullLogger<InfluxHistoryStore>.Instance);

    private static HistoryPoint Q1(string id, long start, long offered) =>
        HistoryPoint.Queue(id, start, new Wallboard.Metrics.Counters.QueueCounters { Offered = offered });
}
