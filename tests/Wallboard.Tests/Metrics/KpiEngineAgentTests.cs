using Wallboard.Ingest.Model;
using Wallboard.Metrics;
using Wallboard.Metrics.Calendar;
using Wallboard.Metrics.Engine;
using Wallboard.Metrics.Rows;
using static Wallboard.Ingest.Model.ContactEventKind;

namespace Wallboard.Tests.Metrics;

public sealed class KpiEngineAgentTests
{
    [Fact]
    public void LoginAndPauseTimeIsSplitAtIntervalBoundaries()
    {
        // Member of q1 from 09:10 and of q2 from 09:12 (still one session), paused 09:20–09:35,
        // leaves q1 at 09:40 and q2 at 09:50: logged in 09:10–09:50.
        var engine = new Scenario()
            .Add(MemberAdded, "09:10:00", queue: "q1", agent: "a1")
            .Add(MemberAdded, "09:12:00", queue: "q2", agent: "a1")
            .Add(AgentPaused, "09:20:00", agent: "a1", reason: "lunch")
            .Add(AgentUnpaused, "09:35:00", agent: "a1")
            .Add(MemberRemoved, "09:40:00", queue: "q1", agent: "a1")
            .Add(MemberRemoved, "09:50:00", queue: "q2", agent: "a1")
            .Run();

        var rows = KpiRows.Agents(engine);
        Assert.Equal([300.0, 900, 900, 300], rows.Select(r => r.LoginSeconds));
        Assert.Equal([0.0, 600, 300, 0], rows.Select(r => r.PauseSeconds));
        Assert.Equal([0, 15, 30, 45], rows.Select(r => r.IntervalStart!.Value.Minute));
    }

    [Fact]
    public void PauseIsClosedAtLogoutAndALaterUnpauseAddsNothing()
    {
        var engine = new Scenario()
            .Add(AgentLoggedIn, "10:00:00", agent: "a1")
            .Add(AgentPaused, "10:01:00", agent: "a1", reason: "break")
            .Add(AgentLoggedOut, "10:06:00", agent: "a1")
            .Add(AgentUnpaused, "10:10:00", agent: "a1")
            .Run();
        var row = Assert.Single(KpiRows.Agents(engine));
        Assert.Equal(360, row.LoginSeconds);
        Assert.Equal(300, row.PauseSeconds);
    }

    [Fact]
    public void PauseAllThenUnpauseInAnotherQueueEndsThePause()
    {
        var engine = new Scenario()
            .Add(MemberAdded, "10:00:00", queue: "q1", agent: "a1")
            .Add(AgentPaused, "10:02:00", agent: "a1", reason: "training")
            .Add(AgentPaused, "10:03:00", queue: "q1", agent: "a1", reason: "training")
            .Add(AgentUnpaused, "10:05:00", queue: "q1", agent: "a1")
            .Add(MemberRemoved, "10:10:00", queue: "q1", agent: "a1")
            .Run();
        var row = Assert.Single(KpiRows.Agents(engine));
        Assert.Equal(180, row.PauseSeconds); // 10:02 to 10:05; the second PAUSE does not restart it
        Assert.Equal(600, row.LoginSeconds);
    }

    [Fact]
    public void OpenSessionsCloseAtTheTimeGivenToFlush()
    {
        var scenario = new Scenario()
            .Add(AgentLoggedIn, "09:00:00", agent: "a2")
            .Add(AgentPaused, "09:10:00", agent: "a2", reason: "meeting");
        var engine = scenario.Run();
        engine.FlushOpenSessions(scenario.At("09:20:00"));
        var rows = KpiRows.Agents(engine);
        Assert.Equal([900.0, 300], rows.Select(r => r.LoginSeconds));
        Assert.Equal([300.0, 300], rows.Select(r => r.PauseSeconds));

        // Flushing again later adds only the new time: sessions stay open.
        engine.FlushOpenSessions(scenario.At("09:25:00"));
        Assert.Equal(600, KpiRows.Agents(engine)[1].LoginSeconds);
    }

