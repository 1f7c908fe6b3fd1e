using System.CommandLine;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Wallboard.Hub.Cli;
using Wallboard.Hub.History;
using Wallboard.Metrics.History;

namespace Wallboard.Tests.Cli;

/// <summary>
/// <c>kpi</c> and <c>import</c> on a queue_log with one line whose epoch has a corrupted first digit
/// (1795741575 → 2795741575, 11,574 days ahead). Hand-worked, Shanghai, 27 November 2026: SIP/1001
/// is a member 09:00–09:16:40 and answers c1 at 09:01:15 after 15 s (talk 300 s); c2 abandons at
/// 09:16:30 after 30 s. So SIP/1001 has 900 s of login in the 09:00 interval and 100 s in 09:15.
/// Before the rule, the corrupt line made both commands account the session interval by interval
/// for 31 years (1.1 M intervals an agent) until memory ran out.
/// </summary>
public sealed class BatchTimeRuleTests : IDisposable
{
    private const long B = 1795741200;
    private const long Corrupt = 1_000_000_000;

    private readonly string _dir = Directory.CreateTempSubdirectory("wallboard-far-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string[] QueueLog(bool corrupt) =>
    [
        $"{B}|NONE|sales|SIP/1001|ADDMEMBER|",
        $"{B + 60}|c1|sales|NONE|ENTERQUEUE||13800000001|1",
        $"{B + 75}|c1|sales|SIP/1001|CONNECT|15|c1-b|4",
        $"{B + 375}|c1|sales|SIP/1001|COMPLETECALLER|15|300|1",
        .. corrupt ? new[] { $"{B + 375 + Corrupt}|NONE|sales|SIP/1001|PAUSE|lunch" } : [],
        $"{B + 960}|c2|sales|NONE|ENTERQUEUE||13800000002|1",
        $"{B + 990}|c2|sales|NONE|ABANDON|1|1|30",
        $"{B + 1000}|NONE|sales|SIP/1001|REMOVEMEMBER|",
    ];

    private string Write(string name, IEnumerable<string> lines)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllLines(path, lines);
        return path;
    }

    [Fact]
    public async Task KpiRefusesTheCorruptLineByLineAndValueAndCountsTheRestAsWithoutIt()
    {
        var corrupt = Write("queue_log", QueueLog(corrupt: true));
        var clean = Write("clean_queue_log", QueueLog(corrupt: false));

        foreach (var by in new[] { "agent", "queue" })
        {
            var withIt = await KpiAsync("--queue-log", corrupt, "--by", by);
            var without = await KpiAsync("--queue-log", clean, "--by", by);

            Assert.Equal((0, 0), (withIt.Exit, without.Exit));
            Assert.Equal(without.Output, withIt.Output);
            Assert.Contains(
                "queue_log:5: epoch '2795741575': 2058-08-05T02:52:55Z is 11574 days after the line taken before it (2026-11-27T01:06:15Z)"
                + " and 11574 days after the line after it (2026-11-27T01:16:00Z); a file is written in time order, so a line more than 7 days"
                + " from the lines around it is corrupt (Ingest:BatchMaxJumpDays)",
                withIt.Errors,
                StringComparison.Ordinal);
            Assert.Contains("queue_log: 8 lines read, 7 events, 0 ignored, 0 unknown, 1 malformed", withIt.Errors, StringComparison.Ordinal);
        }

        var rows = JsonDocument.Parse((await KpiAsync("--queue-log", corrupt, "--by", "agent")).Output).RootElement;
        Assert.Equal(
            [("2026-11-27T09:00:00+08:00", 900.0, 1, 0.0), ("2026-11-27T09:15:00+08:00", 100.0, 0, 0.0)],
            rows.EnumerateArray().Select(r => (r.GetProperty("interval_start").GetString(), r.GetProperty("login_seconds").GetDouble(),
                r.GetProperty("handled").GetInt32(), r.GetProperty("pause_seconds").GetDouble())));
    }

