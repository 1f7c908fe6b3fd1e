using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Wallboard.Hub.Live.Screens;
using Wallboard.Tests.Live;

namespace Wallboard.Tests.Cluster;

/// <summary>
/// Two hubs on one Redis and one PostgreSQL (real servers), each on its own port: what is posted to
/// one reaches the screens and the live API of the other (docs/cluster.md).
/// </summary>
[Collection(ClusterGroup.Name)]
public sealed class TwoHubTests(ClusterServersFixture servers) : IAsyncLifetime
{
    // LiveHubTests' morning, worked by hand there: queue "sales" (SL threshold 20 s, formula "offered",
    // short abandon < 5 s) at 10:00 in Shanghai — c1–c3 answered after 5, 15 and 30 s, c4 a short
    // abandon, c5 still waiting: offered 4, answered 3 (2 within SL), SL 2 / 3 = "67%",
    // ASA (5 + 15 + 30) / 3 = "0:17", abandon rate "0%", calls waiting 1.
    private static readonly string MorningLines = LiveHubTests.MorningLines;

    private readonly FakeTimeProvider _time = new(LiveServer.Now);
    private readonly string _name = ClusterServersFixture.NewClusterName();
    private string _database = string.Empty;

    public async Task InitializeAsync() => _database = await servers.CreateDatabaseAsync();

    public Task DisposeAsync() => servers.DropDatabaseAsync(_database);

    [Fact]
    public async Task LinesPostedToHubAReachAScreenOnHubBWithTheHandWorkedValuesAndBothLiveApisAgree()
    {
        await using var a = await ClusterHub.StartAsync("a", Cluster, _time, null, ("sales.json", TestDashboards.Sales));
        await a.WaitRunningAsync("main");
        await using var b = await ClusterHub.StartAsync("b", Cluster, _time, null, ("sales.json", TestDashboards.Sales));
        await using var screen = await b.ConnectScreenAsync();
        var state = await screen.JoinAsync("sales-floor");
        Assert.Equal(KpiValues.NoValue, state.Tiles.Single(tile => tile.Id == "sl").Display);

        var (status, body) = await a.PostQueueLogAsync(MorningLines);
        Assert.True(status == HttpStatusCode.OK, body);
        Assert.Equal(13, JsonDocument.Parse(body).RootElement.GetProperty("accepted").GetInt32());
        Assert.False(b.Cluster.Runs("main"));
        await a.WaitAppliedAsync("main", 13);
        _time.Advance(TimeSpan.FromSeconds(1));

        // Hub A's core ticked, published its figures through Redis, and the hub that pushes the
        // screens sent them through the backplane to the screen connected to hub B.
        var tiles = await TilesUntilAsync(screen, tiles => tiles.Any(tile => tile.Id == "offered" && tile.Value == 4));
        Assert.Equal(4, Tile(tiles, "offered").Value);
        Assert.Equal(0.666667, Tile(tiles, "sl").Value);
        Assert.Equal("67%", Tile(tiles, "sl").Display);
        Assert.Equal(1, Tile(tiles, "waiting").Value);
        Assert.Equal(16.666667, Tile(tiles, "asa").Value);
        Assert.Equal("0:17", Tile(tiles, "asa").Display);
        Assert.Equal("0%", Tile(tiles, "abandon-rate").Display);

        var onA = await LiveQueuesAsync(a);
        var onB = await LiveQueuesAsync(b);
        Assert.Equal(onA, onB);
        using var queues = JsonDocument.Parse(onB);
        var sales = Assert.Single(queues.RootElement.EnumerateArray());
        Assert.Equal("sales", sales.GetProperty("queue").GetString());
        Assert.Equal(1, sales.GetProperty("callsWaiting").GetInt32());
        var today = sales.GetProperty("windows").GetProperty("today");
        Assert.Equal((4, 3, 2), (today.GetProperty("offered").GetInt32(), today.GetProperty("answered").GetInt32(), today.GetProperty("answered_within_sl").GetInt32()));
    }