    [Fact]
    public void ALogoutReadAfterSessionsWereAccountedToALaterTimeTakesThatTimeBack()
    {
        // a1 logs in at 09:00 and pauses at 09:10. The server's tick accounts open sessions up to its
        // clock, 10:00; the logout, dated 09:20, is read only then (a tail catching up after a
        // restart). Logged in 09:00–09:20 and paused 09:10–09:20, whatever was accounted before.
        var scenario = new Scenario()
            .Add(AgentLoggedIn, "09:00:00", agent: "a1")
            .Add(AgentPaused, "09:10:00", agent: "a1", reason: "meeting");
        var engine = scenario.Run();
        engine.FlushOpenSessions(scenario.At("10:00:00"));
        engine.Accept(new ContactEvent { Kind = AgentLoggedOut, UnixTimeMs = scenario.At("09:20:00"), CallId = "", Queue = "", Agent = "a1" });

        var rows = KpiRows.Agents(engine);
        Assert.Equal([900.0, 300, 0, 0], rows.Select(r => r.LoginSeconds));
        Assert.Equal([300.0, 300, 0, 0], rows.Select(r => r.PauseSeconds));
    }

    [Fact]
    public void OpenSessionsAreAccountedAsTheNewestEventPassesIntervalStarts()
    {
        // a1 logs in at 09:00 and pauses at 09:05; only other agents' events follow until 10:02.
        var scenario = new Scenario()
            .Add(AgentLoggedIn, "09:00:00", agent: "a1")
            .Add(AgentPaused, "09:05:00", agent: "a1", reason: "coaching")
            .Add(CallRinging, "09:16:00", agent: "a2");
        var engine = scenario.Run();
        Assert.Equal((900.0, 600.0), LoginAndPause(engine, "09:00:00"));

        // 10:02 skips the 09:30 and 09:45 intervals: they are accounted as well, 10:00 not yet.
        engine.Accept(new ContactEvent { Kind = CallRinging, UnixTimeMs = scenario.At("10:02:00"), CallId = "", Queue = "", Agent = "a2" });
        Assert.Equal((900.0, 900.0), LoginAndPause(engine, "09:15:00"));
        Assert.Equal((900.0, 900.0), LoginAndPause(engine, "09:45:00"));
        Assert.False(engine.Agents.TryGet(engine.AgentId("a1"), scenario.At("10:00:00"), out _));

        // The logout adds only the time since 10:00.
        engine.Accept(new ContactEvent { Kind = AgentLoggedOut, UnixTimeMs = scenario.At("10:05:00"), CallId = "", Queue = "", Agent = "a1" });
        Assert.Equal((300.0, 300.0), LoginAndPause(engine, "10:00:00"));
        Assert.Equal([900.0, 900, 900, 900, 300], KpiRows.Agents(engine).Where(r => r.Agent == "a1").Select(r => r.LoginSeconds));

        (double Login, double Pause) LoginAndPause(KpiEngine kpi, string intervalStart)
        {
            Assert.True(kpi.Agents.TryGet(kpi.AgentId("a1"), scenario.At(intervalStart), out var counters));
            return (counters.LoginMs / 1000.0, counters.PauseMs / 1000.0);
        }
    }

    [Fact]
    public void RingNoAnswerCountsPerLineAndAgentStatusFollowsTheCall()
    {
        var scenario = new Scenario()
            .Add(MemberAdded, "09:00:00", queue: "q", agent: "a1")
            .Queued("09:01:00", "c1")
            .Add(CallRinging, "09:01:01", "c1", "q", "a1")
            .Add(RingNoAnswer, "09:01:16", "c1", "q", "a1", ring: 15)
            .Add(CallRinging, "09:01:20", "c1", "q", "a1")
            .Add(RingNoAnswer, "09:01:35", "c1", "q", "a1", ring: 15)
            .Add(CallRinging, "09:01:40", "c1", "q", "a1")
            .Answered("09:01:42", "c1", "a1", wait: 42, ring: 2);
        var engine = scenario.Run();
        var row = Assert.Single(KpiRows.Agents(engine));
        Assert.Equal(2, row.RingNoAnswer);
        Assert.Equal(1, row.Answered);
        var live = engine.AgentLive(0);
        Assert.Equal(AgentStatus.OnCall, live.Status);
        Assert.Equal(scenario.At("09:01:42"), live.SinceMs);
    }

