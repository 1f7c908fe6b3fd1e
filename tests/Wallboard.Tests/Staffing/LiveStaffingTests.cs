using Wallboard.Ingest.Model;
using Wallboard.Metrics;
using Wallboard.Metrics.Calendar;
using Wallboard.Metrics.Engine;
using Wallboard.Metrics.Live;
using Wallboard.Metrics.Staffing;
using Wallboard.Tests.Metrics;

namespace Wallboard.Tests.Staffing;

public sealed class LiveStaffingTests
{
    private static readonly KpiOptions OneMinute = new() { Interval = IntervalLength.OneMinute };

    /// <summary>
    /// Queue "sales", window 09:31–10:00:30 (29.5 minutes: 29 whole minutes and the current half).
    /// Four answered after 10, 20, 30 and 40 s, each 200 s talk and 40 s wrap-up; two abandoned after
    /// 60 and 90 s; one short abandon (2 s, a misdial); one call waiting now. A1 serves sales and vip,
    /// A2 sales, A3 sales but is paused.
    /// </summary>
    [Fact]
    public void RequirementComesFromTheWindowsTrafficAndEachQueueCountsItsOwnAgents()
    {
        var s = new Scenario();
        foreach (var (agent, queue) in new[] { ("A1", "sales"), ("A1", "vip"), ("A2", "sales"), ("A3", "sales") })
        {
            s.Add(ContactEventKind.MemberAdded, "08:00", queue: queue, agent: agent);
        }

        s.Add(ContactEventKind.AgentPaused, "08:30", agent: "A3", reason: "lunch");
        var waits = new[] { 10, 20, 30, 40 };
        for (var i = 0; i < 4; i++)
        {
            var call = $"c{i}";
            var agent = i % 2 == 0 ? "A1" : "A2";
            s.Queued($"09:{35 + i}:00", call, "sales");
            s.Completed($"09:{35 + i}:{waits[i] + 0:00}", call, agent, wait: waits[i], talk: 200, queue: "sales");
            s.Add(ContactEventKind.WrapUpEnded, $"09:{35 + i}:{waits[i] + 0:00}", call, "sales", agent, wrapUp: 40);
        }

        s.Queued("09:45:00", "a1", "sales").Outcome(ContactEventKind.CallAbandoned, "09:46:00", "a1", 60, "sales");
        s.Queued("09:47:00", "a2", "sales").Outcome(ContactEventKind.CallAbandoned, "09:48:30", "a2", 90, "sales");
        s.Queued("09:50:00", "short", "sales").Outcome(ContactEventKind.CallAbandoned, "09:50:02", "short", 2, "sales");
        s.Queued("10:00:10", "waiting", "sales");
        var engine = s.Run(OneMinute);
        var now = s.At("10:00:30");
        engine.FlushOpenSessions(now);
        var staffing = new LiveStaffing(new StaffingPolicy { MinAbandonsForPatience = 2, MaxOccupancy = 1 });

        var snapshot = staffing.Apply(engine, LiveView.Build(engine, now, new LiveOptions()), new LiveOptions());

        var sales = snapshot.Queues.Single(q => q.Queue == "sales");
        var vip = snapshot.Queues.Single(q => q.Queue == "vip");
        Assert.Equal(2, sales.AgentsStaffed); // A1 and A2; A3 is paused
        Assert.Equal(2, sales.AgentsAvailable);
        Assert.Equal(1, vip.AgentsStaffed); // A1 again: once per queue
        var live = sales.Staffing!;
        Assert.Equal(StaffingModel.ErlangA, live.Model);
        Assert.Equal(7 * 3600 / 1770.0, live.ArrivalsPerHour, 9); // 6 offered less the short one, plus the one waiting
        Assert.Equal(240, live.AhtSeconds!.Value, 9); // (4 × 200 + 4 × 40) / 4
        Assert.Equal(125, live.PatienceSeconds!.Value, 9); // (10 + 20 + 30 + 40 + 60 + 90) / 2 abandons
        Assert.Equal(0.8, live.SlTarget);
        var expected = StaffingCalculator.AgentsRequired(StaffingModel.ErlangA, new QueueTraffic(7 * 3600 / 1770.0, 240, 125, 20), 0.8);
        Assert.Equal(expected.Agents, live.AgentsRequired);
        Assert.Equal(2 - expected.Agents, sales.StaffingGap);
        Assert.Equal(StaffingCalculator.Evaluate(StaffingModel.ErlangA, new QueueTraffic(7 * 3600 / 1770.0, 240, 125, 20), 2).ServiceLevel, live.PredictedServiceLevel!.Value, 12);

        // With the default of five abandons for a patience, two are too few: Erlang C.
        var cautious = new LiveStaffing(new StaffingPolicy { MaxOccupancy = 1 }).Apply(engine, LiveView.Build(engine, now, new LiveOptions()), new LiveOptions());
        var c = cautious.Queues.Single(q => q.Queue == "sales").Staffing!;
        Assert.Equal(StaffingModel.ErlangC, c.Model);
        Assert.Null(c.PatienceSeconds);
        Assert.Equal(StaffingCalculator.AgentsRequired(StaffingModel.ErlangC, new QueueTraffic(7 * 3600 / 1770.0, 240, null, 20), 0.8).Agents, c.AgentsRequired);
    }

