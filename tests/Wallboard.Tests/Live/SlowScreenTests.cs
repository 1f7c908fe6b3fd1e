using System.Net.WebSockets;
using System.Text;
using Wallboard.Hub.Live.Screens;

namespace Wallboard.Tests.Live;

/// <summary>A screen that stops reading must not hold up the ticks nor the other screens.</summary>
public sealed class SlowScreenTests
{
    private const int Queues = 300;
    private const int Ticks = 150;

    [Fact]
    public async Task AScreenThatNeverReadsDoesNotSlowTheTicksOrTheOtherScreens()
    {
        // 300 queues each with a call waiting: every second the queue table's longest waits all
        // change, about 30 KB a push; 150 pushes (≈ 4–5 MB) overflow the stalled screen's buffers.
        var queues = Enumerable.Range(0, Queues).Select(q => $"q{q}").ToList();
        var dashboard = $$"""
            {
              "id": "big",
              "name": "Big",
              "queues": [{{string.Join(", ", queues.Select(q => $"\"{q}\""))}}],
              "tiles": [ { "id": "longest", "title": "Longest wait", "kpi": "longest_wait_seconds", "window": "live" } ],
              "queueTable": { "window": "today", "kpis": ["calls_waiting", "longest_wait_seconds"] }
            }
            """;
        await using var server = await LiveServer.StartAsync(null, ("big.json", dashboard));
        await server.PostQueueLogAsync(LiveServer.Lines([.. queues.Select(q => LiveServer.QueueLog(0, "call-" + q, q, "NONE", "ENTERQUEUE", string.Empty, "1", 1))]));

        using var stalled = new ClientWebSocket();
        await stalled.ConnectAsync(new Uri(server.BaseAddress.ToString().Replace("http", "ws", StringComparison.Ordinal) + "hubs/wallboard"), CancellationToken.None);
        await stalled.SendAsync(Encoding.UTF8.GetBytes("{\"protocol\":\"json\",\"version\":1}\u001e"), WebSocketMessageType.Text, true, CancellationToken.None);
        await stalled.SendAsync(
            Encoding.UTF8.GetBytes("{\"type\":1,\"invocationId\":\"1\",\"target\":\"JoinDashboard\",\"arguments\":[\"big\"]}\u001e"),
            WebSocketMessageType.Text, true, CancellationToken.None);

        await using var screen = await server.ConnectAsync();
        await screen.JoinAsync("big");

        // The join of the stalled screen is in when it appears in its group's pushes; ticks must
        // not wait for it: each tick completes at once, whatever that screen does not read.
        var broadcaster = server.Service<LiveBroadcaster>();
        for (var i = 1; i <= Ticks; i++)
        {
            server.Time.Advance(TimeSpan.FromSeconds(1));
            Assert.True(server.TickAsync().IsCompletedSuccessfully, "a tick waited");
        }

        // The reading screen got every push: the longest wait went up a second per tick.
        double last = 0;
        for (var i = 0; i < Ticks; i++)
        {
            var tiles = await ScreenClient.NextAsync(screen.Tiles);
            last = tiles.Single().Value!.Value;
        }

        Assert.True(last >= Ticks, $"the reading screen's last longest wait was {last}");
        Assert.True(broadcaster.PushesBehind > 0, "the stalled screen never fell behind; the test did not stall it");
    }
}
