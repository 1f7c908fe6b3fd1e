using Wallboard.Hub.Live.Screens;

namespace Wallboard.Tests.Live;

/// <summary>Screens connected to the real hub receive what ingest changes, and only that.</summary>
public sealed class LiveHubTests
{
    // Queue "sales", SL threshold 20 s, formula "offered", short abandon < 5 s (appsettings defaults).
    // Now is 10:00 local; every call arrived this morning.
    //   c1 waits  5 s, answered by Agent/1001, talks 120 s       → answered within SL
    //   c2 waits 15 s, answered, talks 100 s                       → answered within SL
    //   c3 waits 30 s, answered, talks  60 s                       → answered, not within SL
    //   c4 abandons after 3 s                                      → short abandon
    //   c5 arrived 60 s ago and is still waiting                   → no outcome yet, not offered
    // offered = 4 (c1–c4), net = offered − short = 3, SL = within / net = 2 / 3 = 0.666667 → "67%",
    // red since 0.667 ≤ 0.7; ASA = (5 + 15 + 30) / 3 = 16.67 s → "0:17";
    // abandon rate = (abandoned − short) / net = 0 / 3 = 0 → "0%"; calls waiting 1.
    internal static readonly string MorningLines = LiveServer.Lines(
        LiveServer.QueueLog(3600, "NONE", "sales", "Agent/1001", "ADDMEMBER", string.Empty),
        LiveServer.QueueLog(600, "c1", "sales", "NONE", "ENTERQUEUE", string.Empty, "+8613800000001", 1),
        LiveServer.QueueLog(595, "c1", "sales", "Agent/1001", "CONNECT", 5, "b1", 2),
        LiveServer.QueueLog(475, "c1", "sales", "Agent/1001", "COMPLETEAGENT", 5, 120, 1),
        LiveServer.QueueLog(500, "c2", "sales", "NONE", "ENTERQUEUE", string.Empty, "+8613800000002", 1),
        LiveServer.QueueLog(485, "c2", "sales", "Agent/1001", "CONNECT", 15, "b2", 3),
        LiveServer.QueueLog(385, "c2", "sales", "Agent/1001", "COMPLETEAGENT", 15, 100, 1),
        LiveServer.QueueLog(400, "c3", "sales", "NONE", "ENTERQUEUE", string.Empty, "+8613800000003", 1),
        LiveServer.QueueLog(370, "c3", "sales", "Agent/1001", "CONNECT", 30, "b3", 4),
        LiveServer.QueueLog(310, "c3", "sales", "Agent/1001", "COMPLETEAGENT", 30, 60, 1),
        LiveServer.QueueLog(300, "c4", "sales", "NONE", "ENTERQUEUE", string.Empty, "+8613800000004", 1),
        LiveServer.QueueLog(297, "c4", "sales", "NONE", "ABANDON", 1, 1, 3),
        LiveServer.QueueLog(60, "c5", "sales", "NONE", "ENTERQUEUE", string.Empty, "+8613800000005", 1));

