using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Wallboard.Hub.Cli;
using Wallboard.Hub.Hosting;
using Wallboard.Tests.Live;
using static Wallboard.Tests.Live.LiveServer;

namespace Wallboard.Tests.Durability;

/// <summary>
/// What a PBX with a wrong clock, a broken integration or a hostile client sends: refused with a
/// reason, counted, and never able to stop the server, move its clock or grow its memory.
/// </summary>
public sealed class BadInputTests : IDisposable
{
    /// <summary>2200-01-01T00:00:00Z.</summary>
    private const long Year2200 = 7_258_118_400;

    /// <summary>9999-12-31T00:00:00Z: 08:00 on 9999-12-31 in Shanghai, 16 hours from the end of NodaTime's calendar.</summary>
    private const long Year9999 = 253_402_214_400;

    private readonly string _dir = Directory.CreateTempSubdirectory("wallboard-bad-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task AnEventFromTheFarFutureIsRefusedWithItsLineAndMovesNothing()
    {
        // c1 and c3 wait in sales; line 2, dated 2200, would have moved the core's clock 174 years on,
        // and housekeeping would have forgotten both waiting calls as stale.
        await using var server = await StartAsync();
        var answer = await server.PostQueueLogAsync(Lines(
            QueueLog(60, "c1", "sales", "NONE", "ENTERQUEUE", "", "13800000001", "1"),
            $"{Year2200}|c2|sales|NONE|ENTERQUEUE||13800000002|1",
            QueueLog(30, "c3", "sales", "NONE", "ENTERQUEUE", "", "13800000003", "1")));
        await server.TickAsync();

        Assert.Equal((2L, 1L), (answer.Accepted, answer.Rejected));
        var error = Assert.Single(answer.Errors);
        Assert.Equal(2, error.Line);
        Assert.Contains("epoch '7258118400': 2200-01-01T00:00:00Z is", error.Message, StringComparison.Ordinal);
        Assert.Contains("days ahead of the server clock (at most 300 s is allowed)", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, await CallsWaitingAsync(server));
        Assert.Equal(Now.ToUnixTimeMilliseconds() - 30_000, server.Service<MetricsCore>().WatermarkMs);
    }

    [Fact]
    public async Task AnEventOlderThanTheHorizonIsRefused()
    {
        await using var server = await StartAsync();
        var answer = await server.PostQueueLogAsync(Lines(
            "86400|old|sales|NONE|ENTERQUEUE||13800000001|1",
            QueueLog(30, "c1", "sales", "NONE", "ENTERQUEUE", "", "13800000002", "1")));

        Assert.Equal((1L, 1L), (answer.Accepted, answer.Rejected));
        Assert.Contains("1970-01-02T00:00:00Z is 20576 days behind the server clock (at most 30 days is allowed)", Assert.Single(answer.Errors).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ALineDatedInTheYear9999DoesNotStopTheServer()
    {
        // It threw from the calendar inside the pump, the host stopped, and the rest of the batch was lost.
        await using var server = await StartAsync(new Dictionary<string, string> { ["Ingest:MaxClockSkewSeconds"] = "604800" });
        var first = await server.PostQueueLogAsync(Lines(
            QueueLog(60, "c1", "sales", "NONE", "ENTERQUEUE", "", "13800000001", "1"),
            $"{Year9999}|c2|sales|NONE|ENTERQUEUE||13800000002|1"));
        var second = await server.PostQueueLogAsync(Lines(QueueLog(30, "c3", "sales", "NONE", "ENTERQUEUE", "", "13800000003", "1")));
        await server.TickAsync();

        Assert.Equal((1L, 1L, 1L), (first.Accepted, first.Rejected, second.Accepted));
        Assert.Equal(2, await CallsWaitingAsync(server));
    }

    [Fact]
    public async Task AFarFutureLineInATailedFileIsCountedByLineAndTheRestOfTheBatchApplied()
    {
        var log = Path.Combine(_dir, "queue_log");
        await File.WriteAllTextAsync(log, Lines(
            QueueLog(60, "c1", "sales", "NONE", "ENTERQUEUE", "", "13800000001", "1"),
            $"{Year2200}|c2|sales|NONE|ABANDON|1|1|30",
            QueueLog(30, "c3", "sales", "NONE", "ENTERQUEUE", "", "13800000003", "1")));
        await using var server = await StartAsync(new Dictionary<string, string> { ["Sources:QueueLogs:0"] = log });
        await server.Service<MetricsCore>().WhenAppliedAsync(2).WaitAsync(LiveServer.Timeout);
        await server.TickAsync();

        using var http = server.Http();
        using var health = JsonDocument.Parse(await http.GetStringAsync(new Uri("healthz", UriKind.Relative)));
        var tail = health.RootElement.GetProperty("tails")[0];
        Assert.Equal((3, 2, 1), (tail.GetProperty("lines").GetInt32(), tail.GetProperty("events").GetInt32(), tail.GetProperty("malformed").GetInt32()));
        Assert.StartsWith(log + ":2: epoch '7258118400': 2200-01-01T00:00:00Z is", tail.GetProperty("lastError").GetString(), StringComparison.Ordinal);
        Assert.Equal(2, await CallsWaitingAsync(server));
    }

    [Fact]
    public async Task KpiOnAFileWithALineDatedInTheYear9999ReportsItAndCountsTheRest()
    {
        var log = Path.Combine(_dir, "queue_log");
        await File.WriteAllLinesAsync(log,
        [
            "1764306000|c1|sales|NONE|ENTERQUEUE||13800000001|1",
            "1764306010|c1|sales|NONE|ABANDON|1|1|10",
            string.Create(CultureInfo.InvariantCulture, $"{Year9999 + 86_399}|c2|sales|NONE|ENTERQUEUE||13800000002|1"),
        ]);
        var output = new StringWriter();
        var errors = new StringWriter();
        var exit = await WallboardCommandLine.Build().Parse(["kpi", "--queue-log", log, "--tz", "Asia/Shanghai", "--interval", "total"])
            .InvokeAsync(new System.CommandLine.InvocationConfiguration { Output = output, Error = errors });

        Assert.Equal(0, exit);
        var row = Assert.Single(JsonDocument.Parse(output.ToString()).RootElement.EnumerateArray());
        Assert.Equal(1, row.GetProperty("offered").GetInt64());
        Assert.Contains("queue_log:3: epoch '253402300799': 9999-12-31T23:59:59Z is outside the supported range", errors.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMillionQueueNamesStopAtTheCapAndTheRestAreCounted()
    {
        // A million distinct queues took the server to 4.8 GB and one GET /api/live/queues returned 1.7 GB.
        const int Names = 1_000_000;
        await using var server = await StartAsync(new Dictionary<string, string> { ["Ingest:MaxBodyBytes"] = (64 << 20).ToString(CultureInfo.InvariantCulture) });
        var epoch = UnixSeconds(60).ToString(CultureInfo.InvariantCulture);
        for (var start = 0; start < Names; start += 250_000)
        {
            var body = new StringBuilder(250_000 * 48);
            for (var i = start; i < start + 250_000; i++)
            {
                body.Append(epoch).Append("|c").Append(i).Append("|q").Append(i).Append("|NONE|ENTERQUEUE||1|1\n");
            }

            await server.PostQueueLogAsync(body.ToString());
        }

        await server.TickAsync();
        using var http = server.Http();
        var queues = await http.GetFromJsonAsync<List<JsonElement>>(new Uri("api/live/queues?limit=10000", UriKind.Relative));
        using var health = JsonDocument.Parse(await http.GetStringAsync(new Uri("healthz", UriKind.Relative)));

        Assert.Equal(1_000, queues!.Count);
        Assert.Equal(Names - 1_000, health.RootElement.GetProperty("rejected").GetProperty("tooManyQueues").GetInt64());
    }

    [Fact]
    public async Task ANameOverTheLimitIsRefused()
    {
        await using var server = await StartAsync();
        await server.PostQueueLogAsync(Lines(
            QueueLog(60, "c1", new string('q', 4096), "NONE", "ENTERQUEUE", "", "13800000001", "1"),
            QueueLog(50, "c2", "sales", "NONE", "ENTERQUEUE", "", "13800000002", "1")));
        await server.TickAsync();

        using var http = server.Http();
        var queues = await http.GetFromJsonAsync<List<JsonElement>>(new Uri("api/live/queues", UriKind.Relative));
        using var health = JsonDocument.Parse(await http.GetStringAsync(new Uri("healthz", UriKind.Relative)));
        Assert.Equal("sales", Assert.Single(queues!).GetProperty("queue").GetString());
        Assert.Equal(1, health.RootElement.GetProperty("rejected").GetProperty("nameTooLong").GetInt64());
    }

    [Fact]
    public async Task ALineOverTheLineLimitIsSkippedAndReportedByNumber()
    {
        // A well-formed ENTERQUEUE whose caller id is 100 KB: over Ingest:MaxLineBytes (64 KB).
        await using var server = await StartAsync();
        var answer = await server.PostQueueLogAsync(Lines(
            QueueLog(60, "c1", "sales", "NONE", "ENTERQUEUE", "", new string('1', 100_000), "1"),
            QueueLog(50, "c2", "sales", "NONE", "ENTERQUEUE", "", "13800000002", "1")));

        Assert.Equal((1L, 1L), (answer.Accepted, answer.Rejected));
        var error = Assert.Single(answer.Errors);
        Assert.Equal(1, error.Line);
        Assert.Contains("longer than the limit of 65536 bytes", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("api/history/queues?from=9999-12-01&to=9999-12-31", "from")]
    [InlineData("api/history/queues?from=2026-05-01&to=9999-12-31T23:00", "to")]
    [InlineData("api/history/queues?from=0001-01-01&to=2026-05-01", "from")]
    [InlineData("api/reports/daily?date=0001-01-01", "date")]
    [InlineData("api/reports/monthly?date=9999-12-31", "date")]
    [InlineData("api/live/agents?limit=0", "limit")]
    [InlineData("api/live/queues?limit=10001", "limit")]
    [InlineData("api/live/queues?offset=-1", "offset")]
    [InlineData("api/history/queues?from=2026-05-04&limit=200001", "limit")]
    public async Task AFarDateOrABadPageIsABadRequestNamingTheParameter(string path, string parameter)
    {
        await using var server = await StartAsync();
        using var http = server.Http();
        using var response = await http.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains($"{parameter}:", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1e308")]
    [InlineData("1e309")]
    public async Task AFarBroadcastExpiryIsABadRequestNamingIt(string minutes)
    {
        await using var server = await StartAsync();
        using var http = server.Http();
        using var content = new StringContent($$"""{"text":"Fire drill","expiresInMinutes":{{minutes}}}""", Encoding.UTF8, "application/json");
        using var response = await http.PostAsync(new Uri("api/broadcasts", UriKind.Relative), content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("expiresInMinutes", await response.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }

    private static async Task<int> CallsWaitingAsync(LiveServer server)
    {
        using var http = server.Http();
        var queues = await http.GetFromJsonAsync<List<JsonElement>>(new Uri("api/live/queues", UriKind.Relative));
        return queues!.Where(queue => queue.GetProperty("queue").GetString() == "sales").Sum(queue => queue.GetProperty("callsWaiting").GetInt32());
    }
}
