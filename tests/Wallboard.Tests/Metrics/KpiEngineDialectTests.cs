using Wallboard.Ingest.Aliases;
using Wallboard.Ingest.Model;
using Wallboard.Ingest.QueueLog;
using Wallboard.Metrics;
using Wallboard.Metrics.Calendar;
using Wallboard.Metrics.Engine;
using Wallboard.Metrics.Live;
using Wallboard.Metrics.Rows;

namespace Wallboard.Tests.Metrics;

/// <summary>
/// What real Asterisk, FreePBX and Issabel logs contain, read line by line through the parser into
/// the core. Every log is written from the format strings of apps/app_queue.c quoted beside it.
/// </summary>
public sealed class KpiEngineDialectTests
{
    /// <summary>
    /// The eight queue_log lines of https://github.com/asterisk/asterisk/issues/759 (FreePBX 16.0.40.7,
    /// Asterisk 20.5.2), verbatim. Agent PJSIP/7009 answers caller …826 in queue 1501, consults queue
    /// 1509 (consultation call …830) and completes the attended transfer at once. The masquerade swaps
    /// the unique ids: the ATTENDEDTRANSFER of the call in 1501 is logged under the consultation's id,
    /// and the caller is answered and completed in 1509 under its own id, which never entered 1509,
    /// while the consultation's ENTERQUEUE in 1509 is never closed. Format strings (Asterisk 20):
    /// ENTERQUEUE <c>"%s|%s|%d"</c> (url, caller id, position); CONNECT <c>"%ld|%s|%ld"</c> (holdtime,
    /// member's uniqueid, ringtime); ATTENDEDTRANSFER <c>"%s|%ld|%ld|%d"</c> with <c>"APP|%s"</c>
    /// (holdtime, calltime, position); COMPLETEAGENT <c>"%ld|%ld|%d"</c> (holdtime, calltime, position).
    /// </summary>
    internal static readonly string[] Issue759 =
    [
        "1717397259|1717397243.239826|1501|NONE|DID|4957877871",
        "1717397259|1717397243.239826|1501|NONE|ENTERQUEUE||9031396745|1",
        "1717397271|1717397243.239826|1501|PJSIP/7009|CONNECT|12|1717397259.239827|11",
        "1717397390|1717397390.239830|1509|NONE|DID|",
        "1717397390|1717397390.239830|1509|NONE|ENTERQUEUE||7009|1",
        "1717397391|1717397390.239830|1501|PJSIP/7009|ATTENDEDTRANSFER|APP|Queue|12|120|1",
        "1717397397|1717397243.239826|1509|PJSIP/7051|CONNECT|7|1717397390.239831|6",
        "1717397570|1717397243.239826|1509|PJSIP/7051|COMPLETEAGENT|7|173|1",
    ];

    private static KpiEngine Read(IEnumerable<string> lines, KpiOptions? options = null, AgentAliases? aliases = null)
    {
        var engine = new KpiEngine(options ?? new KpiOptions { Interval = IntervalLength.Total });
        var parser = new QueueLogParser(aliases ?? new AgentAliases());
        var report = new IngestReport();
        var number = 0L;
        foreach (var line in lines)
        {
            parser.Feed(line, engine, report, "queue_log", ++number);
        }

        Assert.True(report.Malformed + report.Unknown == 0, string.Join("; ", report.Errors));
        engine.FlushOpenSessions(engine.WatermarkMs);
        return engine;
    }

    private static QueueKpiRow Queue(KpiEngine engine, string queue)
    {
        var rows = KpiRows.Queues(engine);
        QueueInvariants.AssertOfferedIsTheSumOfOutcomes(rows);
        return Assert.Single(rows, row => row.Queue == queue);
    }

    private static AgentKpiRow Agent(KpiEngine engine, string agent) => Assert.Single(KpiRows.Agents(engine), row => row.Agent == agent);

