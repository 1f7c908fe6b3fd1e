using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using StackExchange.Redis;
using Wallboard.Hub.Cluster;
using Wallboard.Tests.Durability;
using Xunit.Abstractions;

namespace Wallboard.Tests.Cluster;

/// <summary>
/// Two hubs as the published server runs them (separate processes) on one Redis and one PostgreSQL,
/// a recorded day posted to both in batches; the hub that runs the partition's core is killed with
/// SIGKILL in the middle. The other must take the core over within 10 s, and at the end the
/// partition's live figures and its stored history (PostgreSQL) must equal <c>wallboard kpi</c>
/// over every line: nothing lost, nothing counted twice (docs/cluster.md).
/// </summary>
[Collection(ClusterGroup.Name)]
public sealed class FailoverTests(ClusterServersFixture servers, ITestOutputHelper output) : IAsyncLifetime
{
    private const int Seed = 20261206;
    private const string Partition = ClusterOptions.DefaultPartition;
    private static readonly TimeSpan ChunkSpan = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan TakeOverTarget = TimeSpan.FromSeconds(10);

    private readonly string _dir = Directory.CreateTempSubdirectory("wallboard-failover-").FullName;
    private readonly string _name = ClusterServersFixture.NewClusterName();
    private string _database = string.Empty;

    public async Task InitializeAsync() => _database = await servers.CreateDatabaseAsync();

