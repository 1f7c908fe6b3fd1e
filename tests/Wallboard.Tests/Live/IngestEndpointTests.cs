using System.Net;
using System.Net.Http.Json;
using System.Text;

namespace Wallboard.Tests.Live;

/// <summary>HTTP ingest: good lines count whatever the bad ones around them.</summary>
public sealed class IngestEndpointTests
{
    [Fact]
    public async Task BadQueueLogLinesAreReportedByNumberWhileTheGoodOnesCount()
    {
        await using var server = await LiveServer.StartAsync(null, ("sales.json", TestDashboards.Sales));
        var answer = await server.PostQueueLogAsync(LiveServer.Lines(
            LiveServer.QueueLog(100, "c1", "sales", "NONE", "ENTERQUEUE", string.Empty, "+8613800000001", 1),
            "abc|c2|sales|NONE|ENTERQUEUE||1|1",
            LiveServer.QueueLog(90, "c1", "sales", "NONE", "ABANDON", 1, 1, 10),
            LiveServer.QueueLog(90, "NONE", "NONE", "NONE", "QUEUESTART", string.Empty),
            LiveServer.QueueLog(90, "c3", "sales", "NONE", "FROBNICATE", string.Empty)));

        Assert.Equal((2L, 1L, 1L, 1L), (answer.Accepted, answer.Rejected, answer.Ignored, answer.Unknown));
        var error = Assert.Single(answer.Errors);
        Assert.Equal(2, error.Line);
        Assert.Contains("epoch 'abc' is not a Unix time", error.Message, StringComparison.Ordinal);

        // The abandoned call (10 s, not short) is in the figures.
        await server.TickAsync();
        using var http = server.Http();
        var queues = await http.GetFromJsonAsync<List<QueueFigures>>(new Uri("api/live/queues", UriKind.Relative));
        var sales = Assert.Single(queues!);
        Assert.Equal((1.0, 1.0), (sales.Windows["today"]["offered"]!.Value, sales.Windows["today"]["abandoned"]!.Value));
    }

    [Fact]
    public async Task BadJsonEventsAreReportedByNumberWhileTheGoodOnesCount()
    {
        await using var server = await LiveServer.StartAsync(null, ("sales.json", TestDashboards.Sales));
        var time = LiveServer.UnixSeconds(30);
        var body = string.Join('\n',
            $$"""{"type":"call_queued","time":{{time}},"call_id":"j1","queue":"sales","caller":"+8613800000001"}""",
            $$"""{"type":"call_abandoned","time":{{time + 12}},"call_id":"j1","queue":"sales","wait_seconds":-3}""",
            "not json",
            $$"""{"type":"call_abandoned","time":{{time + 12}},"call_id":"j1","queue":"sales","wait_seconds":12}""") + "\n";
        using var http = server.Http();
        using var content = new StringContent(body, Encoding.UTF8, "application/x-ndjson");
        using var response = await http.PostAsync(new Uri("api/events", UriKind.Relative), content);
        var answer = await response.Content.ReadFromJsonAsync<IngestAnswer>();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal((2L, 2L), (answer!.Accepted, answer.Rejected));
        Assert.Equal([2L, 3L], answer.Errors.Select(error => error.Line));
        Assert.Contains("wait_seconds", answer.Errors[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ABodyOverTheLimitIsRefused()
    {
        await using var server = await LiveServer.StartAsync(new Dictionary<string, string> { ["Ingest:MaxBodyBytes"] = "2048" }, ("sales.json", TestDashboards.Sales));
        using var http = server.Http();
        using var content = new StringContent(new string('x', 4096), Encoding.UTF8, "text/plain");
        using var response = await http.PostAsync(new Uri("api/ingest/queue-log", UriKind.Relative), content);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task HealthReportsLagBacklogAndTails()
    {
        var root = Path.Combine(Path.GetTempPath(), "wallboard-tail-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(root);
        var log = Path.Combine(root, "queue_log");
        await File.WriteAllTextAsync(log, LiveServer.Lines(
            LiveServer.QueueLog(100, "t1", "sales", "NONE", "ENTERQUEUE", string.Empty, "+8613800000001", 1),
            LiveServer.QueueLog(90, "t1", "sales", "NONE", "ABANDON", 1, 1, 10)));
        try
        {
            await using var server = await LiveServer.StartAsync(
                new Dictionary<string, string> { ["Sources:QueueLogs:0"] = log, ["Sources:StatePath"] = Path.Combine(root, "state") },
                ("sales.json", TestDashboards.Sales));

            // The tail polls once at start; the second event lands 90 s before now.
            await server.Service<Wallboard.Hub.Hosting.MetricsCore>().WhenAppliedAsync(2).WaitAsync(LiveServer.Timeout);
            using var http = server.Http();
            var health = await http.GetFromJsonAsync<Health>(new Uri("healthz", UriKind.Relative));
            Assert.Equal(("ready", "live", 2L, 90.0), (health!.Status, health.Mode, health.EventsApplied, health.SourceLagSeconds));
            Assert.Equal(0, health.ChannelBacklog);
            var tail = Assert.Single(health.Tails);
            Assert.Equal((log, new FileInfo(log).Length, 2L), (tail.File, tail.Offset, tail.Events));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private sealed record QueueFigures(string Queue, int CallsWaiting, Dictionary<string, Dictionary<string, double?>> Windows);

    private sealed record Health(string Status, string Mode, long EventsApplied, double? SourceLagSeconds, int ChannelBacklog, List<Tail> Tails);

    private sealed record Tail(string Kind, string File, long Offset, long Events);
}
