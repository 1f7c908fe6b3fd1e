using System.Globalization;
using System.Text;
using System.Text.Json;
using Wallboard.Hub.Live.Screens;

namespace Wallboard.Tests.Live;

/// <summary>
/// What the floor screens get from the server beyond tiles: the waiting calls, each agent's queue
/// and outbound figures, trends against fifteen minutes ago, and queue-table cells coloured by
/// their own thresholds.
/// </summary>
public sealed class FloorScreenTests
{
    private const string Floor = """
        {
          "id": "floor", "name": "Floor", "queues": ["sales", "support"],
          "tiles": [
            { "id": "waiting", "kpi": "calls_waiting", "window": "live", "thresholds": { "direction": "above", "amber": 3, "red": 6 } },
            { "id": "longest", "kpi": "longest_wait_seconds", "window": "live", "format": "duration" }
          ],
          "queueTable": { "window": "today", "kpis": ["calls_waiting", "longest_wait_seconds", "agents_staffed", "agents_available"],
                          "thresholds": { "agents_available": { "direction": "below", "red": 0 } } },
          "waitingList": { "max": 10 },
          "agentBoard": { "teams": [], "figures": ["handled", "attempts", "connected", "conversions"] }
        }
        """;

    private static string Enter(int secondsAgo, string call, string queue) =>
        LiveServer.QueueLog(secondsAgo, call, queue, "NONE", "ENTERQUEUE", string.Empty, "+8613800138000", 1);

    [Fact]
    public async Task WaitingCallsAreListedLongestFirstWithTheirPositionInTheirQueueAndNoCaller()
    {
        await using var server = await LiveServer.StartAsync(null, ("floor.json", Floor));
        await server.PostQueueLogAsync(LiveServer.Lines(Enter(70, "c1", "support"), Enter(50, "s1", "sales"), Enter(40, "c2", "support")));
        await server.TickAsync();
        await using var screen = await server.ConnectAsync();
        var state = await screen.JoinAsync("floor");

        // c1 has waited 70 s (first in support), s1 50 s (first in sales), c2 40 s (second in support).
        Assert.Equal(
            [("support", 1, Since(70)), ("sales", 1, Since(50)), ("support", 2, Since(40))],
            state.Waiting.Select(call => (call.Queue, call.Position, call.Since)));
        Assert.DoesNotContain("13800138000", JsonSerializer.Serialize(state), StringComparison.Ordinal);
        var support = Assert.Single(state.Queues, row => row.Queue == "support");
        Assert.Equal((2.0, 70.0, "red"), (support.Values["calls_waiting"]!.Value, support.Values["longest_wait_seconds"]!.Value, support.States["longest_wait_seconds"]));

        // c1 is answered: c2 moves up to first in support; the screen gets the new list.
        await server.PostQueueLogAsync(LiveServer.Lines(LiveServer.QueueLog(0, "c1", "support", "Agent/1001", "CONNECT", 70, "b1", 2)));
        await server.TickAsync();
        var next = await ScreenClient.NextAsync(screen.Waiting);
        Assert.Equal([("sales", 1, Since(50)), ("support", 1, Since(40))], next.Select(call => (call.Queue, call.Position, call.Since)));
    }

    [Fact]
    public async Task QueueTableCellsAreColouredByTheirOwnThresholdsWithDefaultsForTheRest()
    {
        await using var server = await LiveServer.StartAsync(null, ("floor.json", Floor));
        // Support: 1001 logged in and free, a call waiting 45 s. Sales: nobody, a call waiting 10 s.
        await server.PostQueueLogAsync(LiveServer.Lines(
            LiveServer.QueueLog(600, "NONE", "support", "Agent/1001", "ADDMEMBER", string.Empty),
            Enter(45, "c1", "support"),
            Enter(10, "s1", "sales")));
        await server.TickAsync();
        var rows = server.Service<LiveBroadcaster>().StateOf("floor")!.Queues.ToDictionary(row => row.Queue);

        // Longest wait: no table bands, no tile bands for it: the default (amber from 30 s, red from 60 s).
        Assert.Equal("amber", rows["support"].States["longest_wait_seconds"]);
        Assert.Equal("green", rows["sales"].States["longest_wait_seconds"]);
        // Calls waiting: the board's tile (amber from 3): one call is inside.
        Assert.Equal("green", rows["support"].States["calls_waiting"]);
        // Agents available: the table's own (red at 0): sales has nobody.
        Assert.Equal((1.0, "green"), (rows["support"].Values["agents_available"]!.Value, rows["support"].States["agents_available"]));
        Assert.Equal((0.0, "red"), (rows["sales"].Values["agents_available"]!.Value, rows["sales"].States["agents_available"]));
        // Agents staffed: no bands anywhere, so never coloured.
        Assert.Equal("none", rows["support"].States["agents_staffed"]);
    }

