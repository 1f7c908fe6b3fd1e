using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using StackExchange.Redis;
using Wallboard.Hub.Cluster;
using Wallboard.Tests.Durability;
using Xunit.Abstractions;

namespace Wallboard.Tests.Cluster;

/// <summary>
/// Hubs of one cluster as the published server runs them (<see cref="ServerProcess"/>, real time),
/// a recorded day fed to them in batches, and the end check against <c>wallboard kpi</c>: what the
/// failover and Redis-restart tests share. The day has one partition, <see cref="Partition"/>;
/// the cluster has a database, a name and a folder of its own, dropped at the end.
/// </summary>
internal sealed class HubProcesses : IAsyncDisposable
{
    public const string Partition = ClusterOptions.DefaultPartition;

    private readonly ClusterServersFixture _servers;
    private readonly string _folder = Directory.CreateTempSubdirectory("wallboard-hubs-").FullName;
    private readonly string _cluster = ClusterServersFixture.NewClusterName();
    private readonly string _redis;
    private readonly string _postgreSql;
    private readonly ITestOutputHelper _output;

    private HubProcesses(ClusterServersFixture servers, string redis, string postgreSql, ITestOutputHelper output)
    {
        _servers = servers;
        _redis = redis;
        _postgreSql = postgreSql;
        _output = output;
    }

    /// <summary>A cluster on <paramref name="servers"/>' PostgreSQL (a new database) and on <paramref name="redis"/> (theirs when null).</summary>
    public static async Task<HubProcesses> CreateAsync(ClusterServersFixture servers, ITestOutputHelper output, string? redis = null) =>
        new(servers, redis ?? servers.Redis, await servers.CreateDatabaseAsync(), output);

    private static readonly TimeSpan WaitTimeout = TimeSpan.FromSeconds(60);

    /// <summary>The hubs by index; null before a start, and a killed one stays until started again.</summary>
    public ServerProcess?[] Hubs { get; } = new ServerProcess?[2];

    public static string NodeName(int index) => ((char)('a' + index)).ToString();

    /// <summary>Starts hub <paramref name="index"/> (again), its data in a folder of its own.</summary>
    public async Task<ServerProcess> StartAsync(int index, string zone)
    {
        if (Hubs[index] is { } old)
        {
            await old.DisposeAsync();
        }

        var node = NodeName(index);
        var own = Path.Combine(_folder, node);
        Directory.CreateDirectory(own);
        return Hubs[index] = await ServerProcess.StartAsync(
            own,
            [
                "--Cluster:Name=" + _cluster,
                "--Cluster:Node=" + node,
                "--Cluster:Redis=" + _redis,
                "--Cluster:PostgreSql=" + _postgreSql,
                "--Storage:DataPath=" + Path.Combine(own, "state"),
                "--Metrics:TimeZone=" + zone,
                "--History:FlushSeconds=1",
                "--Durability:CheckpointSeconds=1",
                "--Dashboards:Path=" + Path.Combine(own, "dashboards"),
                "--Logging:LogLevel:Default=Warning",
            ],
            _output,
            name: node);
    }

    /// <summary>
    /// Posts the day, each ten minutes' queue_log to one hub and its JSON events to the other, in
    /// turn, every batch with its Idempotency-Key; a batch a hub does not take (dead, or Redis away)
    /// is sent again, to the other hub first. <paramref name="before"/> runs before each chunk.
    /// </summary>
    public async Task FeedAsync(RecordedDay day, Func<int, Task> before)
    {
        for (var chunk = 0; chunk < day.Chunks.Count; chunk++)
        {
            await before(chunk);
            var number = chunk.ToString(CultureInfo.InvariantCulture);
            var (queueLog, events) = day.Chunks[chunk];
            await PostAsync(chunk % 2, (hub, token) => hub.PostQueueLogAsync(queueLog, "queue-log-" + number, token));
            await PostAsync((chunk + 1) % 2, (hub, token) => hub.PostEventsAsync(events, "events-" + number, token));
            await Task.Delay(TimeSpan.FromMilliseconds(20), TimeProvider.System);
        }
    }

    /// <summary>Whether <paramref name="hub"/> runs the partition's core.</summary>
    public static async Task<bool> RunsAsync(ServerProcess hub) => await RunningAsync(hub) is not null;

    public static async Task<JsonElement?> RunningAsync(ServerProcess hub) =>
        (await ClusterAsync(hub)).GetProperty("running").EnumerateArray()
            .Where(running => running.GetProperty("partition").GetString() == Partition)
            .Select(running => (JsonElement?)running)
            .FirstOrDefault();

