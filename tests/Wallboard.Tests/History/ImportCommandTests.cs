using System.CommandLine;
using Microsoft.Extensions.Configuration;
using Wallboard.Hub.Cli;
using Wallboard.Hub.History;
using Wallboard.Metrics.History;

namespace Wallboard.Tests.History;

/// <summary>
/// <c>wallboard import</c> on a hand-worked queue_log (queue "sales", Shanghai, 27 November 2026):
/// 09:01 c1 answered after 15 s by SIP/1001, talk 300 s; 09:16 c2 abandoned after 30 s; one
/// garbage line; SIP/1001 is a member from 09:00 to 09:16:40.
/// </summary>
[Collection(InfluxDbGroup.Name)]
public sealed class ImportCommandTests(InfluxDbFixture influx) : IDisposable
{
    private const long B = 1795741200;
    private static readonly long NineAm = B * 1000;

    private static readonly string[] QueueLog =
    [
        $"{B}|NONE|sales|SIP/1001|ADDMEMBER|",
        $"{B + 60}|c1|sales|NONE|ENTERQUEUE||13800000001|1",
        $"{B + 75}|c1|sales|SIP/1001|CONNECT|15|c1-b|4",
        $"{B + 375}|c1|sales|SIP/1001|COMPLETECALLER|15|300|1",
        "not a queue_log line",
        $"{B + 960}|c2|sales|NONE|ENTERQUEUE||13800000002|1",
        $"{B + 990}|c2|sales|NONE|ABANDON|1|1|30",
        $"{B + 1000}|NONE|sales|SIP/1001|REMOVEMEMBER|",
    ];