    [Fact]
    public async Task AnAgentShowsTheQueueOfItsCallAndTodaysOutboundFigures()
    {
        var directory = Path.Combine(Path.GetTempPath(), "wallboard-floor-directory-" + Guid.NewGuid().ToString("N") + ".json");
        await File.WriteAllTextAsync(directory, """
            { "queues": { "support": { "name": "客服热线" } },
              "agents": { "Agent/1001": { "name": "王芳", "team": "team-support" }, "Agent/3001": { "name": "张伟", "team": "team-outbound" } },
              "teams": { "team-support": { "name": "客服组" }, "team-outbound": { "name": "外呼组" } } }
            """);
        try
        {
            await using var server = await LiveServer.StartAsync(new Dictionary<string, string> { ["Directory:Path"] = directory }, ("floor.json", Floor));
            await server.PostQueueLogAsync(LiveServer.Lines(
                LiveServer.QueueLog(600, "NONE", "support", "Agent/1001", "ADDMEMBER", string.Empty),
                LiveServer.QueueLog(600, "NONE", "sales", "Agent/3001", "ADDMEMBER", string.Empty),
                Enter(500, "c1", "support"),
                LiveServer.QueueLog(490, "c1", "support", "Agent/1001", "CONNECT", 10, "b1", 2)));
            var t = LiveServer.UnixSeconds(600);
            await PostEventsAsync(
                server,
                $$"""{"type":"outbound_attempt","time":{{t + 60}},"call_id":"o1","campaign":"sales-q4","agent":"Agent/3001","customer":"13900000001","result":"no_answer","ring_seconds":30,"talk_seconds":0}""",
                $$"""{"type":"outbound_attempt","time":{{t + 200}},"call_id":"o2","campaign":"sales-q4","agent":"Agent/3001","customer":"13900000002","result":"connected","ring_seconds":8,"talk_seconds":120}""",
                $$"""{"type":"disposition","time":{{t + 330}},"call_id":"o2","agent":"Agent/3001","campaign":"sales-q4","customer":"13900000002","outcome":"sale","converted":true}""");
            var agents = server.Service<LiveBroadcaster>().StateOf("floor")!.Agents.ToDictionary(agent => agent.Agent);

            // 王芳 has been on c1, a support call, since 490 s ago; the board names the queue as the directory does.
            var wang = agents["Agent/1001"];
            Assert.Equal(("王芳", "on_call", "客服热线", "客服组"), (wang.Name, wang.Status, wang.Queue, wang.TeamName));
            Assert.Equal(Since(490), wang.Since);
            // 张伟 dialled twice today, one connected, one sale; between calls he is on no queue's call.
            var zhang = agents["Agent/3001"];
            Assert.Equal(("available", null, 2L, 1L, 1L), (zhang.Status, zhang.Queue, zhang.Attempts, zhang.Connected, zhang.Conversions));
        }
        finally
        {
            File.Delete(directory);
        }
    }

    [Fact]
    public async Task TrendsCompareEachTileWithItsValueFifteenMinutesAgo()
    {
        await using var server = await LiveServer.StartAsync(null, ("floor.json", Floor));
        await server.PostQueueLogAsync(LiveServer.Lines(Enter(30, "c1", "support"), Enter(20, "c2", "support")));
        await server.TickAsync();
        var broadcaster = server.Service<LiveBroadcaster>();
        Assert.Equal("flat", Tile(broadcaster, "waiting").Trend);

        // Ten minutes on a third caller queues: up on the two of ten minutes ago, but the board has no
        // value from fifteen minutes ago yet.
        server.Time.Advance(TimeSpan.FromMinutes(10));
        await server.PostQueueLogAsync(LiveServer.Lines(Enter(0, "c3", "support")));
        await server.TickAsync();
        Assert.Equal((3.0, "flat"), (Tile(broadcaster, "waiting").Value, Tile(broadcaster, "waiting").Trend));

        // Fifteen minutes after the first tick: 3 against 2 then: up; the longest wait grew too.
        server.Time.Advance(TimeSpan.FromMinutes(5));
        await server.TickAsync();
        Assert.Equal((3.0, "up"), (Tile(broadcaster, "waiting").Value, Tile(broadcaster, "waiting").Trend));
        Assert.Equal("up", Tile(broadcaster, "longest").Trend);

        // Two are answered: 1 against the 2 in force fifteen minutes before: down.
        server.Time.Advance(TimeSpan.FromMinutes(1));
        await server.PostQueueLogAsync(LiveServer.Lines(
            LiveServer.QueueLog(0, "c1", "support", "Agent/1001", "CONNECT", 30, "b1", 2),
            LiveServer.QueueLog(0, "c2", "support", "Agent/1002", "CONNECT", 20, "b2", 2)));
        await server.TickAsync();
        Assert.Equal((1.0, "down"), (Tile(broadcaster, "waiting").Value, Tile(broadcaster, "waiting").Trend));
    }

    private static TileValue Tile(LiveBroadcaster broadcaster, string id) => broadcaster.StateOf("floor")!.Tiles.Single(tile => tile.Id == id);

    private static string Since(int secondsAgo) =>
        LiveServer.Now.AddSeconds(-secondsAgo).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static async Task PostEventsAsync(LiveServer server, params string[] lines)
    {
        using var http = server.Http();
        using var content = new StringContent(string.Join('\n', lines) + "\n", Encoding.UTF8, "application/x-ndjson");
        (await http.PostAsync(new Uri("api/events", UriKind.Relative), content)).EnsureSuccessStatusCode();
        await server.WhenAllAppliedAsync();
        await server.TickAsync();
    }
}