    [Fact]
    public void AnAttendedTransferIntoAQueueInventsNoCallAndLeavesNoneWaiting()
    {
        var engine = Read(Issue759);

        var a = Queue(engine, "1501");
        Assert.Equal((1L, 1L, 1L, 120.0), (a.Offered, a.Answered, a.Handled, a.TalkSeconds));
        Assert.Equal(12, a.AsaSeconds);
        var b = Queue(engine, "1509");
        Assert.Equal((1L, 1L, 1L, 173.0), (b.Offered, b.Answered, b.Handled, b.TalkSeconds));
        Assert.Equal(7, b.AsaSeconds); // the consultation entered 1509 at …390 and was answered (as the caller) at …397
        Assert.Equal(2, KpiRows.Queues(engine).Count);
        Assert.Equal(0, engine.WaitingIn(engine.QueueId("1501")).Waiting);
        Assert.Equal(0, engine.WaitingIn(engine.QueueId("1509")).Waiting);

        Assert.Equal((1L, 1L, 120.0), (Agent(engine, "PJSIP/7009").Answered, Agent(engine, "PJSIP/7009").Handled, Agent(engine, "PJSIP/7009").TalkSeconds));
        Assert.Equal((1L, 1L, 173.0), (Agent(engine, "PJSIP/7051").Answered, Agent(engine, "PJSIP/7051").Handled, Agent(engine, "PJSIP/7051").TalkSeconds));
        Assert.Equal(2, engine.MasqueradesResolved);
        Assert.Equal(0, engine.Inconsistent);
    }

    [Fact]
    public void TheLiveBoardOfTheReplayedMasqueradeShowsNothingWaiting()
    {
        var live = Read(Issue759, new KpiOptions { TimeZone = "Europe/Moscow", Interval = IntervalLength.OneMinute });

        var snapshot = LiveView.Build(live, 1717397630_000, new LiveOptions());

        Assert.All(snapshot.Queues, queue => Assert.Equal((0, (double?)null), (queue.Waiting, queue.LongestWaitSeconds)));
        var today = snapshot.Queues.ToDictionary(queue => queue.Queue, queue => queue.Windows[LiveWindow.Today]);
        Assert.Equal((1L, 1L, 1L, 120_000L), (today["1501"].Offered, today["1501"].Answered, today["1501"].Handled, today["1501"].TalkMs));
        Assert.Equal((1L, 1L, 1L, 173_000L), (today["1509"].Offered, today["1509"].Answered, today["1509"].Handled, today["1509"].TalkMs));
        Assert.All(snapshot.Agents, agent => Assert.NotEqual(AgentStatus.OnCall, agent.Status));
    }

    /// <summary>
    /// The consultation answered before the transfer completes (a true attended transfer): the
    /// transfer in A comes under the consultation's id and the completion in B under the caller's.
    /// ENTERQUEUE <c>"%s|%s|%d"</c>, CONNECT <c>"%ld|%s|%ld"</c>, ATTENDEDTRANSFER <c>"%s|%ld|%ld|%d"</c> with
    /// <c>"BRIDGE|%s"</c>, COMPLETECALLER <c>"%ld|%ld|%d"</c>.
    /// </summary>
    [Fact]
    public void ATransferCompletedAfterTheConsultationWasAnsweredIsPutOnItsCallsToo()
    {
        var engine = Read(
        [
            "1700000000|1700000000.1|A|NONE|ENTERQUEUE||13800000001|1",
            "1700000010|1700000000.1|A|PJSIP/7009|CONNECT|10|1700000004.2|3",
            "1700000060|1700000060.3|B|NONE|ENTERQUEUE||7009|1",
            "1700000066|1700000060.3|B|PJSIP/7051|CONNECT|6|1700000062.4|4",
            "1700000090|1700000060.3|A|PJSIP/7009|ATTENDEDTRANSFER|BRIDGE|2c0b6f1e-5d3a-4b1f-9a70-1f2e3d4c5b6a|10|80|1",
            "1700000300|1700000000.1|B|PJSIP/7051|COMPLETECALLER|6|234|1",
        ]);

        Assert.Equal((1L, 1L, 1L, 80.0), (Queue(engine, "A").Offered, Queue(engine, "A").Answered, Queue(engine, "A").Handled, Queue(engine, "A").TalkSeconds));
        Assert.Equal((1L, 1L, 1L, 234.0), (Queue(engine, "B").Offered, Queue(engine, "B").Answered, Queue(engine, "B").Handled, Queue(engine, "B").TalkSeconds));
        Assert.Equal((1L, 1L), (Agent(engine, "PJSIP/7009").Handled, Agent(engine, "PJSIP/7051").Handled));
        Assert.Equal(0, engine.WaitingIn(engine.QueueId("B")).Waiting);
    }