    /// <summary>
    /// Outbound attempts are reported when they end (JSON <c>time</c>, CDR <c>end</c>): a dialler logged
    /// in at 09:00 whose last attempt ended at 10:02 has been available since 10:02, not for an hour.
    /// A paused dialler stays paused since its pause.
    /// </summary>
    [Fact]
    public void ADiallerIsAvailableSinceItsLastAttemptEnded()
    {
        var scenario = new Scenario()
            .Add(AgentLoggedIn, "09:00:00", agent: "a1")
            .Add(OutboundAttempt, "10:00:00", "o1", agent: "a1", campaign: "sales", customer: "138001", result: OutboundResult.Connected, talk: 120, ring: 8)
            .Add(OutboundAttempt, "10:02:00", "o2", agent: "a1", campaign: "sales", customer: "138002", result: OutboundResult.NoAnswer)
            .Add(AgentLoggedIn, "09:00:00", agent: "a2")
            .Add(AgentPaused, "09:30:00", agent: "a2", reason: "break")
            .Add(OutboundAttempt, "10:01:00", "o3", agent: "a2", campaign: "sales", customer: "138003", result: OutboundResult.Busy);
        var engine = scenario.Run();

        var dialler = engine.AgentLive(engine.AgentId("a1"));
        Assert.Equal(AgentStatus.Available, dialler.Status);
        Assert.Equal(scenario.At("10:02:00"), dialler.SinceMs);
        var paused = engine.AgentLive(engine.AgentId("a2"));
        Assert.Equal(AgentStatus.Paused, paused.Status);
        Assert.Equal(scenario.At("09:30:00"), paused.SinceMs);
    }

    [Fact]
    public void PausedAgentShowsItsReason()
    {
        var engine = new Scenario()
            .Add(MemberAdded, "09:00:00", queue: "q", agent: "a1")
            .Add(AgentPaused, "09:05:00", agent: "a1", reason: "午餐")
            .Run();
        var live = engine.AgentLive(0);
        Assert.Equal(AgentStatus.Paused, live.Status);
        Assert.Equal("午餐", live.PauseReason);
    }

    [Theory]
    [InlineData(30, "30.08:59:59", true)] // within 30 days of the queue call
    [InlineData(30, "30.09:00:00", true)] // exactly 30 days
    [InlineData(30, "30.09:00:01", false)]
    [InlineData(45, "40.09:00:00", true)]
    public void RepeatContactsCountWithinTheWindow(double days, string callbackAt, bool repeat)
    {
        var engine = new Scenario()
            .Add(CallQueued, "09:00:00", "in1", "q", customer: "139002")
            .Add(CallAbandoned, "09:00:40", "in1", "q", wait: 40)
            .Add(Disposition, callbackAt, "b1", agent: "a2", campaign: "callback", customer: "139002", reason: "renewed", converted: true)
            .Run(new KpiOptions { RepeatContactDays = days, Interval = IntervalLength.Total });
        var callback = Assert.Single(KpiRows.Campaigns(engine));
        Assert.Equal(1, callback.Contacts);
        Assert.Equal(repeat ? 1 : 0, callback.RepeatContacts);
        Assert.Equal(repeat ? 1 : 0, callback.RepeatConversions);
    }

    [Fact]
    public void CampaignContactRenewsTheWindow()
    {
        // Contacted on day 0 and day 25 by the campaign: day 50 is 25 days after the last contact.
        var engine = new Scenario()
            .Add(Disposition, "09:00:00", "b1", agent: "a2", campaign: "callback", customer: "139001", reason: "think_about_it")
            .Add(Disposition, "25.09:00:00", "b2", agent: "a2", campaign: "callback", customer: "139001", reason: "think_about_it")
            .Add(Disposition, "50.09:00:00", "b3", agent: "a2", campaign: "callback", customer: "139001", reason: "renewed", converted: true)
            .Add(Disposition, "90.09:00:00", "b4", agent: "a2", campaign: "callback", customer: "139001", reason: "renewed", converted: true)
            .Run(new KpiOptions { Interval = IntervalLength.Total });
        var callback = Assert.Single(KpiRows.Campaigns(engine));
        Assert.Equal(4, callback.Contacts);
        Assert.Equal(2, callback.RepeatContacts); // b2 and b3; b4 comes 40 days after b3
        Assert.Equal(1, callback.RepeatConversions);
    }

