using System.Globalization;
using NodaTime;
using Wallboard.Hub.History;
using Wallboard.Ingest.Simulation;
using Wallboard.Metrics;
using Wallboard.Metrics.Calendar;
using Wallboard.Metrics.Counters;
using Wallboard.Metrics.Engine;
using Wallboard.Metrics.History;
using Wallboard.Metrics.Rows;

namespace Wallboard.Tests.History;

/// <summary>
/// The behaviour every history store must have, run against the real SQLite
/// (<see cref="SqliteHistoryStoreTests"/>) and the real InfluxDB (<see cref="InfluxHistoryStoreTests"/>).
/// Each test gets a fresh store (its own file or database).
/// </summary>
public abstract class HistoryStoreContractTests : IAsyncLifetime
{
    protected static readonly DateTimeZone NewYork = DateTimeZoneProviders.Tzdb["America/New_York"];

    protected IKpiHistoryStore Store { get; private set; } = null!;

    public async Task InitializeAsync() => Store = await CreateStoreAsync();

    public Task DisposeAsync() => DropStoreAsync(Store);

    protected abstract Task<IKpiHistoryStore> CreateStoreAsync();

    protected abstract Task DropStoreAsync(IKpiHistoryStore store);

    /// <summary>
    /// Stores, the way this store kept it before the <c>withdrawn</c> counter existed, a queue point with
    /// <paramref name="offered"/> and nothing else; returns the store to read it through.
    /// </summary>
    protected abstract Task<IKpiHistoryStore> StoreWithAPointFromBeforeWithdrawnAsync(string queue, long start, long offered);

    [Fact]
    public async Task APointStoredBeforeACounterExistedReadsItAsZeroAndTakesItFromThenOn()
    {
        var t = Utc("2026-11-27T09:00:00Z");
        var store = await StoreWithAPointFromBeforeWithdrawnAsync("sales", t, offered: 4);

        var old = Assert.Single(await store.QueryAsync(HistoryKind.Queues, null, t, t + 1)).QueueCounters;
        Assert.Equal((4L, 0L), (old.Offered, old.Withdrawn));

        await store.WriteAsync([new HistoryPoint(HistoryKind.Queues, "sales", t + HistoryPoint.IntervalMs, HistorySchema.ToValues(new QueueCounters { Offered = 2, Withdrawn = 2 }))], null);
        var points = await store.QueryAsync(HistoryKind.Queues, ["sales"], t, t + (2 * HistoryPoint.IntervalMs));
        Assert.Equal([(4L, 0L), (2L, 2L)], points.Select(p => (p.QueueCounters.Offered, p.QueueCounters.Withdrawn)));
    }

    protected static long Utc(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture).ToUnixTimeMilliseconds();

    [Fact]
    public async Task WrittenPointsOfEveryKindReadBackFieldForField()
    {
        var start = Utc("2026-11-27T09:00:00Z");
        var queue = Numbered(HistorySchema.Fields(HistoryKind.Queues).Count, 100);
        var agent = Numbered(HistorySchema.Fields(HistoryKind.Agents).Count, 200);
        var campaign = Numbered(HistorySchema.Fields(HistoryKind.Campaigns).Count, 300);
        await Store.WriteAsync(
        [
            new HistoryPoint(HistoryKind.Queues, "sales", start, queue),
            new HistoryPoint(HistoryKind.Agents, "SIP/1001", start, agent),
            new HistoryPoint(HistoryKind.Campaigns, "winter-sale", start, campaign),
        ], writtenUpToMs: start + 60_000);

        var queues = await Store.QueryAsync(HistoryKind.Queues, null, start, start + HistoryPoint.IntervalMs);
        var agents = await Store.QueryAsync(HistoryKind.Agents, ["SIP/1001"], start, start + HistoryPoint.IntervalMs);
        var campaigns = await Store.QueryAsync(HistoryKind.Campaigns, ["winter-sale"], start, start + HistoryPoint.IntervalMs);

        AssertPoint(HistoryKind.Queues, "sales", start, queue, Assert.Single(queues));
        AssertPoint(HistoryKind.Queues, "sales", start, queue, Assert.Single(await Store.QueryAsync(HistoryKind.Queues, [], long.MinValue, long.MaxValue)));
        AssertPoint(HistoryKind.Agents, "SIP/1001", start, agent, Assert.Single(agents));
        AssertPoint(HistoryKind.Campaigns, "winter-sale", start, campaign, Assert.Single(campaigns));
        Assert.Equal(start + 60_000, await Store.GetWrittenUpToAsync());
    }