    /// <summary>
    /// A completion of an id never seen, by an agent with no call in progress there, is a call whose
    /// answer the log missed (it began mid-call): counted as answered, as before the rule. With two
    /// calls in progress at the agent the rule does not guess either.
    /// </summary>
    [Fact]
    public void TheTransferRuleAppliesOnlyToAnAgentWithExactlyOneCallInProgress()
    {
        var missedAnswer = Read(["1700000300|1700000000.9|A|PJSIP/7009|COMPLETEAGENT|10|200|1"]);
        Assert.Equal((1L, 1L, 1L), (Queue(missedAnswer, "A").Offered, Queue(missedAnswer, "A").Answered, Queue(missedAnswer, "A").Handled));
        Assert.Equal(0, missedAnswer.MasqueradesResolved);

        var twoCalls = Read(
        [
            "1700000000|1700000000.1|A|NONE|ENTERQUEUE||13800000001|1",
            "1700000010|1700000000.1|A|PJSIP/7009|CONNECT|10|1700000004.2|3",
            "1700000020|1700000020.3|A|NONE|ENTERQUEUE||13800000002|1",
            "1700000030|1700000020.3|A|PJSIP/7009|CONNECT|10|1700000024.4|3",
            "1700000090|1700000090.5|A|PJSIP/7009|ATTENDEDTRANSFER|APP|Queue|10|60|1",
        ]);
        Assert.Equal((3L, 3L, 1L), (Queue(twoCalls, "A").Offered, Queue(twoCalls, "A").Answered, Queue(twoCalls, "A").Handled));
        Assert.Equal(0, twoCalls.MasqueradesResolved);
    }

    /// <summary>
    /// app_queue.c (Asterisk 16+): <c>"WITHDRAW", "%d|%d|%ld|%.40s"</c> (position, original position, wait, info).
    /// The call is closed with an outcome of its own, inside offered.
    /// </summary>
    [Fact]
    public void AWithdrawnCallIsOfferedWithdrawnAndNoLongerWaiting()
    {
        var options = new KpiOptions { Interval = IntervalLength.OneMinute };
        var engine = Read(
        [
            "1700000000|1700000000.1|support|NONE|ENTERQUEUE||13800000001|1",
            "1700000089|1700000000.1|support|NONE|WITHDRAW|1|1|89|callback",
            "1700000100|1700000100.2|support|NONE|ENTERQUEUE||13800000002|1",
            "1700000112|1700000100.2|support|PJSIP/1001|CONNECT|12|1700000105.3|4",
            "1700000212|1700000100.2|support|PJSIP/1001|COMPLETEAGENT|12|100|1",
        ], options with { Interval = IntervalLength.Total });

        var row = Queue(engine, "support");
        Assert.Equal((2L, 1L, 1L, 0L), (row.Offered, row.Withdrawn, row.Answered, row.Abandoned));
        Assert.Equal(89, row.MaxWaitSeconds);
        Assert.Equal(0.5, row.ServiceLevel); // the answered call (12 s) of two offered
        Assert.Equal(0, engine.WaitingIn(engine.QueueId("support")).Waiting);

        var live = LiveView.Build(Read(["1700000000|1700000000.1|support|NONE|ENTERQUEUE||13800000001|1", "1700000089|1700000000.1|support|NONE|WITHDRAW|1|1|89|"], options), 1_700_000_100_000, new LiveOptions());
        Assert.Equal(0, Assert.Single(live.Queues).Waiting);
        Assert.Equal(1, live.Queues[0].Windows[LiveWindow.Last15Minutes].Withdrawn);
    }