    private readonly string _dir = Directory.CreateTempSubdirectory("wallboard-import-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task ImportingTwiceIntoSqliteStoresTheHandWorkedIntervalsOnce()
    {
        var database = Path.Combine(_dir, "history.db");
        var settings = new Dictionary<string, string?> { ["History:SqlitePath"] = database };

        var first = await RunAsync(settings, "import", "--queue-log", WriteQueueLog(), "--tz", "Asia/Shanghai");
        using var store = new SqliteHistoryStore(database);
        var afterFirst = await AllAsync(store);
        var second = await RunAsync(settings, "import", "--queue-log", WriteQueueLog(), "--tz", "Asia/Shanghai");
        var afterSecond = await AllAsync(store);

        Assert.Equal(0, first.Exit);
        Assert.Equal(0, second.Exit);
        Assert.Contains("queue_log:5:", first.Errors, StringComparison.Ordinal);
        Assert.Contains("1 malformed", first.Errors, StringComparison.Ordinal);
        Assert.Contains("4 points written to SQLite", first.Errors, StringComparison.Ordinal);
        AssertHandWorked(afterFirst);
        Assert.Equal(Flatten(afterFirst), Flatten(afterSecond));
        Assert.Equal(NineAm + 1_000_000, await store.GetWrittenUpToAsync());
    }

    [Fact]
    public async Task ImportingTwiceIntoInfluxDbStoresTheHandWorkedIntervalsOnce()
    {
        var settings = new Dictionary<string, string?>
        {
            ["History:InfluxUrl"] = influx.Url,
            ["History:Database"] = "wallboard_test_" + Guid.NewGuid().ToString("N"),
            ["History:SpoolPath"] = Path.Combine(_dir, "spool"),
        };
        var options = new HistoryOptions();
        new ConfigurationBuilder().AddInMemoryCollection(settings).Build().GetSection("History").Bind(options);
        using var store = new InfluxHistoryStore(options, TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger<InfluxHistoryStore>.Instance);
        try
        {
            var first = await RunAsync(settings, "import", "--queue-log", WriteQueueLog(), "--tz", "Asia/Shanghai");
            var afterFirst = await AllAsync(store);
            var second = await RunAsync(settings, "import", "--queue-log", WriteQueueLog(), "--tz", "Asia/Shanghai");
            var afterSecond = await AllAsync(store);

            Assert.Equal((0, 0), (first.Exit, second.Exit));
            Assert.Contains("4 points written to InfluxDB", first.Errors, StringComparison.Ordinal);
            AssertHandWorked(afterFirst);
            Assert.Equal(Flatten(afterFirst), Flatten(afterSecond));
        }
        finally
        {
            await store.DropDatabaseAsync();
        }
    }

    [Fact]
    public async Task BadHistoryConfigurationStopsTheImportNamingTheKey()
    {
        var (exit, errors) = await RunAsync(new() { ["History:InfluxUrl"] = "influx.example" }, "import", "--queue-log", WriteQueueLog());

        Assert.Equal(2, exit);
        Assert.Contains("History:InfluxUrl", errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MissingInputFailsAndNamesTheFile()
    {
        var missing = Path.Combine(_dir, "nope.log");

        var (exit, errors) = await RunAsync(new() { ["History:SqlitePath"] = Path.Combine(_dir, "h.db") }, "import", "--queue-log", missing);

        Assert.Equal(1, exit);
        Assert.Contains(missing, errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheImportCommandIsRegisteredAndExplainsItsOptions()
    {
        var output = new StringWriter();
        await WallboardCommandLine.Build().Parse(["import", "--help"]).InvokeAsync(new InvocationConfiguration { Output = output, Error = new StringWriter() });

        foreach (var option in new[] { "--queue-log", "--cdr", "--events", "--tz", "--sl-threshold", "History:InfluxUrl" })
        {
            Assert.Contains(option, output.ToString(), StringComparison.Ordinal);
        }
    }

    private static void AssertHandWorked(Dictionary<HistoryKind, IReadOnlyList<HistoryPoint>> points)
    {
        const long Q = HistoryPoint.IntervalMs;
        var queues = points[HistoryKind.Queues];
        Assert.Equal([("sales", NineAm), ("sales", NineAm + Q)], queues.Select(p => (p.Id, p.IntervalStartMs)));
        var nine = queues[0].QueueCounters;
        Assert.Equal((1L, 1L, 1L, 15_000L, 1L, 300_000L), (nine.Offered, nine.Answered, nine.AnsweredWithinSl, nine.AnsweredWaitMs, nine.Handled, nine.TalkMs));
        var quarterPast = queues[1].QueueCounters;
        Assert.Equal((1L, 1L, 0L, 30_000L), (quarterPast.Offered, quarterPast.Abandoned, quarterPast.ShortAbandoned, quarterPast.AbandonWaitMs));
        var agents = points[HistoryKind.Agents];
        Assert.Equal(
            [("SIP/1001", NineAm, 1L, 900_000L), ("SIP/1001", NineAm + Q, 0L, 100_000L)],
            agents.Select(p => (p.Id, p.IntervalStartMs, p.AgentCounters.Handled, p.AgentCounters.LoginMs)));
    }

    private static async Task<Dictionary<HistoryKind, IReadOnlyList<HistoryPoint>>> AllAsync(IKpiHistoryStore store)
    {
        var all = new Dictionary<HistoryKind, IReadOnlyList<HistoryPoint>>();
        foreach (var kind in Enum.GetValues<HistoryKind>())
        {
            all[kind] = await store.QueryAsync(kind, null, 0, NineAm + 86_400_000);
        }

        return all;
    }

    private static List<string> Flatten(Dictionary<HistoryKind, IReadOnlyList<HistoryPoint>> points) =>
        [.. points.SelectMany(kind => kind.Value.Select(p => $"{p.Kind} {p.Id} {p.IntervalStartMs} {string.Join(',', p.Values)}"))];

    private static async Task<(int Exit, string Errors)> RunAsync(Dictionary<string, string?> settings, params string[] args)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var errors = new StringWriter();
        var exit = await new RootCommand { new ImportCommand(configuration) }.Parse(args)
            .InvokeAsync(new InvocationConfiguration { Output = new StringWriter(), Error = errors });
        return (exit, errors.ToString());
    }

    private string WriteQueueLog()
    {
        var path = Path.Combine(_dir, "queue_log");
        File.WriteAllLines(path, QueueLog);
        return path;
    }
}