    [Fact]
    public async Task IngestedLinesChangeTheTilesAConnectedScreenReceives()
    {
        await using var server = await LiveServer.StartAsync(null, ("sales.json", TestDashboards.Sales));
        await using var screen = await server.ConnectAsync();
        var state = await screen.JoinAsync("sales-floor");
        Assert.Equal("sales-floor", state.Dashboard.Id);
        Assert.Equal(KpiValues.NoValue, Tile(state.Tiles, "sl").Display);

        var answer = await server.PostQueueLogAsync(MorningLines);
        Assert.Equal(13, answer.Accepted);
        await server.TickAsync();

        var tiles = await ScreenClient.NextAsync(screen.Tiles);
        Assert.Equal(4, Tile(tiles, "offered").Value);
        Assert.Equal(0.666667, Tile(tiles, "sl").Value);
        Assert.Equal("67%", Tile(tiles, "sl").Display);
        Assert.Equal("red", Tile(tiles, "sl").State);
        Assert.Equal(0.8, Tile(tiles, "sl").Target);
        Assert.Equal(1, Tile(tiles, "waiting").Value);
        Assert.Equal("green", Tile(tiles, "waiting").State);
        Assert.Equal(16.666667, Tile(tiles, "asa").Value);
        Assert.Equal("0:17", Tile(tiles, "asa").Display);
        Assert.Equal(0, Tile(tiles, "abandon-rate").Value);
        Assert.Equal("0%", Tile(tiles, "abandon-rate").Display);

        var row = Assert.Single(await ScreenClient.NextAsync(screen.Queues));
        Assert.Equal(("sales", 1.0, 4.0, 0.666667), (row.Queue, row.Values["calls_waiting"], row.Values["offered"], row.Values["service_level"]));
        Assert.Equal("red", row.States["service_level"]);

        // Agent/1001 handled c1–c3; its team is its queue; no caller number anywhere in the row.
        var agent = Assert.Single(await ScreenClient.NextAsync(screen.Agents));
        Assert.Equal(("Agent/1001", "sales", 3L), (agent.Agent, agent.Team, agent.Handled));
        Assert.DoesNotContain("+86", agent.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AfterTheFullStateOnlyChangedTilesAreSent()
    {
        await using var server = await LiveServer.StartAsync(null, ("sales.json", TestDashboards.Sales));
        await server.PostQueueLogAsync(MorningLines);
        await server.TickAsync();
        await using var screen = await server.ConnectAsync();
        var state = await screen.JoinAsync("sales-floor");
        Assert.Equal(5, state.Tiles.Count);
        Assert.Equal(4, Tile(state.Tiles, "offered").Value);

        // c5 is answered now after 60 s: offered 5, net 4, SL 2/4 = 0.5, waiting 0,
        // ASA (5 + 15 + 30 + 60) / 4 = 27.5 s; abandon rate stays 0 / 4 = 0, so its tile is not sent.
        // Trends compare with fifteen minutes ago, and the board has no history that old: flat.
        await server.PostQueueLogAsync(LiveServer.Lines(LiveServer.QueueLog(0, "c5", "sales", "Agent/1001", "CONNECT", 60, "b5", 2)));
        await server.TickAsync();

        var tiles = await ScreenClient.NextAsync(screen.Tiles);
        Assert.Equal(["asa", "offered", "sl", "waiting"], tiles.Select(tile => tile.Id).Order(StringComparer.Ordinal));
        Assert.Equal((5.0, "flat"), (Tile(tiles, "offered").Value, Tile(tiles, "offered").Trend));
        Assert.Equal((0.5, "50%", "flat"), (Tile(tiles, "sl").Value, Tile(tiles, "sl").Display, Tile(tiles, "sl").Trend));
        Assert.Equal(0, Tile(tiles, "waiting").Value);
        Assert.Equal((27.5, "0:28"), (Tile(tiles, "asa").Value, Tile(tiles, "asa").Display));

        // Nothing changes: the next tick sends no tiles at all. A later change proves the order:
        // the next message is that change, not an empty or repeated one.
        await server.TickAsync();
        await server.PostQueueLogAsync(LiveServer.Lines(
            LiveServer.QueueLog(0, "c6", "sales", "NONE", "ENTERQUEUE", string.Empty, "+8613800000006", 1)));
        await server.TickAsync();
        var next = await ScreenClient.NextAsync(screen.Tiles);
        var waiting = Assert.Single(next);
        Assert.Equal(("waiting", 1.0, "flat"), (waiting.Id, waiting.Value, waiting.Trend));
    }

    [Fact]
    public async Task AScreenOfAnotherDashboardDoesNotGetTheFirstOnesTiles()
    {
        await using var server = await LiveServer.StartAsync(null, ("sales.json", TestDashboards.Sales), ("support.json", TestDashboards.Support));
        await using var sales = await server.ConnectAsync();
        await using var support = await server.ConnectAsync();
        await sales.JoinAsync("sales-floor");
        await support.JoinAsync("support-floor");

        await server.PostQueueLogAsync(MorningLines);
        await server.TickAsync();
        Assert.Equal(4, Tile(await ScreenClient.NextAsync(sales.Tiles), "offered").Value);

        // One abandoned support call (10 s, not short): offered 1 on the support board only.
        await server.PostQueueLogAsync(LiveServer.Lines(
            LiveServer.QueueLog(100, "s1", "support", "NONE", "ENTERQUEUE", string.Empty, "+8613800000011", 1),
            LiveServer.QueueLog(90, "s1", "support", "NONE", "ABANDON", 1, 1, 10)));
        await server.TickAsync();

        // The support screen's first tiles message is this tick's: the sales tick sent it nothing.
        var tiles = await ScreenClient.NextAsync(support.Tiles);
        var offered = Assert.Single(tiles);
        Assert.Equal(("support-offered", 1.0), (offered.Id, offered.Value));
        Assert.False(sales.Tiles.Reader.TryRead(out _));
    }

    [Fact]
    public async Task JoiningAnotherDashboardLeavesTheFirst()
    {
        await using var server = await LiveServer.StartAsync(null, ("sales.json", TestDashboards.Sales), ("support.json", TestDashboards.Support));
        await using var screen = await server.ConnectAsync();
        await screen.JoinAsync("sales-floor");
        var state = await screen.JoinAsync("support-floor");
        Assert.Equal("support-floor", state.Dashboard.Id);

        await server.PostQueueLogAsync(MorningLines);
        await server.TickAsync();
        await server.PostQueueLogAsync(LiveServer.Lines(
            LiveServer.QueueLog(100, "s1", "support", "NONE", "ENTERQUEUE", string.Empty, "+8613800000011", 1),
            LiveServer.QueueLog(90, "s1", "support", "NONE", "ABANDON", 1, 1, 10)));
        await server.TickAsync();

        Assert.Equal("support-offered", Assert.Single(await ScreenClient.NextAsync(screen.Tiles)).Id);
    }

    [Fact]
    public async Task JoiningAnUnknownDashboardFails()
    {
        await using var server = await LiveServer.StartAsync(null, ("sales.json", TestDashboards.Sales));
        await using var screen = await server.ConnectAsync();
        var error = await Assert.ThrowsAsync<Microsoft.AspNetCore.SignalR.HubException>(() => screen.JoinAsync("nope"));
        Assert.Contains("no dashboard 'nope'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AScreenCannotConnectOnceTheServerIsStopping()
    {
        // SignalR closes its connections when stopping starts; a screen let in after that kept the web
        // host waiting for the whole shutdown timeout.
        await using var server = await LiveServer.StartAsync(null, ("sales.json", TestDashboards.Sales));
        await using (await server.ConnectAsync())
        {
        }

        server.Service<Microsoft.Extensions.Hosting.IHostApplicationLifetime>().StopApplication();
        await Assert.ThrowsAsync<HttpRequestException>(() => server.ConnectAsync());
        using var http = server.Http();
        using var negotiate = await http.PostAsync(new Uri("hubs/wallboard/negotiate?negotiateVersion=1", UriKind.Relative), null);
        Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, negotiate.StatusCode);
        using var health = await http.GetAsync(new Uri("healthz", UriKind.Relative));
        Assert.Equal(System.Net.HttpStatusCode.OK, health.StatusCode);
    }

    private static TileValue Tile(IEnumerable<TileValue> tiles, string id) => tiles.Single(tile => tile.Id == id);
}
