using System.CommandLine;
using Microsoft.Extensions.Configuration;
using System.Text.Json;
using Wallboard.Hub.Cli;

namespace Wallboard.Tests.Cli;

public sealed class KpiCommandTests : IDisposable
{
    // 09:00 on 27 November 2026 in Shanghai (01:00Z).
    private const long B = 1795741200;

    private readonly string _dir = Directory.CreateTempSubdirectory("wallboard-kpi-").FullName;

    /// <summary>
    /// A morning in queue "sales", hand-worked in the tests below. 09:00 interval: c1 answered after
    /// 15 s (ring 4 s, talk 300 s); c2 abandoned after 3 s (short); c3 rang 15 s unanswered at 1002,
    /// then answered after 45 s (ring 5 s) and blind-transferred after 100 s; c4 abandoned after 30 s;
    /// c5 answered after 12 s by an old Asterisk (no ring time), talk 60 s; c6's ABANDON has a
    /// wait of "abc" (malformed). 10:00 interval: c7 answered after 10 s (ring 2 s), talk 60 s.
    /// SIP/1001 is a member 09:00–10:01:40 and paused 09:11:40–09:16:40; SIP/1002 stays a member
    /// until the log ends at 10:01:40.
    /// </summary>
    private static readonly string[] QueueLog =
    [
        $"{B}|NONE|NONE|NONE|QUEUESTART|",
        $"{B}|NONE|sales|SIP/1001|ADDMEMBER|",
        $"{B}|NONE|sales|SIP/1002|ADDMEMBER|",
        $"{B + 60}|c1|sales|NONE|ENTERQUEUE||13800000001|1",
        $"{B + 75}|c1|sales|SIP/1001|CONNECT|15|c1-b|4",
        $"{B + 120}|c2|sales|NONE|ENTERQUEUE||13800000002|1",
        $"{B + 123}|c2|sales|NONE|ABANDON|1|1|3",
        $"{B + 200}|c3|sales|NONE|ENTERQUEUE||13800000003|1",
        $"{B + 230}|c3|sales|SIP/1002|RINGNOANSWER|15000",
        $"{B + 245}|c3|sales|SIP/1002|CONNECT|45|c3-b|5",
        "this is not a queue_log line",
        $"{B + 345}|c3|sales|SIP/1002|BLINDTRANSFER|200|default|45|100|1",
        $"{B + 375}|c1|sales|SIP/1001|COMPLETECALLER|15|300|1",
        $"{B + 400}|c4|sales|NONE|ENTERQUEUE||13800000004|1",
        $"{B + 430}|c4|sales|NONE|ABANDON|1|1|30",
        $"{B + 500}|c5|sales|NONE|ENTERQUEUE||13800000005|1",
        $"{B + 512}|c5|sales|SIP/1001|CONNECT|12|c5-b",
        $"{B + 572}|c5|sales|SIP/1001|COMPLETEAGENT|12|60|1",
        $"{B + 600}|c6|sales|NONE|ABANDON|1|1|abc",
        $"{B + 700}|NONE|sales|SIP/1001|PAUSE|lunch",
        $"{B + 1000}|NONE|sales|SIP/1001|UNPAUSE|lunch",
        $"{B + 3600}|c7|sales|NONE|ENTERQUEUE||13800000007|1",
        $"{B + 3610}|c7|sales|SIP/1002|CONNECT|10|c7-b|2",
        $"{B + 3670}|c7|sales|SIP/1002|COMPLETEAGENT|10|60|1",
        $"{B + 3700}|NONE|sales|SIP/1001|REMOVEMEMBER|",
        $"{B + 3700}|NONE|NONE|NONE|FOOBAR|x",
    ];

    /// <summary>The outcomes whose sum is offered (docs/kpis.md).</summary>
    private static readonly string[] Outcomes = ["answered", "abandoned", "timed_out", "exited_key", "exited_empty", "withdrawn"];

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static Task<(int Exit, string Output, string Errors)> RunAsync(params string[] args) => RunWithAsync(null, args);

    private static async Task<(int Exit, string Output, string Errors)> RunWithAsync(Dictionary<string, string?>? settings, params string[] args)
    {
        var output = new StringWriter();
        var errors = new StringWriter();
        var configuration = settings is null ? null : new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var exit = await WallboardCommandLine.Build(configuration).Parse(args)
            .InvokeAsync(new InvocationConfiguration { Output = output, Error = errors });
        return (exit, output.ToString(), errors.ToString());
    }