    [Fact]
    public async Task EachHubRunsItsOwnPartitionAndBothServeTheFiguresOfBoth()
    {
        var partitions = new Dictionary<string, string> { ["Cluster:Partitions:0"] = "beijing", ["Cluster:Partitions:1"] = "shanghai" };
        await using var a = await ClusterHub.StartAsync("a", Cluster, _time, new Dictionary<string, string>(partitions) { ["Cluster:Partition"] = "beijing" });
        await using var b = await ClusterHub.StartAsync("b", Cluster, _time, new Dictionary<string, string>(partitions) { ["Cluster:Partition"] = "shanghai" });
        await a.WaitRunningAsync("beijing");
        await b.WaitRunningAsync("shanghai");

        // Beijing: c1 answered after 5 s (in SL). Shanghai, posted to hub A but naming its partition: c2 abandoned after 40 s.
        Assert.Equal(HttpStatusCode.OK, (await b.PostQueueLogAsync(LiveServer.Lines(
            LiveServer.QueueLog(600, "c1", "bj-sales", "NONE", "ENTERQUEUE", string.Empty, "+8613800000001", 1),
            LiveServer.QueueLog(595, "c1", "bj-sales", "Agent/1001", "CONNECT", 5, "b1", 2),
            LiveServer.QueueLog(475, "c1", "bj-sales", "Agent/1001", "COMPLETEAGENT", 5, 120, 1)), partition: "beijing")).Status);
        Assert.Equal(HttpStatusCode.OK, (await a.PostQueueLogAsync(LiveServer.Lines(
            LiveServer.QueueLog(300, "c2", "sh-sales", "NONE", "ENTERQUEUE", string.Empty, "+8613900000002", 1),
            LiveServer.QueueLog(260, "c2", "sh-sales", "NONE", "ABANDON", 1, 1, 40)), partition: "shanghai")).Status);
        var (refused, problem) = await a.PostQueueLogAsync(MorningLines, partition: "guangzhou");
        Assert.Equal(HttpStatusCode.BadRequest, refused);
        Assert.Contains("partition: 'guangzhou' is not a partition of this cluster (beijing, shanghai)", problem, StringComparison.Ordinal);

        await a.WaitAppliedAsync("beijing", 3);
        await b.WaitAppliedAsync("shanghai", 2);
        _time.Advance(TimeSpan.FromSeconds(1));

        foreach (var hub in new[] { a, b })
        {
            await ClusterHub.Until(
                async () => (await LiveQueuesAsync(hub)).Contains("sh-sales", StringComparison.Ordinal) && (await LiveQueuesAsync(hub)).Contains("bj-sales", StringComparison.Ordinal),
                $"hub {hub.Node} to serve both partitions' queues");
        }

        Assert.Equal(await LiveQueuesAsync(a), await LiveQueuesAsync(b));
        using var queues = JsonDocument.Parse(await LiveQueuesAsync(a));
        var today = queues.RootElement.EnumerateArray().ToDictionary(queue => queue.GetProperty("queue").GetString()!, queue => queue.GetProperty("windows").GetProperty("today"));
        Assert.Equal(["bj-sales", "sh-sales"], today.Keys);
        Assert.Equal((1, 1, 0), (today["bj-sales"].GetProperty("offered").GetInt32(), today["bj-sales"].GetProperty("answered").GetInt32(), today["bj-sales"].GetProperty("abandoned").GetInt32()));
        Assert.Equal((1, 0, 1), (today["sh-sales"].GetProperty("offered").GetInt32(), today["sh-sales"].GetProperty("answered").GetInt32(), today["sh-sales"].GetProperty("abandoned").GetInt32()));

        using var health = JsonDocument.Parse(await a.Http().GetStringAsync(new Uri("healthz", UriKind.Relative)));
        var cluster = health.RootElement.GetProperty("cluster");
        Assert.Equal("a", cluster.GetProperty("node").GetString());
        Assert.Equal(["beijing"], cluster.GetProperty("running").EnumerateArray().Select(running => running.GetProperty("partition").GetString()));
        Assert.Equal(["a", "b"], cluster.GetProperty("partitions").EnumerateArray().Select(partition => partition.GetProperty("node").GetString()));
    }

    [Fact]
    public async Task ABroadcastPostedToTheHubThatDoesNotPushTheScreensIsShownAndADeleteOnTheOtherRemovesIt()
    {
        await using var a = await ClusterHub.StartAsync("a", Cluster, _time, null, ("sales.json", TestDashboards.Sales));
        await ClusterHub.Until(() => a.Cluster.Health.PushesScreens, "hub a to push the screens");
        await using var b = await ClusterHub.StartAsync("b", Cluster, _time, null, ("sales.json", TestDashboards.Sales));
        await using var screen = await a.ConnectScreenAsync();
        await screen.JoinAsync("sales-floor");
        _time.Advance(TimeSpan.FromSeconds(1));
        await ScreenClient.NextAsync(screen.Tiles);

        using var http = b.Http();
        using var response = await http.PostAsJsonAsync(new Uri("api/broadcasts", UriKind.Relative), new { text = "团队会议 11:00", expiresInMinutes = 10, severity = "warning" });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = (await response.Content.ReadFromJsonAsync<BroadcastMessage>())!;
        await ClusterHub.Until(() => a.Service<BroadcastStore>().Active().Count == 1, "hub a to know the broadcast");
        _time.Advance(TimeSpan.FromSeconds(1));

        var shown = await ScreenClient.NextAsync(screen.Broadcasts);
        Assert.Equal(("团队会议 11:00", "warning", created.Id), (shown!.Text, shown.Severity, shown.Id));

        using var deleted = await a.Http().DeleteAsync(new Uri("api/broadcasts/" + created.Id, UriKind.Relative));
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        await ClusterHub.Until(() => b.Service<BroadcastStore>().Active().Count == 0, "hub b to forget the broadcast");
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Null(await ScreenClient.NextAsync(screen.Broadcasts));

        // A hub that starts later finds the broadcasts in force in Redis.
        using var again = await http.PostAsJsonAsync(new Uri("api/broadcasts", UriKind.Relative), new { text = "Fire drill", expiresInMinutes = 5 });
        await ClusterHub.Until(() => a.Service<BroadcastStore>().Active().Count == 1, "hub a to know the second broadcast");
        await using var c = await ClusterHub.StartAsync("c", Cluster, _time);
        Assert.Equal(["Fire drill"], c.Service<BroadcastStore>().Active().Select(broadcast => broadcast.Text));
    }