    [Fact]
    public async Task EmptyStoreHasNoPointsAndNoWatermark()
    {
        Assert.Empty(await Store.QueryAsync(HistoryKind.Queues, null, 0, Utc("2030-01-01T00:00:00Z")));
        Assert.Null(await Store.GetWrittenUpToAsync());
    }

    [Fact]
    public async Task QueryTakesStartsFromInclusiveToExclusiveAndOnlyTheIdsAsked()
    {
        var t = Utc("2026-11-27T09:00:00Z");
        await Store.WriteAsync(
        [
            Queue("a", t, offered: 1), Queue("a", t + HistoryPoint.IntervalMs, offered: 2), Queue("a", t + (2 * HistoryPoint.IntervalMs), offered: 3),
            Queue("b", t + HistoryPoint.IntervalMs, offered: 4), Queue("c", t + HistoryPoint.IntervalMs, offered: 5),
        ], null);

        var points = await Store.QueryAsync(HistoryKind.Queues, ["a", "c"], t + HistoryPoint.IntervalMs, t + (2 * HistoryPoint.IntervalMs));

        Assert.Equal([("a", 2L), ("c", 5L)], points.Select(p => (p.Id, p.QueueCounters.Offered)));
    }

    [Fact]
    public async Task RewritingAnIntervalReplacesItInsteadOfAddingToIt()
    {
        var t = Utc("2026-11-27T09:00:00Z");
        await Store.WriteAsync([Queue("sales", t, offered: 5, answered: 4), Queue("sales", t + HistoryPoint.IntervalMs, offered: 1, answered: 1)], null);
        await Store.WriteAsync([Queue("sales", t, offered: 7, answered: 6)], null);
        await Store.WriteAsync([Queue("sales", t, offered: 7, answered: 6)], null);

        var points = await Store.QueryAsync(HistoryKind.Queues, null, t, t + HistoryPoint.IntervalMs);
        var day = HistoryRollup.Queues(
            await Store.QueryAsync(HistoryKind.Queues, null, Utc("2026-11-27T00:00:00Z"), Utc("2026-11-28T00:00:00Z")),
            IntervalLength.Day, DateTimeZone.Utc, new KpiOptions());

        var point = Assert.Single(points);
        Assert.Equal((7, 6), (point.QueueCounters.Offered, point.QueueCounters.Answered));
        var row = Assert.Single(day);
        Assert.Equal((8, 7), (row.Offered, row.Answered));
    }

    [Fact]
    public async Task LateIntervalIsStoredInItsOwnIntervalAndTheWatermarkNeverGoesBack()
    {
        var t = Utc("2026-11-27T10:00:00Z");
        await Store.WriteAsync([Queue("sales", t, offered: 1), Queue("sales", t + HistoryPoint.IntervalMs, offered: 2)], writtenUpToMs: t + (2 * HistoryPoint.IntervalMs));
        // A late event re-emits the 09:45 interval after 10:30 was written.
        await Store.WriteAsync([Queue("sales", t - HistoryPoint.IntervalMs, offered: 3)], writtenUpToMs: t + HistoryPoint.IntervalMs);

        var points = await Store.QueryAsync(HistoryKind.Queues, ["sales"], t - HistoryPoint.IntervalMs, t + (2 * HistoryPoint.IntervalMs));

        Assert.Equal([(t - HistoryPoint.IntervalMs, 3L), (t, 1L), (t + HistoryPoint.IntervalMs, 2L)], points.Select(p => (p.IntervalStartMs, p.QueueCounters.Offered)));
        Assert.Equal(t + (2 * HistoryPoint.IntervalMs), await Store.GetWrittenUpToAsync());
    }

    [Fact]
    public async Task IdsWithSpacesCommasEqualsSignsQuotesAndChineseRoundTrip()
    {
        var t = Utc("2026-11-27T09:00:00Z");
        string[] ids = ["VIP queue, east=1", "o'brien \"x\"", "销售热线", "back\\slash"];
        await Store.WriteAsync([.. ids.Select((id, i) => Queue(id, t, offered: i + 1))], null);

        var all = await Store.QueryAsync(HistoryKind.Queues, null, t, t + HistoryPoint.IntervalMs);
        var one = await Store.QueryAsync(HistoryKind.Queues, ["o'brien \"x\""], t, t + HistoryPoint.IntervalMs);

        Assert.Equal(ids.Order(StringComparer.Ordinal), all.Select(p => p.Id));
        Assert.Equal(2, Assert.Single(one).QueueCounters.Offered);
    }