    /// <summary>
    /// Asterisk 1.4 app_queue.c: <c>"EXITWITHKEY", "%s|%d"</c> (key, position) and <c>"EXITWITHTIMEOUT", "%d"</c>
    /// (position): no wait. The wait is the outcome's time less the ENTERQUEUE's (1.4: <c>"ENTERQUEUE", "%s|%s"</c>).
    /// </summary>
    [Fact]
    public void AnOldOutcomeWithoutAWaitWaitedFromItsEnterQueue()
    {
        var engine = Read(
        [
            "1700000000|1700000000.1|support|NONE|ENTERQUEUE||13800000001",
            "1700000025|1700000000.1|support|NONE|EXITWITHKEY|5|1",
            "1700000100|1700000100.2|support|NONE|ENTERQUEUE||13800000002",
            "1700000140|1700000100.2|support|NONE|EXITWITHTIMEOUT|1",
        ], new KpiOptions { Interval = IntervalLength.OneMinute });

        var rows = KpiRows.Queues(engine);
        QueueInvariants.AssertOfferedIsTheSumOfOutcomes(rows);
        Assert.Equal((1L, 25.0), (rows[0].ExitedKey, rows[0].MaxWaitSeconds));
        Assert.Equal((1L, 40.0), (rows[1].TimedOut, rows[1].MaxWaitSeconds));
    }

    /// <summary>
    /// FreePBX and Issabel run with log_membername_as_agent = no: app_queue.c logs ADDMEMBER and
    /// REMOVEMEMBER with the interface (<c>ast_queue_log(args.queuename, …, args.interface, "ADDMEMBER", "%s", …)</c>)
    /// and CONNECT and COMPLETE* with the member name (<c>member->membername, "CONNECT", "%ld|%s|%ld"</c>).
    /// queues.conf names both (<c>member => interface,penalty,membername,state_interface</c>).
    /// </summary>
    [Fact]
    public void TheMemberNamesOfQueuesConfMakeOneAgentOfTheInterfaceAndTheName()
    {
        string[] log =
        [
            "1700000000|NONE|sales|Local/1001@from-queue/n|ADDMEMBER|",
            "1700000060|1700000060.1|sales|NONE|ENTERQUEUE||13800000001|1",
            "1700000070|1700000060.1|sales|Sathish|CONNECT|10|1700000064.2|4",
            "1700000370|1700000060.1|sales|Sathish|COMPLETEAGENT|10|300|1",
            "1700003600|NONE|sales|Local/1001@from-queue/n|REMOVEMEMBER|",
        ];
        var members = QueuesConf.Parse("[sales]\nmember => Local/1001@from-queue/n,0,Sathish,hint:1001@ext-local\n", "queues_additional.conf", []);
        var aliases = new AgentAliases(AgentAliasMap.Create(members.SelectMany(m => new[] { (m.Interface, m.MemberName), (m.StateInterface, m.MemberName) })));

        var split = KpiRows.Agents(Read(log));
        Assert.Equal(["Local/1001@from-queue/n", "Sathish"], split.Select(row => row.Agent));
        Assert.Null(split[1].Occupancy); // all the calls, no login time

        var agent = Assert.Single(KpiRows.Agents(Read(log, aliases: aliases)));
        Assert.Equal(("Sathish", 3600.0, 1L, 300.0), (agent.Agent, agent.LoginSeconds, agent.Handled, agent.TalkSeconds));
        Assert.Equal(300.0 / 3600, agent.Occupancy!.Value, 12);
    }
}
