using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Logging.Abstractions;
using NodaTime;
using Wallboard.Hub.History;
using Wallboard.Ingest.Model;
using Wallboard.Ingest.QueueLog;
using Wallboard.Ingest.Simulation;
using Wallboard.Metrics;
using Wallboard.Metrics.Calendar;
using Wallboard.Metrics.Counters;
using Wallboard.Metrics.Engine;
using Wallboard.Metrics.History;
using Wallboard.Metrics.Rows;

namespace Wallboard.Benchmarks;

/// <summary>Where the history benchmarks find InfluxDB: WALLBOARD_TEST_INFLUXDB_URL (start one with .ci/influxdb.sh).</summary>
internal static class HistoryBenchmarkStores
{
    public static string InfluxUrl =>
        Environment.GetEnvironmentVariable("WALLBOARD_TEST_INFLUXDB_URL") is { Length: > 0 } url
            ? url
            : throw new InvalidOperationException("set WALLBOARD_TEST_INFLUXDB_URL (e.g. `source .ci/influxdb.sh && influxdb_start`) to benchmark the InfluxDB store");

    public static IKpiHistoryStore Create(string kind, string folder, string name, StoredRollups? rollups = null)
    {
        if (kind == "sqlite")
        {
            return new SqliteHistoryStore(Path.Combine(folder, name + ".db"), rollups);
        }

        if (kind == "postgresql")
        {
            var connection = Environment.GetEnvironmentVariable("WALLBOARD_TEST_POSTGRESQL") is { Length: > 0 } given
                ? given
                : throw new InvalidOperationException("set WALLBOARD_TEST_POSTGRESQL (e.g. `source .ci/common.sh; source .ci/postgresql.sh && postgresql_start`) to benchmark the PostgreSQL store");
            return new Wallboard.Hub.Cluster.PostgreSqlHistoryStore(Npgsql.NpgsqlDataSource.Create(connection), "wallboard_bench_" + name, ownsData: true, rollups: rollups);
        }

        return new InfluxHistoryStore(
            new HistoryOptions { InfluxUrl = InfluxUrl, Database = "wallboard_bench_" + name, SpoolPath = Path.Combine(folder, "spool-" + name), RequestTimeoutSeconds = 120 },
            TimeProvider.System,
            NullLogger<InfluxHistoryStore>.Instance,
            rollups);
    }

    public static async Task DropAsync(IKpiHistoryStore store)
    {
        if (store is InfluxHistoryStore influx)
        {
            await influx.DropDatabaseAsync();
        }

        (store as IDisposable)?.Dispose();
    }
}

/// <summary>
/// <c>wallboard import</c>'s work: the first 100,000 queue_log lines of the default simulated
/// centre (about three weeks), read into a 15-minute engine and written, as they are read, to a
/// fresh store with the default roll-ups (<see cref="HistoryImport"/>). One operation is one line,
/// so the mean is the time per line (lines/s = 1 / mean). A large centre's file, read in chunks on
/// every core as the command reads it, is timed by <c>--import-phases</c> (<see cref="ImportPhases"/>).
/// </summary>
[MemoryDiagnoser]
public class HistoryImportBenchmarks
{
    private string _folder = string.Empty;
    private string _queueLog = string.Empty;
    private IKpiHistoryStore? _store;
    private int _iteration;

    [Params("sqlite", "influxdb")]
    public string Store { get; set; } = "sqlite";

    private const int Lines = 100_000;

    [GlobalSetup]
    public void Setup()
    {
        _folder = Directory.CreateTempSubdirectory("wallboard-bench-import-").FullName;
        var simulated = Path.Combine(_folder, "simulated");
        using (var writer = new StreamWriter(simulated))
        {
            new ContactCentreSimulator(new SimulationOptions { Duration = TimeSpan.FromDays(28) }).Run(new QueueLogWriter(writer));
        }

        _queueLog = Path.Combine(_folder, "queue_log");
        var lines = File.ReadLines(simulated).Take(Lines).ToList();
        if (lines.Count < Lines)
        {
            throw new InvalidOperationException($"the simulation gave {lines.Count} lines, fewer than {Lines}");
        }

        File.WriteAllLines(_queueLog, lines);
    }

