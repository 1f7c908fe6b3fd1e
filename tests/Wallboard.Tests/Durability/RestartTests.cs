using System.Net;
using System.Net.Http.Json;
using System.Text;
using Wallboard.Hub.History;
using Wallboard.Hub.Hosting;
using Wallboard.Metrics.History;
using Wallboard.Tests.Live;
using static Wallboard.Tests.Live.LiveServer;

namespace Wallboard.Tests.Durability;

/// <summary>The server stopped and started again counts every call once, in history and on the live board.</summary>
public sealed class RestartTests
{
    [Fact]
    public async Task ACallAnsweredBeforeARestartAndCompletedAfterItIsCountedOnce()
    {
        // The operator's case: ENTERQUEUE and CONNECT are tailed, the server is restarted, then
        // COMPLETECALLER is appended. `wallboard kpi` says offered 1, answered 1, handled 1 (it said 2 and 2).
        var folder = Directory.CreateTempSubdirectory("wallboard-restart-").FullName;
        var log = Path.Combine(folder, "queue_log");
        await File.WriteAllTextAsync(log, Lines(
            QueueLog(60, "c1", "sales", "NONE", "ENTERQUEUE", "", "13800000001", "1"),
            QueueLog(50, "c1", "sales", "SIP/1001", "CONNECT", "10", "c1-b", "2")));
        var server = await StartAsync(new Dictionary<string, string> { ["Sources:QueueLogs:0"] = log });
        try
        {
            await server.Service<MetricsCore>().WhenAppliedAsync(2).WaitAsync(LiveServer.Timeout);

            server = await server.RestartAsync();
            await File.AppendAllTextAsync(log, Lines(QueueLog(20, "c1", "sales", "SIP/1001", "COMPLETECALLER", "10", "30", "1")));
            var applied = server.Service<MetricsCore>().WhenAppliedAsync(1);
            server.Time.Advance(TimeSpan.FromSeconds(0.5));
            await applied.WaitAsync(LiveServer.Timeout);
            await server.TickAsync();
            await server.Service<HistoryTickWriter>().Writing;

            Assert.Equal((1L, 1L, 1L), await StoredAsync(server));
            Assert.Equal((1.0, 1.0, 1.0), await LiveTodayAsync(server));
        }
        finally
        {
            await server.DisposeAsync();
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task AfterARestartTheLiveDayAgreesWithHistory()
    {
        // Four calls before the restart (two answered, one abandoned, one waiting), one after; the
        // waiting call is answered after the restart. Live "today" and history must both say offered 5.
        var server = await StartAsync();
        try
        {
            await server.PostQueueLogAsync(Lines(
                QueueLog(600, "a", "sales", "NONE", "ENTERQUEUE", "", "1", "1"),
                QueueLog(590, "a", "sales", "SIP/1001", "CONNECT", "10", "a-b", "2"),
                QueueLog(500, "b", "sales", "NONE", "ENTERQUEUE", "", "2", "1"),
                QueueLog(480, "b", "sales", "SIP/1002", "CONNECT", "20", "b-b", "2"),
                QueueLog(400, "c", "sales", "NONE", "ENTERQUEUE", "", "3", "1"),
                QueueLog(370, "c", "sales", "NONE", "ABANDON", "1", "1", "30"),
                QueueLog(300, "d", "sales", "NONE", "ENTERQUEUE", "", "4", "1")));
            server = await server.RestartAsync();

            await server.PostQueueLogAsync(Lines(
                QueueLog(200, "d", "sales", "SIP/1001", "CONNECT", "100", "d-b", "2"),
                QueueLog(100, "e", "sales", "NONE", "ENTERQUEUE", "", "5", "1"),
                QueueLog(95, "e", "sales", "SIP/1002", "CONNECT", "5", "e-b", "2")));

            // The restarted server wrote what the checkpoint had pending at its first tick; the next write is History:FlushSeconds later.
            await server.Service<HistoryTickWriter>().Writing;
            server.Time.Advance(TimeSpan.FromSeconds(10));
            await server.TickAsync();
            await server.Service<HistoryTickWriter>().Writing;

            Assert.Equal((5L, 4L, 0L), await StoredAsync(server));
            Assert.Equal((5.0, 4.0, 0.0), await LiveTodayAsync(server));
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    [Fact]
    public async Task ABatchSentAgainWithItsIdempotencyKeyIsAnsweredTheSameAndCountedOnce()
    {
        var server = await StartAsync();
        try
        {
            var batch = Lines(
                QueueLog(60, "k1", "sales", "NONE", "ENTERQUEUE", "", "1", "1"),
                "not|a|line",
                QueueLog(40, "k1", "sales", "NONE", "ABANDON", "1", "1", "20"));
            var (first, firstReplayed) = await PostWithKeyAsync(server, batch, "batch-0001");
            var (again, againReplayed) = await PostWithKeyAsync(server, batch, "batch-0001");

            // The key is kept with the checkpoint: a client retrying after a restart gets the same answer.
            server = await server.RestartAsync();
            var (afterRestart, afterRestartReplayed) = await PostWithKeyAsync(server, batch, "batch-0001");

            Assert.Equal((false, true, true), (firstReplayed, againReplayed, afterRestartReplayed));
            Assert.Equal(first, again);
            Assert.Equal(first, afterRestart);
            Assert.Contains("\"accepted\":2", first, StringComparison.Ordinal);
            Assert.Contains("\"rejected\":1", first, StringComparison.Ordinal);
            await server.TickAsync();
            Assert.Equal((1.0, 0.0, 0.0), await LiveTodayAsync(server));
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    [Fact]
    public async Task AnIdempotencyKeyThatIsNotPrintableIsRefusedNamingTheHeader()
    {
        await using var server = await StartAsync();
        using var http = server.Http();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("api/ingest/queue-log", UriKind.Relative))
        {
            Content = new StringContent(Lines(QueueLog(60, "k1", "sales", "NONE", "ENTERQUEUE", "", "1", "1")), Encoding.UTF8, "text/plain"),
        };
        request.Headers.TryAddWithoutValidation("Idempotency-Key", "two words");
        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Idempotency-Key", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static async Task<(string Answer, bool Replayed)> PostWithKeyAsync(LiveServer server, string lines, string key)
    {
        using var http = server.Http();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("api/ingest/queue-log", UriKind.Relative))
        {
            Content = new StringContent(lines, Encoding.UTF8, "text/plain"),
        };
        request.Headers.Add("Idempotency-Key", key);
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadAsStringAsync(), response.Headers.Contains("Idempotent-Replayed"));
    }

    internal static async Task<(long Offered, long Answered, long Handled)> StoredAsync(LiveServer server)
    {
        using var store = new SqliteHistoryStore(Path.Combine(server.Root, "history.db"));
        var points = await store.QueryAsync(HistoryKind.Queues, ["sales"], 0, long.MaxValue);
        return (points.Sum(p => p.QueueCounters.Offered), points.Sum(p => p.QueueCounters.Answered), points.Sum(p => p.QueueCounters.Handled));
    }

    internal static async Task<(double Offered, double Answered, double Handled)> LiveTodayAsync(LiveServer server)
    {
        using var http = server.Http();
        var queues = await http.GetFromJsonAsync<List<LiveQueue>>(new Uri("api/live/queues", UriKind.Relative));
        var today = Assert.Single(queues!).Windows["today"];
        return (today["offered"] ?? 0, today["answered"] ?? 0, today["handled"] ?? 0);
    }

    internal sealed record LiveQueue(string Queue, int CallsWaiting, Dictionary<string, Dictionary<string, double?>> Windows);
}