    [Fact]
    public async Task AFollowedQueueLogFeedsThePartitionAndAHubStartedAgainGoesOnFromItsPositionInRedis()
    {
        var folder = Directory.CreateTempSubdirectory("wallboard-cluster-tail-").FullName;
        try
        {
            // First c1, answered after 5 s; later, while the hub is stopped, c2, abandoned after 40 s.
            // Both read once: offered 2, answered 1, abandoned 1 (read twice, c1 would make it 3 and 2).
            var queueLog = Path.Combine(folder, "queue_log");
            await File.WriteAllTextAsync(queueLog, LiveServer.Lines(
                LiveServer.QueueLog(600, "c1", "sales", "NONE", "ENTERQUEUE", string.Empty, "+8613800000001", 1),
                LiveServer.QueueLog(595, "c1", "sales", "Agent/1001", "CONNECT", 5, "b1", 2),
                LiveServer.QueueLog(475, "c1", "sales", "Agent/1001", "COMPLETEAGENT", 5, 120, 1)));
            var settings = new Dictionary<string, string> { ["Sources:QueueLogs:0"] = queueLog };
            await using (var first = await ClusterHub.StartAsync("a", Cluster, _time, settings))
            {
                await first.WaitRunningAsync("main");
                await first.WaitAppliedAsync("main", 3);
            }

            await File.AppendAllTextAsync(queueLog, LiveServer.Lines(
                LiveServer.QueueLog(300, "c2", "sales", "NONE", "ENTERQUEUE", string.Empty, "+8613900000002", 1),
                LiveServer.QueueLog(260, "c2", "sales", "NONE", "ABANDON", 1, 1, 40)));
            await using var again = await ClusterHub.StartAsync("a", Cluster, _time, settings);
            await again.WaitRunningAsync("main");
            await again.WaitAppliedAsync("main", 2);
            _time.Advance(TimeSpan.FromSeconds(1));

            await ClusterHub.Until(async () => (await LiveQueuesAsync(again)).Contains("sales", StringComparison.Ordinal), "the figures of the hub started again");
            using var queues = JsonDocument.Parse(await LiveQueuesAsync(again));
            var today = Assert.Single(queues.RootElement.EnumerateArray()).GetProperty("windows").GetProperty("today");
            Assert.Equal((2, 1, 1), (today.GetProperty("offered").GetInt32(), today.GetProperty("answered").GetInt32(), today.GetProperty("abandoned").GetInt32()));
            using var health = JsonDocument.Parse(await again.Http().GetStringAsync(new Uri("healthz", UriKind.Relative)));
            // Since it took over, the core applied the two new lines only; the first three came with the checkpoint.
            Assert.Equal(2, Assert.Single(health.RootElement.GetProperty("cluster").GetProperty("running").EnumerateArray()).GetProperty("eventsApplied").GetInt64());
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private (string Name, string Redis, string PostgreSql) Cluster => (_name, servers.Redis, _database);

    private static async Task<string> LiveQueuesAsync(ClusterHub hub)
    {
        using var http = hub.Http();
        return await http.GetStringAsync(new Uri("api/live/queues", UriKind.Relative));
    }

    /// <summary>The screen's tile messages until one satisfies <paramref name="done"/> (each tick may send a part of the figures).</summary>
    private static async Task<TileValue[]> TilesUntilAsync(ScreenClient screen, Func<TileValue[], bool> done)
    {
        var latest = new Dictionary<string, TileValue>(StringComparer.Ordinal);
        while (true)
        {
            foreach (var tile in await ScreenClient.NextAsync(screen.Tiles))
            {
                latest[tile.Id] = tile;
            }

            if (done([.. latest.Values]))
            {
                return [.. latest.Values];
            }
        }
    }

    private static TileValue Tile(IEnumerable<TileValue> tiles, string id) => tiles.Single(tile => tile.Id == id);
}