    /// <summary>
    /// 200 quarter-hours in New York from Saturday 31 October 2026 00:00 EDT to Monday 2 November
    /// 01:00 EST, each with one call whose wait is its index in seconds. Sunday 1 November has 25
    /// hours (01:00–02:00 twice); October ends on the Saturday; the Monday starts an ISO week.
    /// </summary>
    [Fact]
    public async Task EveryStepFollowsTheLocalCalendarAcrossDstChangeAndMonthEnd()
    {
        var first = Utc("2026-10-31T00:00:00-04:00");
        var points = Enumerable.Range(0, 200)
            .Select(i => Queue("sales", first + (i * HistoryPoint.IntervalMs), offered: 1, answered: 1, maxWaitMs: i * 1000L))
            .ToList();
        await Store.WriteAsync(points, null);
        var stored = await Store.QueryAsync(HistoryKind.Queues, null, Utc("2026-10-01T00:00:00-04:00"), Utc("2026-12-01T00:00:00-05:00"));

        List<QueueKpiRow> Rows(IntervalLength step) => HistoryRollup.Queues(stored, step, NewYork, new KpiOptions());

        var quarters = Rows(IntervalLength.FifteenMinutes);
        Assert.Equal(200, quarters.Count);
        Assert.All(quarters, row => Assert.Equal(1, row.Offered));

        var hours = Rows(IntervalLength.Hour);
        Assert.Equal(50, hours.Count);
        Assert.All(hours, row => Assert.Equal(4, row.Offered));
        Assert.Equal(
            [DateTimeOffset.Parse("2026-11-01T01:00:00-04:00", CultureInfo.InvariantCulture), DateTimeOffset.Parse("2026-11-01T01:00:00-05:00", CultureInfo.InvariantCulture)],
            hours.Where(row => row.IntervalStart!.Value.Day == 1 && row.IntervalStart.Value.Hour == 1).Select(row => row.IntervalStart!.Value));

        AssertSteps(Rows(IntervalLength.Day),
            ("2026-10-31T00:00:00-04:00", 96, 95), ("2026-11-01T00:00:00-04:00", 100, 195), ("2026-11-02T00:00:00-05:00", 4, 199));
        AssertSteps(Rows(IntervalLength.Week),
            ("2026-10-26T00:00:00-04:00", 196, 195), ("2026-11-02T00:00:00-05:00", 4, 199));
        AssertSteps(Rows(IntervalLength.Month),
            ("2026-10-01T00:00:00-04:00", 96, 95), ("2026-11-01T00:00:00-04:00", 104, 199));
    }

    /// <summary>
    /// A simulated day through a 15-minute engine, refreshed into the store as the live host does,
    /// rolled up to days, equals a one-day engine run over the same events: every counter of every
    /// queue, agent and campaign, and so every KPI row.
    /// </summary>
    [Fact]
    public async Task DailyRollupOfStoredIntervalsEqualsAnEngineRunAtDayLength()
    {
        var (dayEngine, zone, from, to) = await WriteASimulatedDayAsTheHostDoesAsync();
        var queues = await Store.QueryAsync(HistoryKind.Queues, null, from, to);
        var agents = await Store.QueryAsync(HistoryKind.Agents, null, from, to);
        var campaigns = await Store.QueryAsync(HistoryKind.Campaigns, null, from, to);

        Assert.True(queues.Count > 100 && agents.Count > 100 && campaigns.Count > 10, $"{queues.Count} queue, {agents.Count} agent, {campaigns.Count} campaign points");
        Assert.Equal(Sorted(dayEngine.Queues.All(), dayEngine.QueueNames), HistoryRollup.SumQueues(queues, IntervalLength.Day, zone));
        Assert.Equal(Sorted(dayEngine.Agents.All(), dayEngine.AgentNames), HistoryRollup.SumAgents(agents, IntervalLength.Day, zone));
        Assert.Equal(Sorted(dayEngine.Campaigns.All(), dayEngine.CampaignNames), HistoryRollup.SumCampaigns(campaigns, IntervalLength.Day, zone));
        Assert.Equal(KpiRows.Queues(dayEngine), HistoryRollup.Queues(queues, IntervalLength.Day, zone, dayEngine.Options));
        Assert.Equal(KpiRows.Agents(dayEngine), HistoryRollup.Agents(agents, IntervalLength.Day, zone, dayEngine.Options));
        Assert.Equal(KpiRows.Campaigns(dayEngine), HistoryRollup.Campaigns(campaigns, IntervalLength.Day, zone));
    }