    [Fact]
    public async Task ACorruptFirstLineIsRefusedToo()
    {
        // A member added "in 2058" before the first real line: nothing of SIP/1002 may appear.
        var corrupt = Write("queue_log", [$"{B + Corrupt}|NONE|sales|SIP/1002|ADDMEMBER|", .. QueueLog(corrupt: false)]);
        var clean = Write("clean_queue_log", QueueLog(corrupt: false));

        var withIt = await KpiAsync("--queue-log", corrupt, "--by", "agent");
        var without = await KpiAsync("--queue-log", clean, "--by", "agent");

        Assert.Equal((0, 0), (withIt.Exit, without.Exit));
        Assert.Equal(without.Output, withIt.Output);
        Assert.DoesNotContain("SIP/1002", withIt.Output, StringComparison.Ordinal);
        Assert.Contains("queue_log:1: epoch '2795741200': 2058-08-05T02:46:40Z has no line taken before it and is 11574 days after the line after it (2026-11-27T01:00:00Z)", withIt.Errors, StringComparison.Ordinal);
        Assert.Contains("1 malformed", withIt.Errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AJsonEventFarAheadIsRefusedNamingItsLineAndField()
    {
        // Agent a1 logs in at 09:00, pauses 09:05–09:08, logs out 09:10; line 3 is a pause dated 2058.
        var events = Write("events.ndjson",
        [
            $$"""{"type":"agent_state","time":{{B}},"agent":"a1","state":"logged_in"}""",
            $$"""{"type":"agent_state","time":{{B + 300}},"agent":"a1","state":"paused","reason":"break"}""",
            $$"""{"type":"agent_state","time":{{B + 400 + Corrupt}},"agent":"a1","state":"paused","reason":"lunch"}""",
            $$"""{"type":"agent_state","time":{{B + 480}},"agent":"a1","state":"available"}""",
            $$"""{"type":"agent_state","time":{{B + 600}},"agent":"a1","state":"logged_out"}""",
        ]);

        var (exit, output, errors) = await KpiAsync("--events", events, "--by", "agent");

        Assert.Equal(0, exit);
        Assert.Contains("events.ndjson:3: field \"time\": 2058-08-05T02:53:20Z is 11574 days after the line taken before it", errors, StringComparison.Ordinal);
        var row = Assert.Single(JsonDocument.Parse(output).RootElement.EnumerateArray());
        Assert.Equal((600.0, 180.0), (row.GetProperty("login_seconds").GetDouble(), row.GetProperty("pause_seconds").GetDouble()));
    }

    [Fact]
    public async Task TwoCorruptLinesThatAgreeAreTakenButAddOnlyTheirOwnIntervals()
    {
        // SIP/1002 joins at 09:00 and stays; the file ends with its PAUSE and UNPAUSE both dated 2058
        // (09:20:00 and 09:21:00 plus 10^9 s), which confirm each other. The engine's bound leaves the
        // 31 years between them and 09:30 unaccounted: SIP/1002 has 900 s in each 2026 interval to
        // 09:30, then 2058-08-05 11:00 (local) to 11:07:40, with the minute's pause.
        var lines = QueueLog(corrupt: false).ToList();
        lines.Insert(1, $"{B}|NONE|sales|SIP/1002|ADDMEMBER|");
        lines.Add($"{B + 1200 + Corrupt}|NONE|sales|SIP/1002|PAUSE|lunch");
        lines.Add($"{B + 1260 + Corrupt}|NONE|sales|SIP/1002|UNPAUSE|lunch");
        var (exit, output, errors) = await KpiAsync("--queue-log", Write("queue_log", lines), "--by", "agent");

        Assert.Equal(0, exit);
        Assert.Contains("0 malformed", errors, StringComparison.Ordinal);
        Assert.Contains("1 spans of login or pause time longer than Metrics:MaxSilenceDays (31 days) without an event were not accounted", errors, StringComparison.Ordinal);
        var rows = JsonDocument.Parse(output).RootElement.EnumerateArray()
            .Select(r => (r.GetProperty("agent").GetString(), r.GetProperty("interval_start").GetString(), r.GetProperty("login_seconds").GetDouble(), r.GetProperty("pause_seconds").GetDouble()));
        Assert.Equal(
            [
                ("SIP/1001", "2026-11-27T09:00:00+08:00", 900.0, 0.0),
                ("SIP/1001", "2026-11-27T09:15:00+08:00", 100.0, 0.0),
                ("SIP/1002", "2026-11-27T09:00:00+08:00", 900.0, 0.0),
                ("SIP/1002", "2026-11-27T09:15:00+08:00", 900.0, 0.0),
                ("SIP/1002", "2058-08-05T11:00:00+08:00", 460.0, 60.0),
            ],
            rows);
    }

    [Fact]
    public async Task ImportStoresExactlyTheIntervalsOfTheGoodLines()
    {
        var corrupt = Write("queue_log", QueueLog(corrupt: true));
        var clean = Write("clean_queue_log", QueueLog(corrupt: false));
        var withItDb = Path.Combine(_dir, "with.db");
        var withoutDb = Path.Combine(_dir, "without.db");

        var withIt = await ImportAsync(withItDb, corrupt);
        var without = await ImportAsync(withoutDb, clean);

        Assert.Equal((0, 0), (withIt.Exit, without.Exit));
        Assert.Contains("queue_log:5: epoch '2795741575'", withIt.Errors, StringComparison.Ordinal);
        Assert.Contains("1 malformed", withIt.Errors, StringComparison.Ordinal);
        Assert.Contains("4 points written to SQLite", withIt.Errors, StringComparison.Ordinal);
        using var withStore = new SqliteHistoryStore(withItDb);
        using var withoutStore = new SqliteHistoryStore(withoutDb);
        var stored = await AllAsync(withStore);
        Assert.Equal(await AllAsync(withoutStore), stored);
        const long NineAm = B * 1000;
        Assert.Contains($"Agents SIP/1001 {NineAm} ", stored[2], StringComparison.Ordinal);
        Assert.Equal(
            [$"Queues sales {NineAm}", $"Queues sales {NineAm + HistoryPoint.IntervalMs}", $"Agents SIP/1001 {NineAm}", $"Agents SIP/1001 {NineAm + HistoryPoint.IntervalMs}"],
            stored.Select(line => string.Join(' ', line.Split(' ').Take(3))));
        Assert.Equal(NineAm + 1_000_000, await withStore.GetWrittenUpToAsync());
    }

    private static async Task<List<string>> AllAsync(SqliteHistoryStore store)
    {
        var all = new List<string>();
        foreach (var kind in Enum.GetValues<HistoryKind>())
        {
            // Everything to 9000: a point of 2058 would be here.
            all.AddRange((await store.QueryAsync(kind, null, 0, 221_845_392_000_000)).Select(p => $"{p.Kind} {p.Id} {p.IntervalStartMs} {string.Join(',', p.Values)}"));
        }

        return all;
    }

    private static async Task<(int Exit, string Output, string Errors)> KpiAsync(params string[] args)
    {
        var output = new StringWriter();
        var errors = new StringWriter();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>()).Build();
        var exit = await WallboardCommandLine.Build(configuration).Parse(["kpi", .. args, "--tz", "Asia/Shanghai"])
            .InvokeAsync(new InvocationConfiguration { Output = output, Error = errors });
        return (exit, output.ToString(), errors.ToString());
    }

    private static async Task<(int Exit, string Errors)> ImportAsync(string database, string queueLog)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["History:SqlitePath"] = database }).Build();
        var errors = new StringWriter();
        var exit = await new RootCommand { new ImportCommand(configuration) }.Parse(["import", "--queue-log", queueLog, "--tz", "Asia/Shanghai"])
            .InvokeAsync(new InvocationConfiguration { Output = new StringWriter(), Error = errors });
        return (exit, errors.ToString());
    }
}
