using Wallboard.Hub.History;
using Wallboard.Metrics.History;
using Wallboard.Tests.Live;
using static Wallboard.Tests.Live.LiveServer;

namespace Wallboard.Tests.History;

/// <summary>The live server writing its 15-minute intervals to the history store.</summary>
public sealed class HistoryRecordingTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("wallboard-recording-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task ChangesStillPendingAtShutdownAreWrittenWhenTheServerStops()
    {
        var database = Path.Combine(_folder, "history.db");
        var server = await LiveServer.StartAsync(new Dictionary<string, string>
        {
            ["History:SqlitePath"] = database,
            ["History:FlushSeconds"] = "600",
        });

        // c1 queued 60 s before now and answered after 10 s: written at the first tick.
        await server.PostQueueLogAsync(Lines(
            QueueLog(60, "c1", "sales", "NONE", "ENTERQUEUE", "", "13800000001", "1"),
            QueueLog(50, "c1", "sales", "SIP/1001", "CONNECT", "10", "c1-b", "2")));
        await server.TickAsync();
        await server.Service<HistoryTickWriter>().Writing;

        // c2 abandons after 20 s; the next write is 600 s away on the (stopped) clock, so it stays pending.
        await server.PostQueueLogAsync(Lines(
            QueueLog(40, "c2", "sales", "NONE", "ENTERQUEUE", "", "13800000002", "1"),
            QueueLog(20, "c2", "sales", "NONE", "ABANDON", "1", "1", "20")));
        await server.TickAsync();
        await server.Service<HistoryTickWriter>().Writing;
        Assert.Equal(1, (await OfferedInSalesAsync(database)).Offered);

        await server.DisposeAsync();

        var stored = await OfferedInSalesAsync(database);
        Assert.Equal(2, stored.Offered);
        Assert.Equal(1, stored.Answered);
        Assert.Equal(1, stored.Abandoned);
    }

    [Fact]
    public async Task TheLastWriteAtShutdownGoesAheadWhenTheHostHasNoTimeLeft()
    {
        // Services stopped before the writer can use up the host's shutdown timeout; its token is then spent.
        var database = Path.Combine(_folder, "history.db");
        await using var server = await LiveServer.StartAsync(new Dictionary<string, string>
        {
            ["History:SqlitePath"] = database,
            ["History:FlushSeconds"] = "600",
        });
        await server.PostQueueLogAsync(Lines(
            QueueLog(40, "c1", "sales", "NONE", "ENTERQUEUE", "", "13800000002", "1"),
            QueueLog(20, "c1", "sales", "NONE", "ABANDON", "1", "1", "20")));

        await server.Service<HistoryTickWriter>().StopAsync(new CancellationToken(canceled: true));

        Assert.Equal((1L, 0L, 1L), await OfferedInSalesAsync(database));
    }

    /// <summary>
    /// The SQLite file deleted under the running server: writes went into the deleted file and
    /// history was empty after a restart, with no word. Now /healthz turns unhealthy at once, and
    /// the next write creates the file again with the intervals the server still holds.
    /// </summary>
    [Fact]
    public async Task AHistoryFileDeletedWhileRunningMakesHealthUnhealthyAndTheNextWriteCreatesItAgain()
    {
        var database = Path.Combine(_folder, "history.db");
        await using var server = await LiveServer.StartAsync(new Dictionary<string, string>
        {
            ["History:SqlitePath"] = database,
            ["History:FlushSeconds"] = "1",
        });
        using var http = server.Http();
        await server.PostQueueLogAsync(Lines(
            QueueLog(60, "c1", "sales", "NONE", "ENTERQUEUE", "", "13800000001", "1"),
            QueueLog(50, "c1", "sales", "SIP/1001", "CONNECT", "10", "c1-b", "2")));
        await server.TickAsync();
        await server.Service<HistoryTickWriter>().Writing;
        using (var healthy = await http.GetAsync(new Uri("healthz", UriKind.Relative)))
        {
            Assert.Equal(System.Net.HttpStatusCode.OK, healthy.StatusCode);
        }

        File.Delete(database);
        using (var missing = await http.GetAsync(new Uri("healthz", UriKind.Relative)))
        {
            var report = System.Text.Json.JsonDocument.Parse(await missing.Content.ReadAsStringAsync()).RootElement;
            Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, missing.StatusCode);
            Assert.Equal("unhealthy", report.GetProperty("status").GetString());
            Assert.Contains("missing", report.GetProperty("problems")[0].GetString(), StringComparison.Ordinal);
        }

        await server.PostQueueLogAsync(Lines(
            QueueLog(40, "c2", "sales", "NONE", "ENTERQUEUE", "", "13800000002", "1"),
            QueueLog(20, "c2", "sales", "NONE", "ABANDON", "1", "1", "20")));
        server.Time.Advance(TimeSpan.FromSeconds(2));
        await server.TickAsync();
        await server.Service<HistoryTickWriter>().Writing;

        // The open interval is written whole, so the new file holds both calls.
        Assert.Equal((2L, 1L, 1L), await OfferedInSalesAsync(database));
        using var after = await http.GetAsync(new Uri("healthz", UriKind.Relative));
        Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, after.StatusCode);
        Assert.Contains("was deleted while the server was running", await after.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static async Task<(long Offered, long Answered, long Abandoned)> OfferedInSalesAsync(string database)
    {
        using var store = new SqliteHistoryStore(database);
        var point = Assert.Single(await store.QueryAsync(HistoryKind.Queues, ["sales"], 0, long.MaxValue));
        var counters = point.QueueCounters;
        return (counters.Offered, counters.Answered, counters.Abandoned);
    }
}
