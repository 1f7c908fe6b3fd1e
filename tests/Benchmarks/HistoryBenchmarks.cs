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

namespace Wallboard.Benchmarks;

/// <summary>Where the history benchmarks find InfluxDB: WALLBOARD_TEST_INFLUXDB_URL (start one with .ci/influxdb.sh).</summary>
internal static class HistoryBenchmarkStores
{
    public static string InfluxUrl =>
        Environment.GetEnvironmentVariable("WALLBOARD_TEST_INFLUXDB_URL") is { Length: > 0 } url
            ? url
            : throw new InvalidOperationException("set WALLBOARD_TEST_INFLUXDB_URL (e.g. `source .ci/influxdb.sh && influxdb_start`) to benchmark the InfluxDB store");

    public static IKpiHistoryStore Create(string kind, string folder, string name)
    {
        if (kind == "sqlite")
        {
            return new SqliteHistoryStore(Path.Combine(folder, name + ".db"));
        }

        return new InfluxHistoryStore(
            new HistoryOptions { InfluxUrl = InfluxUrl, Database = "wallboard_bench_" + name, SpoolPath = Path.Combine(folder, "spool-" + name), RequestTimeoutSeconds = 120 },
            TimeProvider.System,
            NullLogger<InfluxHistoryStore>.Instance);
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
/// centre (about three weeks), read into a 15-minute engine and written to a fresh store. One
/// operation is one line, so the mean is the time per line (lines/s = 1 / mean).
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
    public void CreateStore() => _store = HistoryBenchmarkStores.Create(Store, _folder, "import" + _iteration++);

    [IterationCleanup]
    public void DropStore() => HistoryBenchmarkStores.DropAsync(_store!).GetAwaiter().GetResult();

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_folder, recursive: true);

    [Benchmark(OperationsPerInvoke = Lines)]
    public async Task<long> Import100kQueueLogLines()
    {
        var engine = new KpiEngine(new KpiOptions { TimeZone = "Asia/Shanghai", Interval = IntervalLength.FifteenMinutes });
        new QueueLogReader().ReadFile(_queueLog, engine, new IngestReport());
        engine.FlushOpenSessions(engine.WatermarkMs);
        return await new HistoryWriter(engine, _store!).WriteAllAsync();
    }
}

/// <summary>
/// The analysts' heaviest usual question: a month of 15-minute intervals (30 days, 2,880
/// intervals) for 50 queues (144,000 points) or 500 agents (1,440,000 points), read from the store
/// and rolled up to local days, as the query API does.
/// </summary>
[MemoryDiagnoser]
public class HistoryQueryBenchmarks
{
    private static readonly DateTimeZone Zone = DateTimeZoneProviders.Tzdb["Asia/Shanghai"];
    private static readonly long MonthStart = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.FromHours(8)).ToUnixTimeMilliseconds();
    private static readonly long MonthEnd = MonthStart + (30L * 86_400_000);

    private readonly KpiOptions _options = new();
    private string _folder = string.Empty;
    private IKpiHistoryStore _store = null!;

    [Params("sqlite", "influxdb")]
    public string Store { get; set; } = "sqlite";

    [GlobalSetup]
    public void Setup()
    {
        _folder = Directory.CreateTempSubdirectory("wallboard-bench-query-").FullName;
        _store = HistoryBenchmarkStores.Create(Store, _folder, "query" + Environment.ProcessId);
        var random = new Random(1);
        var batch = new List<HistoryPoint>(50_000);
        for (var start = MonthStart; start < MonthEnd; start += HistoryPoint.IntervalMs)
        {
            for (var q = 0; q < 50; q++)
            {
                var offered = random.Next(0, 40);
                batch.Add(HistoryPoint.Queue($"queue-{q:D2}", start, new QueueCounters { Offered = offered, Answered = offered * 9 / 10, AnsweredWithinSl = offered * 8 / 10, AnsweredWaitMs = offered * 9_000L, MaxWaitMs = random.Next(0, 120_000) }));
            }

            for (var a = 0; a < 500; a++)
            {
                var handled = random.Next(0, 5);
                batch.Add(HistoryPoint.Agent($"agent-{a:D3}", start, new AgentCounters { Answered = handled, Handled = handled, TalkMs = handled * 180_000L, LoginMs = 900_000, PauseMs = random.Next(0, 120_000) }));
            }

            if (batch.Count >= 40_000)
            {
                _store.WriteAsync(batch, null).GetAwaiter().GetResult();
                batch.Clear();
            }
        }

        _store.WriteAsync(batch, MonthEnd).GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        HistoryBenchmarkStores.DropAsync(_store).GetAwaiter().GetResult();
        Directory.Delete(_folder, recursive: true);
    }

    [Benchmark]
    public async Task<int> MonthOf50QueuesByDay()
    {
        var points = await _store.QueryAsync(HistoryKind.Queues, null, MonthStart, MonthEnd);
        return HistoryRollup.Queues(points, IntervalLength.Day, Zone, _options).Count;
    }

    [Benchmark]
    public async Task<int> MonthOf500AgentsByDay()
    {
        var points = await _store.QueryAsync(HistoryKind.Agents, null, MonthStart, MonthEnd);
        return HistoryRollup.Agents(points, IntervalLength.Day, Zone, _options).Count;
    }
}