    [Fact]
    public void OutboundAttemptsDispositionsAndCallbackRepeatContacts()
    {
        var engine = new Scenario()
            .Add(OutboundAttempt, "10:00:00", "o1", agent: "a1", campaign: "sales", customer: "138001", result: OutboundResult.Connected, talk: 120, ring: 8)
            .Add(Disposition, "10:00:30", "o1", agent: "a1", campaign: "sales", customer: "138001", reason: "sale", converted: true)
            .Add(OutboundAttempt, "10:01:00", "o2", agent: "a1", campaign: "sales", customer: "138002", result: OutboundResult.NoAnswer)
            .Add(OutboundAttempt, "10:02:00", "o3", agent: "a1", campaign: "sales", customer: "138003", result: OutboundResult.Busy)
            .Add(OutboundAttempt, "10:03:00", "o4", agent: "a1", campaign: "sales", customer: "138004", result: OutboundResult.Connected, talk: 60)
            .Add(Disposition, "10:03:10", "o4", agent: "a1", campaign: "sales", customer: "138004", reason: "not_interested", complaint: true)
            // Callback campaign: 139001 is reached twice and converts on the second contact;
            // 139002 called the queue earlier (and abandoned), so its callback is a repeat contact too.
            .Add(CallQueued, "09:00:00", "in1", "q", customer: "139002")
            .Add(CallAbandoned, "09:00:40", "in1", "q", wait: 40)
            .Add(Disposition, "10:05:00", "b1", agent: "a2", campaign: "callback", customer: "139001", reason: "think_about_it")
            .Add(Disposition, "10:10:00", "b2", agent: "a2", campaign: "callback", customer: "139001", reason: "renewed", converted: true)
            .Add(Disposition, "10:12:00", "b3", agent: "a2", campaign: "callback", customer: "139002", reason: "renewed", converted: true)
            .Run(new KpiOptions { AgentCallTarget = 4 });

        var campaigns = KpiRows.Campaigns(engine);
        var callback = campaigns.Single(c => c.Campaign == "callback");
        Assert.Equal(3, callback.Contacts);
        Assert.Equal(2, callback.Conversions);
        Assert.Equal(2, callback.RepeatContacts);
        Assert.Equal(2, callback.RepeatConversions);
        Assert.Equal(1.0, callback.RepeatConversionRate);

        var sales = campaigns.Single(c => c.Campaign == "sales");
        Assert.Equal(4, sales.Attempts);
        Assert.Equal(2, sales.Connected);
        Assert.Equal(0.5, sales.ConnectRate);
        Assert.Equal(2, sales.Contacts);
        Assert.Equal(0.5, sales.ConversionRate);
        Assert.Equal(180, sales.TalkSeconds);

        var a1 = KpiRows.Agents(engine).Single(a => a.Agent == "a1");
        Assert.Equal(4, a1.OutboundAttempts);
        Assert.Equal(2, a1.OutboundConnected);
        Assert.Equal(1, a1.Complaints);
        Assert.Equal(0.25, a1.CallTargetAttainment); // (0 handled + 2 connected − 1 complaint) / 4
    }

    [Fact]
    public void OccupancyIsBusyTimeOverAvailableTime()
    {
        var scenario = new Scenario()
            .Add(MemberAdded, "09:00:00", queue: "q", agent: "a1")
            .Queued("09:01:00", "c1").Answered("09:01:10", "c1", "a1", wait: 10).Completed("09:04:10", "c1", "a1", 10, 180)
            .Add(AgentPaused, "09:10:00", agent: "a1", reason: "break")
            .Add(AgentUnpaused, "09:13:00", agent: "a1");
        var engine = scenario.Run();
        engine.FlushOpenSessions(scenario.At("09:15:00"));
        var row = Assert.Single(KpiRows.Agents(engine));
        Assert.Equal(900, row.LoginSeconds);
        Assert.Equal(180, row.PauseSeconds);
        Assert.Equal(180.0 / 720, row.Occupancy!.Value, 12);
    }
}