    public async Task DisposeAsync()
    {
        await servers.DropDatabaseAsync(_database);
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task AfterTheCoresHubIsKilledTheOtherTakesOverWithinTenSecondsAndTheFiguresEqualKpi()
    {
        var day = RecordedDay.Make(TimeProvider.System.GetUtcNow(), Seed, ChunkSpan);
        var hubs = new ServerProcess?[2];
        try
        {
            hubs[0] = await StartHubAsync("a", day.Zone);
            await WaitAsync(hubs[0]!, async hub => await RunsAsync(hub), "hub a to run the core");
            hubs[1] = await StartHubAsync("b", day.Zone);

            // The day in batches, the queue_log of each ten minutes to one hub and its JSON events to
            // the other, in turn; a batch a hub does not take (it is dead) goes to the other, with its key.
            var posted = 0;
            using var feeding = new CancellationTokenSource();
            var killAt = day.Chunks.Count * 2 / 5;
            var reachedKill = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var feeder = Task.Run(async () =>
            {
                for (var chunk = 0; chunk < day.Chunks.Count; chunk++)
                {
                    if (chunk == killAt)
                    {
                        reachedKill.SetResult();
                    }

                    var number = chunk.ToString(CultureInfo.InvariantCulture);
                    await PostAsync(hubs, chunk % 2, (hub, token) => hub.PostQueueLogAsync(day.Chunks[chunk].QueueLog, "queue-log-" + number, token), feeding.Token);
                    await PostAsync(hubs, (chunk + 1) % 2, (hub, token) => hub.PostEventsAsync(day.Chunks[chunk].Events, "events-" + number, token), feeding.Token);
                    posted = chunk + 1;
                    await Task.Delay(TimeSpan.FromMilliseconds(20), TimeProvider.System, CancellationToken.None);
                }
            });

            await reachedKill.Task.WaitAsync(TimeSpan.FromSeconds(120));
            var owner = await RunsAsync(hubs[0]!) ? 0 : 1;
            var survivor = hubs[1 - owner]!;
            var ownerName = owner == 0 ? "a" : "b";
            var survivorName = owner == 0 ? "b" : "a";
            Assert.True(await RunsAsync(hubs[owner]!), $"hub {ownerName} runs the core");
            var killed = Stopwatch.GetTimestamp();
            hubs[owner]!.Kill();

            await WaitAsync(survivor, RunsAsync, $"hub {survivorName} to take the core over");
            var running = Stopwatch.GetElapsedTime(killed);
            await WaitAsync(survivor, async hub => await PublishedByAsync(hub) == survivorName, $"hub {survivorName}'s figures");
            var publishing = Stopwatch.GetElapsedTime(killed);
            var takeOver = await TakeOverMillisecondsAsync(survivor);
            output.WriteLine(
                $"takeover after kill -9 of hub {ownerName} (chunk {posted} of {day.Chunks.Count} posted): core running on hub {survivorName} after {running.TotalSeconds:0.00} s "
                + $"(restoring its checkpoint and replaying the stream took {takeOver:0} ms), its figures published after {publishing.TotalSeconds:0.00} s");
            Assert.True(running < TakeOverTarget, $"the core ran again only {running.TotalSeconds:0.0} s after the kill");
            Assert.True(publishing < TakeOverTarget, $"the partition's figures came again only {publishing.TotalSeconds:0.0} s after the kill");

            await feeder.WaitAsync(TimeSpan.FromSeconds(120));
            Assert.Equal(day.Chunks.Count, posted);
            await WaitCaughtUpAsync(survivor);

            var queueLog = Path.Combine(_dir, "queue_log");
            var events = Path.Combine(_dir, "events.ndjson");
            await File.WriteAllTextAsync(queueLog, string.Concat(day.Chunks.Select(chunk => chunk.QueueLog)));
            await File.WriteAllTextAsync(events, string.Concat(day.Chunks.Select(chunk => chunk.Events)));
            string[] input = ["--queue-log", queueLog, "--events", events, "--tz", day.Zone];
            foreach (var by in new[] { "queue", "agent", "campaign" })
            {
                var expected = KpiComparison.Rows(await KpiComparison.KpiAsync([.. input, "--by", by, "--interval", "15m"]), by);
                var actual = KpiComparison.Rows(await survivor.HistoryAsync(by + "s", day.Start, day.Zone), by);
                Assert.True(expected.Count > (by == "campaign" ? 20 : 100), $"{by}: only {expected.Count} rows");
                KpiComparison.AssertSameRows(expected, actual, "history by " + by);
            }

            KpiComparison.AssertSameRows(
                KpiComparison.Rows(await KpiComparison.KpiAsync([.. input, "--by", "queue", "--interval", "total"]), "queue"),
                await survivor.LiveTodayAsync("queues", "queue"),
                "live queues today");
            KpiComparison.AssertSameRows(
                KpiComparison.Rows(await KpiComparison.KpiAsync([.. input, "--by", "agent", "--interval", "total"]), "agent"),
                await survivor.LiveTodayAsync("agents", "agent"),
                "live agents today");

            // The killed hub, started again, stands by (the core stays where it is) and serves the same figures.
            await hubs[owner]!.DisposeAsync();
            hubs[owner] = await StartHubAsync(ownerName, day.Zone);
            await WaitAsync(hubs[owner]!, async hub => await PublishedByAsync(hub) == survivorName, $"restarted hub {ownerName} to read the figures");
            Assert.False(await RunsAsync(hubs[owner]!));
            Assert.Equal(await survivor.GetStringAsync("api/live/queues?limit=10000"), await hubs[owner]!.GetStringAsync("api/live/queues?limit=10000"));
        }
        finally
        {
            foreach (var hub in hubs)
            {
                if (hub is not null)
                {
                    await hub.DisposeAsync();
                }
            }
        }
    }

    private Task<ServerProcess> StartHubAsync(string node, string zone)
    {
        var folder = Path.Combine(_dir, node);
        Directory.CreateDirectory(folder);
        return ServerProcess.StartAsync(
            folder,
            [
                "--Cluster:Name=" + _name,
                "--Cluster:Node=" + node,
                "--Cluster:Redis=" + servers.Redis,
                "--Cluster:PostgreSql=" + _database,
                "--Storage:DataPath=" + Path.Combine(folder, "state"),
                "--Metrics:TimeZone=" + zone,
                "--History:FlushSeconds=1",
                "--Durability:CheckpointSeconds=1",
                "--Dashboards:Path=" + Path.Combine(folder, "dashboards"),
                "--Logging:LogLevel:Default=Warning",
            ],
            output,
            name: node);
    }

    /// <summary>Posts a batch to hub <paramref name="first"/>, or to the other while the first does not take it.</summary>
    private static async Task PostAsync(ServerProcess?[] hubs, int first, Func<ServerProcess, CancellationToken, Task<bool>> post, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.GetTimestamp() + (60 * Stopwatch.Frequency);
        for (var attempt = 0; ; attempt++)
        {
            if (hubs[(first + attempt) % 2] is { HasExited: false } hub && await post(hub, cancellationToken))
            {
                return;
            }

            Assert.True(Stopwatch.GetTimestamp() < deadline, "no hub took a batch for 60 s");
            await Task.Delay(TimeSpan.FromMilliseconds(50), TimeProvider.System, cancellationToken);
        }
    }

    private static async Task<JsonElement> ClusterAsync(ServerProcess hub)
    {
        using var health = await hub.HealthAsync();
        return health.RootElement.GetProperty("cluster").Clone();
    }

    private static async Task<JsonElement?> RunningAsync(ServerProcess hub) =>
        (await ClusterAsync(hub)).GetProperty("running").EnumerateArray().Where(running => running.GetProperty("partition").GetString() == Partition).Select(running => (JsonElement?)running).FirstOrDefault();

    private static async Task<bool> RunsAsync(ServerProcess hub) => await RunningAsync(hub) is not null;

    private static async Task<double> TakeOverMillisecondsAsync(ServerProcess hub) => (await RunningAsync(hub))!.Value.GetProperty("takeOverMilliseconds").GetDouble();

    /// <summary>The hub whose figures of the partition this hub holds.</summary>
    private static async Task<string?> PublishedByAsync(ServerProcess hub) =>
        (await ClusterAsync(hub)).GetProperty("partitions").EnumerateArray().Single(partition => partition.GetProperty("partition").GetString() == Partition).GetProperty("node").GetString();

    /// <summary>
    /// Waits until the core has applied the stream's last entry, then for three ticks more (the first
    /// takes the changes, a write is due at most a second later) and nothing left to write to history.
    /// </summary>
    private async Task WaitCaughtUpAsync(ServerProcess hub)
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(servers.Redis);
        var last = (await redis.GetDatabase().StreamRangeAsync(new ClusterKeys(_name).Stream(Partition), "-", "+", 1, Order.Descending)).Single().Id.ToString();
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

    private static Task WaitAsync(ServerProcess hub, Func<ServerProcess, Task<bool>> condition, string what) =>
        hub.WaitAsync(() => condition(hub), TimeSpan.FromSeconds(60), what);
}