    private string WriteQueueLog()
    {
        var path = Path.Combine(_dir, "queue_log");
        File.WriteAllLines(path, QueueLog);
        return path;
    }

    [Fact]
    public async Task QueueRowsCarryTheHandWorkedFiguresAndTheDocumentedNames()
    {
        var (exit, output, errors) = await RunAsync("kpi", "--queue-log", WriteQueueLog(), "--by", "queue", "--interval", "1h", "--tz", "Asia/Shanghai");

        Assert.Equal(0, exit);
        var rows = JsonDocument.Parse(output).RootElement;
        Assert.Equal(2, rows.GetArrayLength());
        var nine = rows[0];
        Assert.Equal(
            ["queue", "queue_name", "interval_start", "offered", "answered", "abandoned", "short_abandoned", "timed_out", "exited_key",
             "exited_empty", "withdrawn", "answered_within_sl", "service_level", "answered_within_rings", "ring_rate", "asa_seconds",
             "handled", "talk_seconds", "aht_seconds", "abandon_rate", "avg_abandon_seconds", "max_wait_seconds"],
            nine.EnumerateObject().Select(p => p.Name));
        Assert.Equal("sales", nine.GetProperty("queue").GetString());
        Assert.Equal("2026-11-27T09:00:00+08:00", nine.GetProperty("interval_start").GetString());
        Assert.All(rows.EnumerateArray(), row => Assert.Equal(
            row.GetProperty("offered").GetInt64(),
            Outcomes.Sum(outcome => row.GetProperty(outcome).GetInt64())));
        Assert.Equal(5, nine.GetProperty("offered").GetInt32());
        Assert.Equal(3, nine.GetProperty("answered").GetInt32());
        Assert.Equal(2, nine.GetProperty("abandoned").GetInt32());
        Assert.Equal(1, nine.GetProperty("short_abandoned").GetInt32());
        Assert.Equal(2, nine.GetProperty("answered_within_sl").GetInt32());
        Assert.Equal(0.5, nine.GetProperty("service_level").GetDouble()); // 2 / (5 − 1)
        Assert.Equal(2, nine.GetProperty("answered_within_rings").GetInt32());
        Assert.Equal(1.0, nine.GetProperty("ring_rate").GetDouble()); // c5 has no ring time
        Assert.Equal(24, nine.GetProperty("asa_seconds").GetDouble()); // (15 + 45 + 12) / 3
        Assert.Equal(3, nine.GetProperty("handled").GetInt32());
        Assert.Equal(460, nine.GetProperty("talk_seconds").GetDouble());
        Assert.Equal(460.0 / 3, nine.GetProperty("aht_seconds").GetDouble(), 9);
        Assert.Equal(0.25, nine.GetProperty("abandon_rate").GetDouble()); // (2 − 1) / 4
        Assert.Equal(30, nine.GetProperty("avg_abandon_seconds").GetDouble());
        Assert.Equal(45, nine.GetProperty("max_wait_seconds").GetDouble());

        var ten = rows[1];
        Assert.Equal("2026-11-27T10:00:00+08:00", ten.GetProperty("interval_start").GetString());
        Assert.Equal(1, ten.GetProperty("offered").GetInt32());
        Assert.Equal(1.0, ten.GetProperty("service_level").GetDouble());

        Assert.Contains("queue_log:11:", errors, StringComparison.Ordinal); // the garbage line, by number
        Assert.Contains("queue_log:19:", errors, StringComparison.Ordinal); // c6's wait "abc"
        Assert.Contains("2 malformed, 1 unknown", errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AgentRowsSplitLoginAndPauseAndCloseOpenSessionsAtTheLastLine()
    {
        var (exit, output, _) = await RunAsync("kpi", "--queue-log", WriteQueueLog(), "--by", "agent", "--interval", "1h", "--tz", "Asia/Shanghai");

        Assert.Equal(0, exit);
        var rows = JsonDocument.Parse(output).RootElement.EnumerateArray()
            .Select(r => (Agent: r.GetProperty("agent").GetString(), Hour: r.GetProperty("interval_start").GetString()![11..13], Row: r))
            .ToList();
        Assert.Equal([("SIP/1001", "09"), ("SIP/1001", "10"), ("SIP/1002", "09"), ("SIP/1002", "10")], rows.Select(r => (r.Agent, r.Hour)));

        var a1 = rows[0].Row;
        Assert.Equal(2, a1.GetProperty("answered").GetInt32());
        Assert.Equal(2, a1.GetProperty("handled").GetInt32());
        Assert.Equal(360, a1.GetProperty("talk_seconds").GetDouble());
        Assert.Equal(180, a1.GetProperty("aht_seconds").GetDouble());
        Assert.Equal(3600, a1.GetProperty("login_seconds").GetDouble());
        Assert.Equal(300, a1.GetProperty("pause_seconds").GetDouble());
        Assert.Equal(100, rows[1].Row.GetProperty("login_seconds").GetDouble());

        var a2 = rows[2].Row;
        Assert.Equal(1, a2.GetProperty("ring_no_answer").GetInt32());
        Assert.Equal(1, a2.GetProperty("handled").GetInt32()); // the blind transfer
        Assert.Equal(100, a2.GetProperty("talk_seconds").GetDouble());
        Assert.Equal(3600, a2.GetProperty("login_seconds").GetDouble());
        Assert.Equal(100, rows[3].Row.GetProperty("login_seconds").GetDouble()); // closed at 10:01:40
        Assert.Equal(60, rows[3].Row.GetProperty("talk_seconds").GetDouble());
    }

    [Fact]
    public async Task TotalRowEqualsTheSumOfTheIntervalRows()
    {
        var path = WriteQueueLog();
        var (_, byInterval, _) = await RunAsync("kpi", "--queue-log", path, "--interval", "15m", "--tz", "Asia/Shanghai", "--format", "json");
        var (_, total, _) = await RunAsync("kpi", "--queue-log", path, "--interval", "total", "--tz", "Asia/Shanghai");

        var intervals = JsonDocument.Parse(byInterval).RootElement.EnumerateArray().ToList();
        var sum = JsonDocument.Parse(total).RootElement[0];
        Assert.Equal(JsonValueKind.Null, sum.GetProperty("interval_start").ValueKind);
        foreach (var name in new[] { "offered", "answered", "abandoned", "short_abandoned", "answered_within_sl", "handled" })
        {
            Assert.Equal(sum.GetProperty(name).GetInt32(), intervals.Sum(r => r.GetProperty(name).GetInt32()));
        }

        Assert.Equal(sum.GetProperty("talk_seconds").GetDouble(), intervals.Sum(r => r.GetProperty("talk_seconds").GetDouble()));
        Assert.Equal(3.0 / 5, sum.GetProperty("service_level").GetDouble(), 12); // c1, c5, c7 of 6 offered less 1 short
    }

    [Fact]
    public async Task CsvAndTableCarryTheSameColumns()
    {
        var path = WriteQueueLog();
        var (_, csv, _) = await RunAsync("kpi", "--queue-log", path, "--interval", "1h", "--tz", "Asia/Shanghai", "--format", "csv");
        var (_, table, _) = await RunAsync("kpi", "--queue-log", path, "--interval", "1h", "--tz", "Asia/Shanghai", "--format", "table");

        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(3, lines.Length);
        Assert.StartsWith("queue,queue_name,interval_start,offered,answered,abandoned,short_abandoned", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("sales,sales,2026-11-27T09:00:00+08:00,5,3,2,1,", lines[1], StringComparison.Ordinal);
        Assert.Contains(",0.5,", lines[1], StringComparison.Ordinal);
        Assert.StartsWith("queue ", table, StringComparison.Ordinal);
        Assert.Contains("service_level", table, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MissingInputFailsWithANonZeroExitAndNamesTheFile()
    {
        var missing = Path.Combine(_dir, "nope.log");
        var (exit, _, errors) = await RunAsync("kpi", "--queue-log", missing);
        Assert.Equal(1, exit);
        Assert.Contains(missing, errors, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--interval", "7m", "--interval")]
    [InlineData("--tz", "Mars/Olympus", "Mars/Olympus")]
    [InlineData("--sl-formula", "best", "best")]
    public async Task BadOptionsAreRejectedWithAMessageNamingThem(string option, string value, string expected)
    {
        var (exit, _, errors) = await RunAsync("kpi", "--queue-log", WriteQueueLog(), option, value);
        Assert.NotEqual(0, exit);
        Assert.Contains(expected, errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SeveralCdrFilesAreReadAtOnceAndAllCount()
    {
        // dcontext "hq": 133 rows of cdr.csv and 25 of smallcdr.csv (counted with Python's csv module).
        // The files are read on two threads at once and merged in time order.
        var cdr = CdrReaderTests.TestDataPath("asterisk-cdr/cdrcsv-report-generator-cdr.csv");
        var small = CdrReaderTests.TestDataPath("asterisk-cdr/cdrcsv-report-generator-smallcdr.csv");
        var (exit, output, errors) = await RunAsync(
            "kpi", "--cdr", cdr, small, "--outbound-context", "hq", "--by", "campaign", "--interval", "total", "--tz", "Europe/Berlin");
        Assert.Equal(0, exit);
        var rows = JsonDocument.Parse(output).RootElement.EnumerateArray().ToList();
        Assert.Equal(158, rows.Sum(row => row.GetProperty("attempts").GetInt64()));
        Assert.Contains("total: 263 lines read, 0 malformed", errors, StringComparison.Ordinal);
    }

    /// <summary>
    /// The morning above as FreePBX logs it: membership under the interface
    /// (<c>ast_queue_log(…, args.interface, "ADDMEMBER", "%s", …)</c>), calls under the member name
    /// (<c>member->membername, "CONNECT", "%ld|%s|%ld"</c>). queues.conf names both; the directory names the person.
    /// </summary>
    [Fact]
    public async Task QueuesConfAndTheDirectoryMakeOneNamedAgentOfAnInterfaceAndAMemberName()
    {
        var log = Path.Combine(_dir, "queue_log");
        File.WriteAllLines(log, QueueLog.Select(line => line.Replace("|SIP/1001|ADDMEMBER|", "|Local/1001@from-queue/n|ADDMEMBER|", StringComparison.Ordinal)
            .Replace("|SIP/1001|REMOVEMEMBER|", "|Local/1001@from-queue/n|REMOVEMEMBER|", StringComparison.Ordinal)
            .Replace("|SIP/1001|PAUSE|", "|Local/1001@from-queue/n|PAUSE|", StringComparison.Ordinal)
            .Replace("|SIP/1001|UNPAUSE|", "|Local/1001@from-queue/n|UNPAUSE|", StringComparison.Ordinal)
            .Replace("|SIP/1001|", "|Sathish|", StringComparison.Ordinal)));
        var conf = Path.Combine(_dir, "queues_additional.conf");
        File.WriteAllText(conf, "[sales]\nmember=Local/1001@from-queue/n,0,Sathish,hint:1001@ext-local\n");
        var directory = Path.Combine(_dir, "directory.json");
        File.WriteAllText(directory, """{ "agents": { "Sathish": { "name": "Sathish Kumar", "team": "team-sales" } }, "queues": { "sales": { "name": "销售热线" } } }""");

        var (split, splitOutput, _) = await RunAsync("kpi", "--queue-log", log, "--by", "agent", "--interval", "total", "--tz", "Asia/Shanghai");
        Assert.Equal(0, split);
        Assert.Equal(["Local/1001@from-queue/n", "SIP/1002", "Sathish"], JsonDocument.Parse(splitOutput).RootElement.EnumerateArray().Select(row => row.GetProperty("agent").GetString()));

        var (exit, output, errors) = await RunAsync("kpi", "--queue-log", log, "--queues-conf", conf, "--directory", directory, "--by", "agent", "--interval", "total", "--tz", "Asia/Shanghai");
        Assert.Equal(0, exit);
        var rows = JsonDocument.Parse(output).RootElement.EnumerateArray().ToDictionary(row => row.GetProperty("agent").GetString()!);
        Assert.Equal(["SIP/1002", "Sathish"], rows.Keys.Order(StringComparer.Ordinal));
        var sathish = rows["Sathish"];
        Assert.Equal("Sathish Kumar", sathish.GetProperty("agent_name").GetString());
        Assert.Equal(3700, sathish.GetProperty("login_seconds").GetDouble()); // 09:00 to 10:01:40
        Assert.Equal(300, sathish.GetProperty("pause_seconds").GetDouble());
        Assert.Equal(2, sathish.GetProperty("handled").GetInt64()); // c1 and c5
        Assert.Equal(360.0 / 3400, sathish.GetProperty("occupancy").GetDouble(), 12);
        Assert.Contains("directory: 1 queues, 1 agents, 0 campaigns", errors, StringComparison.Ordinal);

        var (_, queues, _) = await RunAsync("kpi", "--queue-log", log, "--directory", directory, "--interval", "total", "--tz", "Asia/Shanghai");
        Assert.Equal("销售热线", JsonDocument.Parse(queues).RootElement[0].GetProperty("queue_name").GetString());
    }

    [Fact]
    public async Task AnInvalidDirectoryStopsTheCommandNamingWhatIsWrong()
    {
        var directory = Path.Combine(_dir, "directory.json");
        File.WriteAllText(directory, """{ "agents": { "a": { "dailyCallTarget": -1 } } }""");

        var (exit, _, errors) = await RunAsync("kpi", "--queue-log", WriteQueueLog(), "--directory", directory);

        Assert.Equal(2, exit);
        Assert.Contains("error: directory.json: $.agents.a.dailyCallTarget: must be 0 or more, got -1", errors, StringComparison.Ordinal);
    }

    /// <summary>Without --tz, --sl-threshold or --rings, kpi counts as the server is set up (section Metrics) and says which zone.</summary>
    [Fact]
    public async Task DefaultsComeFromTheServersSettingsAndTheZoneUsedIsPrinted()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Metrics:TimeZone"] = "Asia/Shanghai",
            ["Metrics:SlThresholdSeconds"] = "12",
            ["Metrics:Queues:sales:SlFormula"] = "answered",
        };

        var (exit, output, errors) = await RunWithAsync(settings, "kpi", "--queue-log", WriteQueueLog(), "--interval", "1h");

        Assert.Equal(0, exit);
        Assert.StartsWith("zone: Asia/Shanghai (Metrics:TimeZone; --tz to change)", errors, StringComparison.Ordinal);
        var nine = JsonDocument.Parse(output).RootElement[0];
        Assert.Equal("2026-11-27T09:00:00+08:00", nine.GetProperty("interval_start").GetString());
        Assert.Equal(1, nine.GetProperty("answered_within_sl").GetInt32()); // c1 15 s, c3 45 s out; c5 waited exactly 12 s: within
        Assert.Equal(1.0 / 3, nine.GetProperty("service_level").GetDouble(), 12); // the formula of "sales" is "answered": 1 of 3
    }

    [Fact]
    public async Task ABadSettingIsReportedByItsKey()
    {
        var (exit, _, errors) = await RunWithAsync(new Dictionary<string, string?> { ["Metrics:TimeZone"] = "Mars/Olympus" }, "kpi", "--queue-log", WriteQueueLog());
        Assert.Equal(2, exit);
        Assert.Contains("Metrics:TimeZone: 'Mars/Olympus' is not an IANA time zone", errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SimulateWritesTheCentresDirectoryAndKpiNamesTheRowsWithIt()
    {
        var (simulated, _, _) = await RunAsync("simulate", "--out", _dir, "--days", "1");
        Assert.Equal(0, simulated);
        var layer = Wallboard.Hub.Names.DirectoryFile.Parse("directory.json", File.ReadAllText(Path.Combine(_dir, "directory.json")), out var problems);
        Assert.Empty(problems);
        Assert.Equal("team-outbound", layer!.Campaigns["sales-q4"].Team);
        Assert.Equal("team-outbound", layer.Agents["Agent/1023"].Team); // the first of the 8 outbound agents, after 9 + 13

        var (exit, output, _) = await RunAsync(
            "kpi", "--queue-log", Path.Combine(_dir, "queue_log"), "--directory", Path.Combine(_dir, "directory.json"), "--interval", "total", "--tz", "Asia/Shanghai");
        Assert.Equal(0, exit);
        var rows = JsonDocument.Parse(output).RootElement.EnumerateArray().ToDictionary(row => row.GetProperty("queue").GetString()!, row => row.GetProperty("queue_name").GetString());
        Assert.Equal(new Dictionary<string, string?> { ["sales"] = "销售热线", ["support"] = "客服热线", ["vip"] = "VIP 专线" }, rows);
    }

    [Fact]
    public async Task HelpExplainsEveryOption()
    {
        var (_, output, _) = await RunAsync("kpi", "--help");
        foreach (var option in new[] { "--queue-log", "--cdr", "--events", "--by", "--interval", "--tz", "--sl-threshold", "--sl-formula", "--short-abandon", "--ring-seconds", "--rings", "--repeat-contact-days", "--format", "--directory", "--queues-conf" })
        {
            Assert.Contains(option, output, StringComparison.Ordinal);
        }
    }
}