    /// <summary>The hub whose figures of the partition <paramref name="hub"/> holds.</summary>
    public static async Task<string?> PublishedByAsync(ServerProcess hub) =>
        (await ClusterAsync(hub)).GetProperty("partitions").EnumerateArray()
            .Single(partition => partition.GetProperty("partition").GetString() == Partition)
            .GetProperty("node").GetString();

    public static async Task<JsonElement> ClusterAsync(ServerProcess hub)
    {
        using var health = await hub.HealthAsync();
        return health.RootElement.GetProperty("cluster").Clone();
    }

    public static Task WaitAsync(ServerProcess hub, Func<ServerProcess, Task<bool>> condition, string what) =>
        hub.WaitAsync(() => condition(hub), WaitTimeout, what);

    /// <summary>
    /// Waits until <paramref name="hub"/>'s core has applied the stream's last entry, then for three
    /// ticks more (the first takes the changes, a write is due at most a second later) and nothing
    /// left to write to history.
    /// </summary>
    public async Task WaitCaughtUpAsync(ServerProcess hub)
    {
        await using var connection = await ConnectionMultiplexer.ConnectAsync(_redis);
        var last = (await connection.GetDatabase().StreamRangeAsync(new ClusterKeys(_cluster).Stream(Partition), "-", "+", 1, Order.Descending)).Single().Id.ToString();
        long ticks = 0;
        await WaitAsync(
            hub,
            async h =>
            {
                var running = (await RunningAsync(h))!.Value;
                ticks = running.GetProperty("ticks").GetInt64();
                return running.GetProperty("position").GetString() == last;
            },
            $"the core to apply the stream up to {last}");
        await WaitAsync(
            hub,
            async h => (await RunningAsync(h))!.Value is var running && running.GetProperty("ticks").GetInt64() >= ticks + 3 && running.GetProperty("historyPending").GetInt32() == 0,
            "history to be written");
    }

    /// <summary>The partition's history (15-minute rows of queues, agents, campaigns) and live "today" figures on <paramref name="hub"/> equal kpi over every line of the day.</summary>
    public async Task AssertFiguresEqualKpiAsync(ServerProcess hub, RecordedDay day)
    {
        var queueLog = Path.Combine(_folder, "queue_log");
        var events = Path.Combine(_folder, "events.ndjson");
        await File.WriteAllTextAsync(queueLog, string.Concat(day.Chunks.Select(chunk => chunk.QueueLog)));
        await File.WriteAllTextAsync(events, string.Concat(day.Chunks.Select(chunk => chunk.Events)));
        string[] input = ["--queue-log", queueLog, "--events", events, "--tz", day.Zone];
        foreach (var by in new[] { "queue", "agent", "campaign" })
        {
            var expected = KpiComparison.Rows(await KpiComparison.KpiAsync([.. input, "--by", by, "--interval", "15m"]), by);
            var actual = KpiComparison.Rows(await hub.HistoryAsync(by + "s", day.Start, day.Zone), by);
            Assert.True(expected.Count > (by == "campaign" ? 20 : 100), $"{by}: only {expected.Count} rows");
            KpiComparison.AssertSameRows(expected, actual, "history by " + by);
        }

        foreach (var by in new[] { "queue", "agent" })
        {
            KpiComparison.AssertSameRows(
                KpiComparison.Rows(await KpiComparison.KpiAsync([.. input, "--by", by, "--interval", "total"]), by),
                await hub.LiveTodayAsync(by + "s", by),
                $"live {by}s today");
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var hub in Hubs)
        {
            if (hub is not null)
            {
                await hub.DisposeAsync();
            }
        }

        await _servers.DropDatabaseAsync(_postgreSql);
        Directory.Delete(_folder, recursive: true);
    }

    /// <summary>Posts a batch to hub <paramref name="first"/>, or to the other while the first does not take it.</summary>
    private async Task PostAsync(int first, Func<ServerProcess, CancellationToken, Task<bool>> post)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(WaitTimeout.TotalSeconds * Stopwatch.Frequency);
        for (var attempt = 0; ; attempt++)
        {
            if (Hubs[(first + attempt) % 2] is { HasExited: false } hub && await post(hub, CancellationToken.None))
            {
                return;
            }

            Assert.True(Stopwatch.GetTimestamp() < deadline, $"no hub took a batch for {WaitTimeout.TotalSeconds} s");
            await Task.Delay(TimeSpan.FromMilliseconds(50), TimeProvider.System);
        }
    }
}
