using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Apache.Arrow;
using Apache.Arrow.Ipc;
using Apache.Arrow.Types;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Wallboard.Hub.History;
using Wallboard.Hub.Hosting;
using Wallboard.Metrics.Counters;
using Wallboard.Metrics.History;

namespace Wallboard.Tests.History;

/// <summary>
/// The query API on a small host of its own (TestServer) over a SQLite store holding, for queue
/// "vip" on 27 November 2026 (Shanghai, +08:00): 09:00 offered 4, answered 3 of which 2 within
/// SL, 1 short abandon, answered wait 30 s; 09:15 offered 2, answered 2 within SL, wait 10 s;
/// 10:00 offered 1 abandoned (not short). Queue "sales" at 09:00: nothing offered.
/// </summary>
public sealed class HistoryApiTests : IAsyncLifetime
{
    private const string Key = "analyst-key-0123456789";
    private static readonly long NineAm = DateTimeOffset.Parse("2026-11-27T09:00:00+08:00", CultureInfo.InvariantCulture).ToUnixTimeMilliseconds();

    private readonly string _folder = Directory.CreateTempSubdirectory("wallboard-api-").FullName;
    private WebApplication? _app;

    public async Task InitializeAsync()
    {
        using var store = new SqliteHistoryStore(Path.Combine(_folder, "history.db"));
        await store.WriteAsync(
        [
            HistoryPoint.Queue("vip", NineAm, new QueueCounters { Offered = 4, Answered = 3, AnsweredWithinSl = 2, Abandoned = 1, ShortAbandoned = 1, AnsweredWaitMs = 30_000, MaxWaitMs = 20_000 }),
            HistoryPoint.Queue("vip", NineAm + HistoryPoint.IntervalMs, new QueueCounters { Offered = 2, Answered = 2, AnsweredWithinSl = 2, AnsweredWaitMs = 10_000, MaxWaitMs = 6_000 }),
            HistoryPoint.Queue("vip", NineAm + (4 * HistoryPoint.IntervalMs), new QueueCounters { Offered = 1, Abandoned = 1, AbandonWaitMs = 40_000, MaxWaitMs = 40_000 }),
            HistoryPoint.Queue("sales", NineAm, default),
            HistoryPoint.Agent("SIP/1001", NineAm, new AgentCounters { Answered = 3, Handled = 3, TalkMs = 300_000, LoginMs = 900_000 }),
        ], writtenUpToMs: NineAm + (5 * HistoryPoint.IntervalMs));
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task JsonRowsCarryTheCountersAndKpisOfTheMetricsCorePerHour()
    {
        using var client = await ClientAsync();

        using var response = await client.GetAsync("/api/history/queues?ids=vip&from=2026-11-27&to=2026-11-28&step=1h&tz=Asia/Shanghai");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("2026-11-27T02:15:00Z", response.Headers.GetValues(HistoryEndpoints.WrittenUpToHeader).Single());
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var rows = json.RootElement.EnumerateArray().ToList();
        Assert.Equal(2, rows.Count);
        var nine = rows[0];
        Assert.Equal("vip", nine.GetProperty("queue").GetString());
        Assert.Equal("2026-11-27T09:00:00+08:00", nine.GetProperty("interval_start").GetString());
        Assert.Equal(6, nine.GetProperty("offered").GetInt64());
        Assert.Equal(5, nine.GetProperty("answered").GetInt64());
        // service level (offered formula) = answered within SL 4 / (offered 6 − short 1) = 0.8; ASA = 40 s / 5.
        Assert.Equal(0.8, nine.GetProperty("service_level").GetDouble(), 12);
        Assert.Equal(8.0, nine.GetProperty("asa_seconds").GetDouble(), 12);
        Assert.Equal(20.0, nine.GetProperty("max_wait_seconds").GetDouble(), 12);
        var ten = rows[1];
        Assert.Equal("2026-11-27T10:00:00+08:00", ten.GetProperty("interval_start").GetString());
        Assert.Equal(JsonValueKind.Null, ten.GetProperty("asa_seconds").ValueKind);
        Assert.Equal(1.0, ten.GetProperty("abandon_rate").GetDouble(), 12);
    }

    [Fact]
    public async Task CsvHasTheKpiCommandsColumnsAndOneLinePerRow()
    {
        using var client = await ClientAsync();

        var csv = await client.GetStringAsync("/api/history/queues?from=2026-11-27T09:00&to=2026-11-27T10:00&step=1d&tz=Asia/Shanghai&format=csv");

        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.StartsWith("queue,interval_start,offered,answered,abandoned,short_abandoned,", lines[0], StringComparison.Ordinal);
        // The step is widened to the whole local day: 10:00 is included.
        Assert.Equal(3, lines.Length);
        Assert.StartsWith("sales,2026-11-27T00:00:00+08:00,0,0,", lines[1], StringComparison.Ordinal);
        Assert.StartsWith("vip,2026-11-27T00:00:00+08:00,7,5,2,1,", lines[2], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("&format=arrow", null)]
    [InlineData("", "application/vnd.apache.arrow.stream")]
    public async Task ArrowStreamReadsBackWithTypedColumns(string formatParameter, string? accept)
    {
        using var client = await ClientAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/history/queues?ids=vip,sales&from=2026-11-27&to=2026-11-28&step=1h&tz=Asia/Shanghai" + formatParameter);
        if (accept is not null)
        {
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(accept));
        }

        using var response = await client.SendAsync(request);
        Assert.Equal("application/vnd.apache.arrow.stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new ArrowStreamReader(await response.Content.ReadAsStreamAsync());
        using var batch = await reader.ReadNextRecordBatchAsync();

        Assert.Equal(3, batch.Length);
        var queue = (StringArray)batch.Column("queue");
        var start = (TimestampArray)batch.Column("interval_start");
        var offered = (Int64Array)batch.Column("offered");
        var serviceLevel = (DoubleArray)batch.Column("service_level");
        Assert.Equal(["sales", "vip", "vip"], Enumerable.Range(0, 3).Select(i => queue.GetString(i)));
        Assert.Equal("Asia/Shanghai", ((TimestampType)start.Data.DataType).Timezone);
        Assert.Equal(DateTimeOffset.Parse("2026-11-27T09:00:00+08:00", CultureInfo.InvariantCulture), start.GetTimestamp(1));
        Assert.Equal([0L, 6L, 1L], Enumerable.Range(0, 3).Select(i => offered.GetValue(i)!.Value));
        // "sales" offered nothing: its service level is unknown (null), not 0.
        Assert.Equal([null, 0.8, 0.0], Enumerable.Range(0, 3).Select(i => serviceLevel.GetValue(i)));
        Assert.Null(await reader.ReadNextRecordBatchAsync());
    }

    [Fact]
    public async Task AgentsAndCampaignsHaveTheirOwnRows()
    {
        using var client = await ClientAsync();

        using var agents = JsonDocument.Parse(await client.GetStringAsync("/api/history/agents?from=2026-11-27T09:00:00%2B08:00&to=2026-11-27T09:15:00%2B08:00"));
        using var campaigns = JsonDocument.Parse(await client.GetStringAsync("/api/history/campaigns?from=2026-11-27&to=2026-11-28"));

        var agent = Assert.Single(agents.RootElement.EnumerateArray());
        Assert.Equal("SIP/1001", agent.GetProperty("agent").GetString());
        Assert.Equal("2026-11-27T01:00:00+00:00", agent.GetProperty("interval_start").GetString());
        Assert.Equal(100.0, agent.GetProperty("aht_seconds").GetDouble(), 12);
        Assert.Empty(campaigns.RootElement.EnumerateArray());
    }

    [Theory]
    [InlineData("step=7m&from=2026-11-27", "step")]
    [InlineData("step=total&from=2026-11-27", "step")]
    [InlineData("tz=Mars/Olympus&from=2026-11-27", "tz")]
    [InlineData("to=2026-11-28", "from")]
    [InlineData("from=yesterday", "from")]
    [InlineData("from=2026-11-27&to=2026-11-26", "to")]
    [InlineData("from=2026-11-27&to=2026-11-28T25:00", "to")]
    [InlineData("from=2020-01-01&to=2026-01-01", "to")]
    [InlineData("from=2026-11-27&format=xml", "format")]
    public async Task BadParameterGets400NamingIt(string queryString, string parameter)
    {
        using var client = await ClientAsync();

        using var response = await client.GetAsync("/api/history/queues?" + queryString);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(parameter, problem.RootElement.GetProperty("parameter").GetString());
        Assert.StartsWith(parameter + ": ", problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithAnAnalystKeyConfiguredOnlyTheRightKeyGetsIn()
    {
        using var client = await ClientAsync(apiKey: Key);
        const string Url = "/api/history/queues?from=2026-11-27&to=2026-11-28";

        using var missing = await client.GetAsync(Url);
        using var wrongRequest = new HttpRequestMessage(HttpMethod.Get, Url) { Headers = { { "X-Api-Key", Key + "x" } } };
        using var wrong = await client.SendAsync(wrongRequest);
        using var rightRequest = new HttpRequestMessage(HttpMethod.Get, Url) { Headers = { { "X-Api-Key", Key } } };
        using var right = await client.SendAsync(rightRequest);

        Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.DoesNotContain(Key, await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
    }

    [Fact]
    public async Task AnUnreachableInfluxDbGives503()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var closedPort = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        using var client = await ClientAsync(extra: new()
        {
            ["History:InfluxUrl"] = $"http://127.0.0.1:{closedPort}",
            ["History:SpoolPath"] = Path.Combine(_folder, "spool"),
        });

        using var response = await client.GetAsync("/api/history/queues?from=2026-11-27");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
    }

    [Fact]
    public async Task ConfigurationErrorsStopStartUpNamingTheKey()
    {
        var error = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() =>
            ClientAsync(extra: new() { ["History:InfluxUrl"] = "not a url", ["History:FlushSeconds"] = "0" }));

        Assert.Contains("History:InfluxUrl", error.Message, StringComparison.Ordinal);
        Assert.Contains("History:FlushSeconds", error.Message, StringComparison.Ordinal);
    }

    /// <summary>The real host (demo off) on a test server, its history in this test's SQLite file.</summary>
    private async Task<HttpClient> ClientAsync(string? apiKey = null, Dictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Sources:Demo"] = "false",
            ["History:SqlitePath"] = Path.Combine(_folder, "history.db"),
            ["Sources:StatePath"] = Path.Combine(_folder, "state"),
            ["Logging:LogLevel:Default"] = "Warning",
        };
        if (apiKey is not null)
        {
            settings["Access:Analyst:0"] = apiKey;
        }

        foreach (var (key, value) in extra ?? [])
        {
            settings[key] = value;
        }

        _app = WallboardHost.Build(
            [.. settings.Select(setting => $"--{setting.Key}={setting.Value}")],
            builder => builder.WebHost.UseTestServer());
        await _app.StartAsync();
        return _app.GetTestClient();
    }
}
