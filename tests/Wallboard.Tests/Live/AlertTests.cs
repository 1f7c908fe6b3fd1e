using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Wallboard.Hub.Live.Screens;

namespace Wallboard.Tests.Live;

/// <summary>A tile crossing into red is pushed to screens and posted to the webhook; display and state rules.</summary>
public sealed class AlertTests
{
    [Fact]
    public async Task ATileTurningRedCallsTheWebhookAndAFailingWebhookIsCounted()
    {
        var received = Channel.CreateUnbounded<string>();
        var hookBuilder = WebApplication.CreateSlimBuilder();
        hookBuilder.WebHost.UseUrls("http://127.0.0.1:0");
        await using var hook = hookBuilder.Build();
        hook.MapPost("/hook", async (HttpRequest request) =>
        {
            using var reader = new StreamReader(request.Body);
            await received.Writer.WriteAsync(await reader.ReadToEndAsync());
            return Results.Ok();
        });
        await hook.StartAsync();

        await using var server = await LiveServer.StartAsync(
            new Dictionary<string, string> { ["Alerts:WebhookUrl"] = hook.Urls.First() + "/hook" },
            ("sales.json", TestDashboards.Sales));

        // Six calls waiting: "waiting" reaches red (≥ 6) from green.
        await server.PostQueueLogAsync(LiveServer.Lines(LiveServer.QueueLog(10, "w0", "sales", "NONE", "ENTERQUEUE", string.Empty, "1", 1)));
        await server.TickAsync();
        await server.PostQueueLogAsync(LiveServer.Lines([.. Enumerable.Range(1, 5).Select(i => LiveServer.QueueLog(5, "w" + i, "sales", "NONE", "ENTERQUEUE", string.Empty, "1", 1))]));
        await server.TickAsync();

        var body = await received.Reader.ReadAsync().AsTask().WaitAsync(LiveServer.Timeout);
        Assert.Contains("\"tileId\":\"waiting\"", body, StringComparison.Ordinal);
        Assert.Contains("\"value\":6", body, StringComparison.Ordinal);
        Assert.Equal(1, server.Service<LiveBroadcaster>().Alerts);

        await hook.StopAsync();
        var webhook = server.Service<AlertWebhook>();
        await server.PostQueueLogAsync(LiveServer.Lines([.. Enumerable.Range(1, 6).Select(i => LiveServer.QueueLog(0, "w" + i, "sales", "Agent/1", "CONNECT", 5, "b", 1))]));
        await server.TickAsync();
        await server.PostQueueLogAsync(LiveServer.Lines([.. Enumerable.Range(7, 6).Select(i => LiveServer.QueueLog(0, "w" + i, "sales", "NONE", "ENTERQUEUE", string.Empty, "1", 1))]));
        await server.TickAsync();
        Assert.Equal(2, server.Service<LiveBroadcaster>().Alerts);
        while (webhook.Failed == 0)
        {
            // Failed is counted before the attempt completes, so this wait cannot miss it.
            await webhook.NextAttempt.WaitAsync(LiveServer.Timeout);
        }

        Assert.Equal(1, webhook.Failed);
    }

    [Theory]
    [InlineData(null, "number", "–")]
    [InlineData(1234.0, "number", "1,234")]
    [InlineData(0.666667, "percent", "67%")]
    [InlineData(0.125, "percent", "13%")]
    [InlineData(12.46, "decimal", "12.5")]
    [InlineData(59.5, "duration", "1:00")]
    [InlineData(16.666667, "duration", "0:17")]
    [InlineData(3725.0, "duration", "1:02:05")]
    public void DisplayFollowsTheFormat(double? value, string format, string expected) =>
        Assert.Equal(expected, KpiValues.Display(value, format));

    [Theory]
    [InlineData(null, "above", 3.0, 6.0, "none")]
    [InlineData(2.0, "above", 3.0, 6.0, "green")]
    [InlineData(3.0, "above", 3.0, 6.0, "amber")]
    [InlineData(6.0, "above", 3.0, 6.0, "red")]
    [InlineData(0.85, "below", 0.8, 0.7, "green")]
    [InlineData(0.8, "below", 0.8, 0.7, "amber")]
    [InlineData(0.7, "below", 0.8, 0.7, "red")]
    public void StateFollowsTheThresholds(double? value, string direction, double amber, double red, string expected) =>
        Assert.Equal(expected, KpiValues.State(value, new Wallboard.Hub.Live.Dashboards.Thresholds(direction, amber, red)));
}