    [IterationSetup]
    public void CreateStore() => _store = HistoryBenchmarkStores.Create(Store, _folder, "import" + _iteration++, StoredRollups.For([DateTimeZone.Utc, DateTimeZoneProviders.Tzdb["Asia/Shanghai"]]));

    [IterationCleanup]
    public void DropStore() => HistoryBenchmarkStores.DropAsync(_store!).GetAwaiter().GetResult();

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_folder, recursive: true);

    [Benchmark(OperationsPerInvoke = Lines)]
    public async Task<long> Import100kQueueLogLines()
    {
        var engine = new KpiEngine(new KpiOptions { TimeZone = "Asia/Shanghai", Interval = IntervalLength.FifteenMinutes });
        var import = new HistoryImport(engine, _store!);
        new QueueLogReader().ReadFile(_queueLog, import, new IngestReport());
        engine.FlushOpenSessions(engine.WatermarkMs);
        return await import.CompleteAsync(CancellationToken.None);
    }
}

/// <summary>
/// The analysts' heaviest usual questions (issue 16: each under a second): a month of 500 agents by
/// day (30 days of 15-minute intervals, 1,440,000 points) and a year of 50 queues by month
/// (1,752,000 points), read from the store and summed into rows as the query API does. Each is
/// measured as the store answers it now, from its roll-ups of local days, and as it was answered
/// before (<c>…FromQuarterHours</c>, the baseline), from the 15-minute points. The set-up writes the
/// points through the store, which keeps its roll-ups (hours of UTC, days of UTC and Asia/Shanghai)
/// as it writes, and checks that both ways give the same rows.
/// </summary>
/// <remarks>
/// BenchmarkDotNet runs each benchmark in a process of its own, and writing 3.2 M points into InfluxDB
/// takes many minutes, so the points stay between processes and runs: in
/// <c>$TMPDIR/wallboard-bench-history-query/query.db</c> and the InfluxDB database
/// <c>wallboard_bench_query</c>, written again only when they are not complete (delete them to start over).
/// </remarks>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class HistoryQueryBenchmarks
{
    private static readonly DateTimeZone Zone = DateTimeZoneProviders.Tzdb["Asia/Shanghai"];
    private static readonly StoredRollups Rollups = StoredRollups.For([DateTimeZone.Utc, Zone]);
    private static readonly long MonthStart = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.FromHours(8)).ToUnixTimeMilliseconds();
    private static readonly long MonthEnd = MonthStart + (30L * 86_400_000);
    private static readonly long YearStart = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.FromHours(8)).ToUnixTimeMilliseconds();
    private static readonly long YearEnd = new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.FromHours(8)).ToUnixTimeMilliseconds();

    private readonly KpiOptions _options = new();
    private string _folder = string.Empty;
    private IKpiHistoryStore _store = null!;

    /// <summary>The stores measured: all three, or those listed in WALLBOARD_BENCH_HISTORY_STORES (e.g. <c>postgresql</c>).</summary>
    public static IEnumerable<string> Stores =>
        Environment.GetEnvironmentVariable("WALLBOARD_BENCH_HISTORY_STORES")?.Split(',', StringSplitOptions.RemoveEmptyEntries) ?? ["sqlite", "influxdb", "postgresql"];

    [ParamsSource(nameof(Stores))]
    public string Store { get; set; } = "sqlite";

    [GlobalSetup]
    public void Setup()
    {
        _folder = Path.Combine(Path.GetTempPath(), "wallboard-bench-history-query");
        Directory.CreateDirectory(_folder);
        _store = HistoryBenchmarkStores.Create(Store, _folder, "query", Rollups);
        if (_store is InfluxHistoryStore influx)
        {
            influx.EnsureDatabaseAsync().GetAwaiter().GetResult();
        }

        if (_store.GetWrittenUpToAsync().GetAwaiter().GetResult() == YearEnd)
        {
            return;
        }

        var random = new Random(1);
        var batch = new List<HistoryPoint>(50_000);
        for (var start = YearStart; start < YearEnd; start += HistoryPoint.IntervalMs)
        {
            for (var q = 0; q < 50; q++)
            {
                var offered = random.Next(0, 40);
                batch.Add(HistoryPoint.Queue($"queue-{q:D2}", start, new QueueCounters { Offered = offered, Answered = offered * 9 / 10, AnsweredWithinSl = offered * 8 / 10, AnsweredWaitMs = offered * 9_000L, MaxWaitMs = random.Next(0, 120_000) }));
            }

            if (start >= MonthStart && start < MonthEnd)
            {
                for (var a = 0; a < 500; a++)
                {
                    var handled = random.Next(0, 5);
                    batch.Add(HistoryPoint.Agent($"agent-{a:D3}", start, new AgentCounters { Answered = handled, Handled = handled, TalkMs = handled * 180_000L, LoginMs = 900_000, PauseMs = random.Next(0, 120_000) }));
                }
            }

            if (batch.Count >= 40_000)
            {
                _store.WriteAsync(batch, null).GetAwaiter().GetResult();
                batch.Clear();
            }
        }

        _store.WriteAsync(batch, null).GetAwaiter().GetResult();
        if (!AgentDays(rollups: true).GetAwaiter().GetResult().SequenceEqual(AgentDays(rollups: false).GetAwaiter().GetResult())
            || !QueueMonths(rollups: true).GetAwaiter().GetResult().SequenceEqual(QueueMonths(rollups: false).GetAwaiter().GetResult()))
        {
            throw new InvalidOperationException("the roll-ups and the quarter-hours give different rows");
        }

        // Complete and checked: the next process reads the same points.
        _store.WriteAsync([], YearEnd).GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Cleanup() => (_store as IDisposable)?.Dispose();

    [Benchmark]
    public async Task<int> MonthOf500AgentsByDay() => (await AgentDays(rollups: true)).Count;

    [Benchmark(Baseline = true)]
    public async Task<int> MonthOf500AgentsByDayFromQuarterHours() => (await AgentDays(rollups: false)).Count;

    [Benchmark]
    public async Task<int> YearOf50QueuesByMonth() => (await QueueMonths(rollups: true)).Count;

    [Benchmark]
    public async Task<int> YearOf50QueuesByMonthFromQuarterHours() => (await QueueMonths(rollups: false)).Count;

    private Task<List<AgentKpiRow>> AgentDays(bool rollups) =>
        RowsAsync(HistoryKind.Agents, MonthStart, MonthEnd, IntervalLength.Day, rollups, points => HistoryRollup.Agents(points, IntervalLength.Day, Zone, _options));

    private Task<List<QueueKpiRow>> QueueMonths(bool rollups) =>
        RowsAsync(HistoryKind.Queues, YearStart, YearEnd, IntervalLength.Month, rollups, points => HistoryRollup.Queues(points, IntervalLength.Month, Zone, _options));

    /// <summary>The rows as the query API makes them: from the roll-ups where one answers, or from the 15-minute points.</summary>
    private async Task<List<TRow>> RowsAsync<TRow>(HistoryKind kind, long fromMs, long toMs, IntervalLength step, bool rollups, Func<IReadOnlyList<HistoryPoint>, List<TRow>> rows) =>
        rows(rollups ? await _store.QueryForStepsAsync(kind, null, fromMs, toMs, step, Zone) : await _store.QueryAsync(kind, null, fromMs, toMs));
}