    /// <summary>
    /// Simulates a day (seed 7, Shanghai) into a 15-minute engine refreshed into the store every 2,000
    /// events, as the live host does, and into a one-day engine; returns that engine and the two days
    /// (Unix ms) that hold the simulation.
    /// </summary>
    protected async Task<(KpiEngine DayEngine, DateTimeZone Zone, long FromMs, long ToMs)> WriteASimulatedDayAsTheHostDoesAsync()
    {
        var simulation = new SimulationOptions { Seed = 7, TimeZone = "Asia/Shanghai" };
        var events = new ContactCentreSimulator(simulation).Enumerate().ToList();
        var quarterEngine = new KpiEngine(new KpiOptions { TimeZone = "Asia/Shanghai", Interval = IntervalLength.FifteenMinutes });
        var dayEngine = new KpiEngine(new KpiOptions { TimeZone = "Asia/Shanghai", Interval = IntervalLength.Day });
        var writer = new HistoryWriter(quarterEngine, Store);
        for (var i = 0; i < events.Count; i++)
        {
            quarterEngine.Accept(events[i]);
            dayEngine.Accept(events[i]);
            if (i % 2000 == 1999)
            {
                await writer.WriteChangedAsync();
            }
        }

        quarterEngine.FlushOpenSessions(quarterEngine.WatermarkMs);
        dayEngine.FlushOpenSessions(dayEngine.WatermarkMs);
        await writer.WriteChangedAsync();
        var from = simulation.Start.ToUnixTimeMilliseconds();
        return (dayEngine, DateTimeZoneProviders.Tzdb["Asia/Shanghai"], from, from + (long)TimeSpan.FromDays(2).TotalMilliseconds);
    }

    protected static HistoryPoint Queue(string id, long start, long offered = 0, long answered = 0, long maxWaitMs = 0) =>
        HistoryPoint.Queue(id, start, new QueueCounters { Offered = offered, Answered = answered, AnsweredWithinSl = answered, MaxWaitMs = maxWaitMs });

    private static List<(string, long, T)> Sorted<T>(IEnumerable<(int Entity, long IntervalStart, T Value)> slots, IReadOnlyList<string> names) =>
        [.. slots.Select(slot => (names[slot.Entity], slot.IntervalStart, slot.Value))
            .OrderBy(slot => slot.Item1, StringComparer.Ordinal)
            .ThenBy(slot => slot.IntervalStart)];

    protected static long[] Numbered(int count, long first) => [.. Enumerable.Range(0, count).Select(i => first + i)];

    private static void AssertPoint(HistoryKind kind, string id, long start, long[] values, HistoryPoint actual)
    {
        Assert.Equal(kind, actual.Kind);
        Assert.Equal(id, actual.Id);
        Assert.Equal(start, actual.IntervalStartMs);
        Assert.Equal(values, actual.Values);
    }

    protected static void AssertSteps(List<QueueKpiRow> rows, params (string Start, long Offered, double MaxWaitSeconds)[] expected) =>
        Assert.Equal(
            expected.Select(e => (DateTimeOffset.Parse(e.Start, CultureInfo.InvariantCulture), e.Start[^6..], e.Offered, e.MaxWaitSeconds)),
            rows.Select(row => (row.IntervalStart!.Value, FormatOffset(row.IntervalStart.Value), row.Offered, row.MaxWaitSeconds)));

    private static string FormatOffset(DateTimeOffset value) => value.ToString("zzz", CultureInfo.InvariantCulture);
}

