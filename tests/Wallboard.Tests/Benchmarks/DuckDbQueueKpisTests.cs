using System.CommandLine;
using Wallboard.Benchmarks.DuckDb;
using Wallboard.Hub.Cli;

namespace Wallboard.Tests.Benchmarks;

/// <summary>
/// The DuckDB query that <c>wallboard kpi</c> is measured against (issue 16) must compute the same
/// queue rows, or the comparison means nothing: both run over a small hand-worked log here.
/// </summary>
public sealed class DuckDbQueueKpisTests : IDisposable
{
    // 09:00 on 27 November 2026 in Shanghai (01:00Z).
    private const long B = 1795741200;

    private readonly string _dir = Directory.CreateTempSubdirectory("wallboard-duckdb-").FullName;

    /// <summary>
    /// Layouts from Asterisk's app_queue.c: ENTERQUEUE "%s|%s|%d" (url, callerid, position);
    /// CONNECT "%ld|%s|%ld" (holdtime, bridged uniqueid, ringtime); ABANDON, EXITEMPTY and
    /// EXITWITHTIMEOUT "%d|%d|%ld" (position, original position, waittime); EXITWITHKEY
    /// "%s|%d|%d|%ld" (key, position, original position, waittime); COMPLETEAGENT/COMPLETECALLER
    /// "%ld|%ld|%d" (holdtime, calltime, position); BLINDTRANSFER "%s|%s|%ld|%ld|%d" (extension,
    /// context, holdtime, calltime, position); ATTENDEDTRANSFER "%s|%ld|%ld|%d" after "BRIDGE|%s";
    /// WITHDRAW "%d|%d|%ld|%.40s" (position, original position, waittime, info).
    /// sales: c1 answered after 15 s (ring 4 s), talk 100 s; c2 abandoned after 3 s (short); c3
    /// answered after 30 s (ring 16 s), blind-transferred after 40 s; c4 abandoned after 12 s; c5
    /// left with a key after 8 s; c6 completed (wait 10 s, talk 50 s) with no line before it, as in
    /// a log that starts mid-call; c7 answered after 6 s by an old Asterisk (no ring time), talk
    /// 60 s; c8 timed out after 60 s (its line repeated with 61 s: the first outcome counts) and
    /// went on to support; c9 exited empty at once; c10 is still waiting. support: c8 answered
    /// after 10 s (ring 3 s), talk 60 s; d2 answered after 25 s (ring 9 s), attended transfer after 30 s;
    /// d3 withdrawn (for a callback) after 20 s.
    /// </summary>
    private static readonly string[] QueueLog =
    [
        $"{B}|NONE|NONE|NONE|QUEUESTART|",
        $"{B}|NONE|sales|SIP/1001|ADDMEMBER|",
        $"{B}|NONE|support|SIP/1002|ADDMEMBER|",
        $"{B}|c1|sales|NONE|ENTERQUEUE||13800000001|1",
        $"{B + 15}|c1|sales|SIP/1001|CONNECT|15|c1-b|4",
        $"{B + 20}|c2|sales|NONE|ENTERQUEUE||13800000002|1",
        $"{B + 23}|c2|sales|NONE|ABANDON|1|1|3",
        $"{B + 30}|c3|sales|NONE|ENTERQUEUE||13800000003|2",
        $"{B + 40}|c4|sales|NONE|ENTERQUEUE||13800000004|2",
        $"{B + 46}|c3|sales|SIP/1002|RINGNOANSWER|15000",
        $"{B + 50}|c5|sales|NONE|ENTERQUEUE||13800000005|2",
        $"{B + 52}|c4|sales|NONE|ABANDON|2|2|12",
        $"{B + 58}|c5|sales|NONE|EXITWITHKEY|5|2|3|8",
        $"{B + 60}|c3|sales|SIP/1001|CONNECT|30|c3-b|16",
        $"{B + 70}|c6|sales|SIP/1002|COMPLETEAGENT|10|50|1",
        $"{B + 80}|c7|sales|NONE|ENTERQUEUE||13800000007|1",
        $"{B + 86}|c7|sales|SIP/1002|CONNECT|6|c7-b",
        $"{B + 90}|c8|sales|NONE|ENTERQUEUE||13800000008|1",
        $"{B + 95}|c9|sales|NONE|ENTERQUEUE||13800000009|2",
        $"{B + 95}|c9|sales|NONE|EXITEMPTY|2|2|0",
        $"{B + 100}|c3|sales|SIP/1001|BLINDTRANSFER|200|default|30|40|1",
        $"{B + 100}|c10|sales|NONE|ENTERQUEUE||13800000010|1",
        $"{B + 115}|c1|sales|SIP/1001|COMPLETECALLER|15|100|1",
        $"{B + 146}|c7|sales|SIP/1002|COMPLETEAGENT|6|60|1",
        $"{B + 150}|c8|sales|NONE|EXITWITHTIMEOUT|1|1|60",
        $"{B + 151}|c8|support|NONE|ENTERQUEUE||13800000008|1",
        $"{B + 151}|c8|sales|NONE|EXITWITHTIMEOUT|1|1|61",
        $"{B + 161}|c8|support|SIP/1002|CONNECT|10|c8-b|3",
        $"{B + 200}|d2|support|NONE|ENTERQUEUE||13800000012|1",
        $"{B + 221}|c8|support|SIP/1002|COMPLETEAGENT|10|60|1",
        $"{B + 225}|d2|support|SIP/1002|CONNECT|25|d2-b|9",
        $"{B + 255}|d2|support|SIP/1002|ATTENDEDTRANSFER|BRIDGE|d2-x|25|30|1",
        $"{B + 260}|d3|support|NONE|ENTERQUEUE||13800000013|1",
        $"{B + 280}|d3|support|NONE|WITHDRAW|1|1|20|callback",
        $"{B + 300}|NONE|sales|SIP/1001|PAUSE|lunch",
    ];

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task DuckDbAndKpiGiveTheSameHandWorkedQueueRows()
    {
        var path = Path.Combine(_dir, "queue_log");
        await File.WriteAllLinesAsync(path, QueueLog);

        var duckDb = DuckDbQueueKpis.Run(path);
        var output = new StringWriter();
        var exit = await WallboardCommandLine.Build()
            .Parse(["kpi", "--queue-log", path, "--by", "queue", "--interval", "total", "--format", "csv"])
            .InvokeAsync(new InvocationConfiguration { Output = output, Error = new StringWriter() });
        Assert.Equal(0, exit);
        var kpi = QueueFigures.FromKpiCsv(output.ToString());

        Assert.Empty(QueueFigures.Differences(kpi, duckDb));
        Assert.Equal(["sales", "support"], duckDb.Select(row => row.Queue));

        var sales = duckDb[0].Figures;
        Assert.Equal(9, sales["offered"]); // c1–c9; c10 is waiting
        Assert.Equal(4, sales["answered"]); // c1, c3, c6 (implied by its completion), c7
        Assert.Equal(2, sales["abandoned"]);
        Assert.Equal(1, sales["short_abandoned"]); // c2
        Assert.Equal(1, sales["timed_out"]);
        Assert.Equal(1, sales["exited_key"]);
        Assert.Equal(1, sales["exited_empty"]);
        Assert.Equal(3, sales["answered_within_sl"]); // c1 15 s, c6 10 s, c7 6 s
        Assert.Equal(3.0 / 8, sales["service_level"]); // of 9 offered less 1 short
        Assert.Equal(1, sales["answered_within_rings"]); // c1; c3 rang 16 s
        Assert.Equal(0.5, sales["ring_rate"]); // c1 of c1 and c3: c6 and c7 have no ring time
        Assert.Equal(61.0 / 4, sales["asa_seconds"]); // (15 + 30 + 10 + 6) / 4
        Assert.Equal(4, sales["handled"]);
        Assert.Equal(250, sales["talk_seconds"]); // 100 + 40 + 50 + 60
        Assert.Equal(62.5, sales["aht_seconds"]);
        Assert.Equal(1.0 / 8, sales["abandon_rate"]); // c4
        Assert.Equal(12, sales["avg_abandon_seconds"]);
        Assert.Equal(60, sales["max_wait_seconds"]); // c8's first timeout, not the repeated 61 s

        var support = duckDb[1].Figures;
        Assert.Equal(3, support["offered"]);
        Assert.Equal(2, support["answered"]);
        Assert.Equal(1, support["withdrawn"]); // d3
        Assert.Equal(1, support["answered_within_sl"]); // c8 10 s; d2 waited 25 s
        Assert.Equal(2, support["answered_within_rings"]);
        Assert.Equal(17.5, support["asa_seconds"]);
        Assert.Equal(2, support["handled"]);
        Assert.Equal(90, support["talk_seconds"]); // 60 + the attended transfer's 30
        Assert.Null(support["avg_abandon_seconds"]);
        Assert.Equal(25, support["max_wait_seconds"]);
    }

    [Fact]
    public void ARowThatDiffersIsNamedWithBothValues()
    {
        var kpi = new QueueFigures("sales", new Dictionary<string, double?> { ["offered"] = 9, ["timed_out"] = 1, ["asa_seconds"] = 15.25 });
        var duckDb = new QueueFigures("sales", new Dictionary<string, double?> { ["offered"] = 9, ["asa_seconds"] = null });

        Assert.Equal(
            ["sales.asa_seconds: 15.25 against null", "sales.timed_out: 1 against 0", "queue 'vip' is extra"],
            QueueFigures.Differences([kpi], [duckDb, duckDb with { Queue = "vip" }]));
    }
}