    /// <summary>
    /// A1 is scheduled 09:00–10:00 with a break 09:30–09:40; it logs in at 09:05 and pauses 09:20–09:25.
    /// At 10:00: scheduled 50 min; logged in and not paused within them 20 + 20 = 40 min (adherence
    /// 0.8); logged in and not paused all day 55 − 5 = 50 min (conformance 1.0).
    /// </summary>
    [Fact]
    public void AdherenceCountsLoggedInUnpausedTimeWithinTheScheduledSpans()
    {
        var s = new Scenario()
            .Add(ContactEventKind.MemberAdded, "09:05", queue: "sales", agent: "A1")
            .Add(ContactEventKind.AgentPaused, "09:20", agent: "A1", reason: "toilet")
            .Add(ContactEventKind.AgentUnpaused, "09:25", agent: "A1")
            .Add(ContactEventKind.MemberAdded, "09:50", queue: "sales", agent: "A2");
        var engine = s.Run(OneMinute);
        var now = s.At("10:00");
        engine.FlushOpenSessions(now);
        var staffing = new LiveStaffing(new StaffingPolicy())
        {
            Rota = new Rota(
            [
                new RotaEntry("A1", s.At("09:00"), s.At("10:00"), "work"),
                new RotaEntry("A1", s.At("09:30"), s.At("09:40"), "break"),
            ]),
        };

        var snapshot = staffing.Apply(engine, LiveView.Build(engine, now, new LiveOptions()), new LiveOptions());

        var a1 = snapshot.Agents.Single(a => a.Agent == "A1").Adherence!;
        Assert.Equal(50 * 60, a1.ScheduledSeconds);
        Assert.Equal(40 * 60, a1.AdheringSeconds);
        Assert.Equal(50 * 60, a1.WorkedSeconds);
        Assert.Equal(0.8, a1.Adherence!.Value, 12);
        Assert.Equal(1.0, a1.Conformance!.Value, 12);
        Assert.Null(snapshot.Agents.Single(a => a.Agent == "A2").Adherence); // no rota
    }

    /// <summary>
    /// A3 is rostered 09:00–12:00 and has not logged in by 10:00: 60 scheduled minutes, none adhered or
    /// worked (adherence 0), shown logged out; A4's shift starts at 11:00, nothing scheduled yet, no row.
    /// </summary>
    [Fact]
    public void ARosteredAgentWhoNeverLoggedInHasARowWithNoAdherence()
    {
        var s = new Scenario().Add(ContactEventKind.MemberAdded, "09:05", queue: "sales", agent: "A1");
        var engine = s.Run(OneMinute);
        var now = s.At("10:00");
        engine.FlushOpenSessions(now);
        var staffing = new LiveStaffing(new StaffingPolicy())
        {
            Rota = new Rota(
            [
                new RotaEntry("A3", s.At("09:00"), s.At("12:00"), "work"),
                new RotaEntry("A4", s.At("11:00"), s.At("19:00"), "work"),
            ]),
        };

        var snapshot = staffing.Apply(engine, LiveView.Build(engine, now, new LiveOptions()), new LiveOptions());

        var a3 = snapshot.Agents.Single(a => a.Agent == "A3");
        Assert.Equal(AgentStatus.LoggedOut, a3.Status);
        Assert.Equal(60 * 60, a3.Adherence!.ScheduledSeconds);
        Assert.Equal(0.0, a3.Adherence.Adherence!.Value, 12);
        Assert.Equal(0.0, a3.Adherence.Conformance!.Value, 12);
        Assert.DoesNotContain(snapshot.Agents, a => a.Agent == "A4");
        Assert.Contains(snapshot.Agents, a => a.Agent == "A1");
    }

    [Fact]
    public void ScheduledAgentsPerIntervalAverageTheRotaOverTheInterval()
    {
        var s = new Scenario();
        var rota = new Rota(
        [
            new RotaEntry("A1", s.At("09:00"), s.At("17:00"), "work"),
            new RotaEntry("A1", s.At("12:00"), s.At("13:00"), "lunch"),
            new RotaEntry("A2", s.At("12:30"), s.At("20:00"), "work"),
        ]);

        Assert.Equal(1, rota.ScheduledAgents(s.At("10:00"), s.At("11:00")));
        Assert.Equal(0.5, rota.ScheduledAgents(s.At("12:00"), s.At("13:00"))); // A1 at lunch, A2 from 12:30
        Assert.Equal(2, rota.ScheduledAgents(s.At("14:00"), s.At("14:15")));
    }
}