public sealed class SqliteHistoryStoreTests : HistoryRollupContractTests, IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("wallboard-sqlite-").FullName;

    private readonly List<SqliteHistoryStore> _others = [];

    protected override Task<IKpiHistoryStore> CreateStoreAsync() =>
        Task.FromResult<IKpiHistoryStore>(new SqliteHistoryStore(Path.Combine(_folder, "history.db"), Rollups));

    protected override Task<IKpiHistoryStore> OpenAgainAsync(StoredRollups rollups)
    {
        var store = new SqliteHistoryStore(Path.Combine(_folder, "history.db"), rollups);
        _others.Add(store);
        return Task.FromResult<IKpiHistoryStore>(store);
    }

    private SqliteHistoryStore? _reopened;

    public void Dispose()
    {
        _reopened?.Dispose();
        _others.ForEach(store => store.Dispose());
    }

    protected override Task DropStoreAsync(IKpiHistoryStore store)
    {
        ((SqliteHistoryStore)store).Dispose();
        _reopened?.Dispose();
        _others.ForEach(other => other.Dispose());
        Directory.Delete(_folder, recursive: true);
        return Task.CompletedTask;
    }

    /// <summary>A file of the schema before <c>withdrawn</c>: the column dropped, a row written without it, the file opened again.</summary>
    protected override async Task<IKpiHistoryStore> StoreWithAPointFromBeforeWithdrawnAsync(string queue, long start, long offered)
    {
        var path = Path.Combine(_folder, "history.db");
        ((SqliteHistoryStore)Store).Dispose();
        await using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            var older = HistorySchema.Fields(HistoryKind.Queues).Where(field => field != "withdrawn").ToList();
            command.CommandText = $"ALTER TABLE queue_interval DROP COLUMN withdrawn; "
                + $"INSERT INTO queue_interval (queue, interval_start_ms, {string.Join(", ", older)}) VALUES ($queue, $start, {string.Join(", ", older.Select(field => field == "offered" ? "$offered" : "0"))}); "
                + "INSERT INTO history_ids (kind, id) VALUES ('queue', $queue);";
            command.Parameters.AddWithValue("$queue", queue);
            command.Parameters.AddWithValue("$start", start);
            command.Parameters.AddWithValue("$offered", offered);
            await command.ExecuteNonQueryAsync();
        }

        _reopened = new SqliteHistoryStore(path);
        return _reopened;
    }

    [Fact]
    public async Task ReopeningTheFileKeepsEverything()
    {
        var t = Utc("2026-11-27T09:00:00Z");
        await Store.WriteAsync([Queue("sales", t, offered: 3)], writtenUpToMs: t);
        using var reopened = new SqliteHistoryStore(Path.Combine(_folder, "history.db"));

        Assert.Equal(3, Assert.Single(await reopened.QueryAsync(HistoryKind.Queues, null, t, t + 1)).QueueCounters.Offered);
        Assert.Equal(t, await reopened.GetWrittenUpToAsync());
    }

    /// <summary>
    /// In WAL mode SQLite goes on writing into a deleted file without an error: the writes
    /// "succeeded" and after a restart history was empty. The store now notices, says so and
    /// writes into a new file at the path.
    /// </summary>
    [Fact]
    public async Task AFileDeletedWhileInUseIsReportedAndCreatedAgainForTheNextWrite()
    {
        var path = Path.Combine(_folder, "history.db");
        var t = Utc("2026-11-27T09:00:00Z");
        var store = (SqliteHistoryStore)Store;
        await store.WriteAsync([Queue("sales", t, offered: 3)], writtenUpToMs: t);
        Assert.Null(store.Problem);

        File.Delete(path);
        Assert.Contains("missing", store.Problem, StringComparison.Ordinal);

        await store.WriteAsync([Queue("sales", t + HistoryPoint.IntervalMs, offered: 5)], writtenUpToMs: t + HistoryPoint.IntervalMs);

        Assert.True(File.Exists(path));
        Assert.Contains("was deleted while the server was running", store.Problem, StringComparison.Ordinal);
        using var reopened = new SqliteHistoryStore(path);
        var point = Assert.Single(await reopened.QueryAsync(HistoryKind.Queues, null, t, t + (2 * HistoryPoint.IntervalMs)));
        Assert.Equal((t + HistoryPoint.IntervalMs, 5L), (point.IntervalStartMs, point.QueueCounters.Offered));
        Assert.Equal(t + HistoryPoint.IntervalMs, await reopened.GetWrittenUpToAsync());
    }

    [Fact]
    public async Task AFileReplacedWhileInUseIsReportedAndTheNewFileIsWritten()
    {
        var path = Path.Combine(_folder, "history.db");
        var t = Utc("2026-11-27T09:00:00Z");
        var store = (SqliteHistoryStore)Store;
        await store.WriteAsync([Queue("sales", t, offered: 3)], writtenUpToMs: t);

        // Another history file (a restored backup, say) moved over the one in use.
        var other = Path.Combine(_folder, "restored.db");
        using (var restored = new SqliteHistoryStore(other))
        {
            await restored.WriteAsync([Queue("vip", t, offered: 7)], writtenUpToMs: t);
        }

        File.Move(other, path, overwrite: true);
        await store.WriteAsync([Queue("sales", t + HistoryPoint.IntervalMs, offered: 5)], writtenUpToMs: t + HistoryPoint.IntervalMs);

        Assert.Contains("was replaced while the server was running", store.Problem, StringComparison.Ordinal);
        using var reopened = new SqliteHistoryStore(path);
        var points = await reopened.QueryAsync(HistoryKind.Queues, null, t, t + (2 * HistoryPoint.IntervalMs));
        Assert.Equal([("sales", 5L), ("vip", 7L)], points.Select(point => (point.Id, point.QueueCounters.Offered)));
    }
}
