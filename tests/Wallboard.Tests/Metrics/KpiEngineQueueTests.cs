using Wallboard.Ingest.Model;
using Wallboard.Metrics;
using Wallboard.Metrics.Calendar;
using Wallboard.Metrics.Rows;
using static Wallboard.Ingest.Model.ContactEventKind;

namespace Wallboard.Tests.Metrics;

public sealed class KpiEngineQueueTests
{
    /// <summary>
    /// Ten calls in queue q between 09:00 and 09:15 UTC (T = 20 s, short abandon 5 s, 3 rings of 5 s):
    /// c1 answered after exactly 20 s, ring 3 s, talk 120 s; c2 answered after 21 s, ring 16 s, talk 60 s;
    /// c3 abandoned after 4 s (short); c4 abandoned after exactly 5 s (not short, within SL);
    /// c5 abandoned after 30 s; c6 timed out after 60 s; c7 answered after 10 s with no ring time
    /// (old Asterisk), talk 30 s; c8 left by key after 8 s; c9 exited empty at once; c10 still waiting.
    /// </summary>
    private static Scenario TenCalls() => new Scenario()
        .Queued("09:00:00", "c1").Answered("09:00:20", "c1", "a1", wait: 20, ring: 3).Completed("09:02:20", "c1", "a1", 20, 120)
        .Queued("09:01:00", "c2").Answered("09:01:21", "c2", "a2", wait: 21, ring: 16).Completed("09:02:21", "c2", "a2", 21, 60)
        .Queued("09:02:00", "c3").Outcome(CallAbandoned, "09:02:04", "c3", wait: 4)
        .Queued("09:03:00", "c4").Outcome(CallAbandoned, "09:03:05", "c4", wait: 5)
        .Queued("09:04:00", "c5").Outcome(CallAbandoned, "09:04:30", "c5", wait: 30)
        .Queued("09:05:00", "c6").Outcome(CallTimedOut, "09:06:00", "c6", wait: 60)
        .Queued("09:06:00", "c7").Answered("09:06:10", "c7", "a1", wait: 10).Completed("09:06:40", "c7", "a1", 10, 30)
        .Queued("09:07:00", "c8").Outcome(CallExitedWithKey, "09:07:08", "c8", wait: 8)
        .Queued("09:08:00", "c9").Outcome(CallExitedEmpty, "09:08:00", "c9", wait: 0)
        .Queued("09:14:00", "c10");

    [Fact]
    public void TenHandWorkedCallsGiveTheHandWorkedFigures()
    {
        var row = Assert.Single(KpiRows.Queues(TenCalls().Run()));

        Assert.Equal("q", row.Queue);
        Assert.Equal(new DateTimeOffset(2026, 11, 27, 9, 0, 0, TimeSpan.Zero), row.IntervalStart);
        Assert.Equal(9, row.Offered); // c10 is waiting, not offered
        Assert.Equal(3, row.Answered);
        Assert.Equal(3, row.Abandoned);
        Assert.Equal(1, row.ShortAbandoned);
        Assert.Equal(1, row.TimedOut);
        Assert.Equal(1, row.ExitedKey);
        Assert.Equal(1, row.ExitedEmpty);
        Assert.Equal(2, row.AnsweredWithinSl); // c1 (exactly 20 s) and c7
        Assert.Equal(0.25, row.ServiceLevel); // 2 / (9 − 1)
        Assert.Equal(1, row.AnsweredWithinRings); // c1; c2 rang 16 s > 15 s; c7 unknown
        Assert.Equal(0.5, row.RingRate); // 1 / 2 known
        Assert.Equal(17, row.AsaSeconds); // (20 + 21 + 10) / 3
        Assert.Equal(3, row.Handled);
        Assert.Equal(210, row.TalkSeconds);
        Assert.Equal(70, row.AhtSeconds);
        Assert.Equal(0.25, row.AbandonRate); // (3 − 1) / 8
        Assert.Equal(17.5, row.AvgAbandonSeconds); // (5 + 30) / 2
        Assert.Equal(60, row.MaxWaitSeconds);
    }

    [Theory]
    [InlineData(ServiceLevelFormula.Offered, 2.0 / 8)]
    [InlineData(ServiceLevelFormula.Answered, 2.0 / 3)]
    [InlineData(ServiceLevelFormula.AbandonsIgnored, 2.0 / 7)] // 8 net less c4, abandoned within T
    [InlineData(ServiceLevelFormula.AbandonsPositive, 3.0 / 8)]
    public void EachServiceLevelFormulaGivesItsHandWorkedValue(ServiceLevelFormula formula, double expected)
    {
        var options = new KpiOptions { DefaultQueue = new QueueTargets { SlFormula = formula } };
        var row = Assert.Single(KpiRows.Queues(TenCalls().Run(options)));
        Assert.Equal(expected, row.ServiceLevel!.Value, 12);
    }

    [Fact]
    public void PerQueueThresholdOverridesTheDefault()
    {
        var options = new KpiOptions
        {
            Queues = new Dictionary<string, QueueTargets> { ["q"] = new() { SlThresholdSeconds = 10 } },
        };
        var row = Assert.Single(KpiRows.Queues(TenCalls().Run(options)));
        Assert.Equal(1, row.AnsweredWithinSl); // only c7 (10 s) is within 10 s
    }

    [Fact]
    public void WaitingCallIsLiveButNotOffered()
    {
        var scenario = TenCalls();
        var engine = scenario.Run();
        var (waiting, oldest) = engine.WaitingIn(0);
        Assert.Equal(1, waiting);
        Assert.Equal(scenario.At("09:14:00"), oldest);
    }

    [Theory]
    [InlineData(5, 15.0, true)] // China: 3 × 5 s; exactly 15 s is within
    [InlineData(5, 15.5, false)]
    [InlineData(6, 18.0, true)] // North America: 3 × 6 s
    [InlineData(3, 9.5, false)] // UK: 3 × 3 s
    public void RingRateUsesTheConfiguredCadence(double ringSeconds, double ring, bool within)
    {
        var engine = new Scenario().Answered("09:00:10", "c1", "a1", wait: 10, ring: ring).Run(new KpiOptions { RingSeconds = ringSeconds });
        var row = Assert.Single(KpiRows.Queues(engine));
        Assert.Equal(within ? 1 : 0, row.AnsweredWithinRings);
        Assert.Equal(within ? 1.0 : 0.0, row.RingRate);
    }

    [Fact]
    public void RatiosAreNullWhenTheirDenominatorIsZero()
    {
        var engine = new Scenario().Outcome(CallAbandoned, "09:00:02", "c1", wait: 2).Run();
        var row = Assert.Single(KpiRows.Queues(engine));
        Assert.Equal(1, row.ShortAbandoned);
        Assert.Null(row.ServiceLevel); // net = 1 − 1 = 0
        Assert.Null(row.AbandonRate);
        Assert.Null(row.AsaSeconds);
        Assert.Null(row.RingRate);
        Assert.Null(row.AhtSeconds);
        Assert.Null(row.AvgAbandonSeconds);
    }

    [Fact]
    public void CallCrossingAnIntervalBoundaryCountsInItsArrivalIntervalForTheQueueAndTheAnswerIntervalForTheAgent()
    {
        var engine = new Scenario()
            .Queued("09:14:50", "c1").Answered("09:15:10", "c1", "a1", wait: 20).Completed("09:16:10", "c1", "a1", 20, 60)
            .Run();

        var queueRow = Assert.Single(KpiRows.Queues(engine));
        Assert.Equal(9, queueRow.IntervalStart!.Value.Hour);
        Assert.Equal(0, queueRow.IntervalStart.Value.Minute);
        Assert.Equal(1, queueRow.Handled);

        var agentRow = Assert.Single(KpiRows.Agents(engine));
        Assert.Equal(15, agentRow.IntervalStart!.Value.Minute);
        Assert.Equal(1, agentRow.Answered);
        Assert.Equal(60, agentRow.TalkSeconds);
    }

    [Fact]
    public void CallCrossingMidnightCountsOnTheDayItArrived()
    {
        var engine = new Scenario()
            .Queued("23:59:50", "c1").Answered("1.00:00:30", "c1", "a1", wait: 40).Completed("1.00:01:30", "c1", "a1", 40, 60)
            .Run(new KpiOptions { Interval = IntervalLength.Day });
        var row = Assert.Single(KpiRows.Queues(engine));
        Assert.Equal(new DateTimeOffset(2026, 11, 27, 0, 0, 0, TimeSpan.Zero), row.IntervalStart);
        Assert.Equal(new DateTimeOffset(2026, 11, 28, 0, 0, 0, TimeSpan.Zero), Assert.Single(KpiRows.Agents(engine)).IntervalStart);
    }

    [Fact]
    public void WithoutEnterQueueTheArrivalIsTheOutcomeTimeMinusTheWait()
    {
        var engine = new Scenario().Outcome(CallAbandoned, "09:15:03", "c1", wait: 10).Run();
        var row = Assert.Single(KpiRows.Queues(engine));
        Assert.Equal(0, row.IntervalStart!.Value.Minute); // arrived 09:14:53
        Assert.Equal(1, row.Abandoned);
        Assert.Equal(10, row.AvgAbandonSeconds);
    }

    [Fact]
    public void CompletionWithoutConnectImpliesTheAnswer()
    {
        // The log starts mid-call: COMPLETECALLER at 09:20:00 with wait 15 s and talk 300 s.
        var engine = new Scenario().Completed("09:20:00", "c1", "a1", wait: 15, talk: 300).Run();
        var row = Assert.Single(KpiRows.Queues(engine));
        Assert.Equal(0, row.IntervalStart!.Value.Minute); // answered 09:15:00, arrived 09:14:45
        Assert.Equal(1, row.Answered);
        Assert.Equal(1, row.Handled);
        Assert.Equal(15, row.AsaSeconds);
        Assert.Null(row.RingRate);
    }

    [Fact]
    public void OnlyTheFirstOutcomeCounts()
    {
        var engine = new Scenario()
            .Queued("09:00:00", "c1").Answered("09:00:10", "c1", "a1", wait: 10)
            .Outcome(CallAbandoned, "09:00:11", "c1", wait: 11)
            .Run();
        var row = Assert.Single(KpiRows.Queues(engine));
        Assert.Equal(1, row.Offered);
        Assert.Equal(1, row.Answered);
        Assert.Equal(0, row.Abandoned);
    }

    [Fact]
    public void SameCallIdInTwoQueuesIsTwoQueueCalls()
    {
        var engine = new Scenario()
            .Queued("09:00:00", "c1", "sales").Outcome(CallTimedOut, "09:01:00", "c1", wait: 60, queue: "sales")
            .Queued("09:01:00", "c1", "support").Answered("09:01:05", "c1", "a1", wait: 5, queue: "support")
            .Run();
        var rows = KpiRows.Queues(engine);
        Assert.Equal(["sales", "support"], rows.Select(r => r.Queue));
        Assert.Equal(1, rows[0].TimedOut);
        Assert.Equal(1, rows[1].Answered);
    }

    [Fact]
    public void CallOfTheSameIdInAnotherQueueIsFoundAfterTheFirstIsForgotten()
    {
        // The sales call ends at 09:01 and is forgotten two hours later (11:01); the support call of
        // the same id talks until 11:30. Its completion must find it, not imply a second answer.
        var engine = new Scenario()
            .Queued("09:00:00", "c1", "sales").Outcome(CallTimedOut, "09:01:00", "c1", wait: 60, queue: "sales")
            .Queued("09:01:00", "c1", "support").Answered("09:01:05", "c1", "a1", wait: 5, queue: "support")
            .Queued("11:02:00", "c2", "support")
            .Add(CallCompleted, "11:30:05", "c1", "support", "a1", wait: 5, talk: 8940)
            .Add(WrapUpEnded, "11:30:25", "c1", "", "a1", wrapUp: 20)
            .Run(new KpiOptions { Interval = IntervalLength.Total });
        var support = KpiRows.Queues(engine).Single(r => r.Queue == "support");
        Assert.Equal(1, support.Offered);
        Assert.Equal(1, support.Handled);
        Assert.Equal(8940, support.TalkSeconds);
        Assert.Equal(8960, support.AhtSeconds); // the wrap-up without a queue went to the latest call of c1
        Assert.Equal(0, engine.Inconsistent);
        Assert.Equal(2, engine.ActiveCalls); // the support call (finished, kept two hours) and c2 waiting
    }

    [Theory]
    [InlineData("09:22:05", 180)] // 20 minutes after the call: still its wrap-up
    [InlineData("09:42:05", 120)] // 40 minutes after: the call is forgotten; the agent's time only
    public void WrapUpFindsItsCallForHalfAnHour(string wrapUpEnd, double queueAht)
    {
        var engine = new Scenario()
            .Queued("09:00:00", "c1").Answered("09:00:05", "c1", "a1", wait: 5).Completed("09:02:05", "c1", "a1", wait: 5, talk: 120)
            .Add(WrapUpEnded, wrapUpEnd, "c1", "q", "a1", wrapUp: 60)
            .Run(new KpiOptions { Interval = IntervalLength.Total });
        Assert.Equal(queueAht, Assert.Single(KpiRows.Queues(engine)).AhtSeconds); // (120 talk + 60 wrap-up) / 1 when found
        Assert.Equal(60, Assert.Single(KpiRows.Agents(engine)).WrapUpSeconds);
    }

    [Fact]
    public void WaitingCallsLeaveTheQueueInAnyOrder()
    {
        var scenario = new Scenario()
            .Queued("09:00:00", "c1").Queued("09:00:10", "c2").Queued("09:00:20", "c3").Queued("09:00:30", "c4")
            .Outcome(CallAbandoned, "09:00:40", "c2", wait: 30) // from the middle
            .Answered("09:00:50", "c1", "a1", wait: 50); // the oldest
        var engine = scenario.Run();
        Assert.Equal((2, scenario.At("09:00:20")), engine.WaitingIn(0));

        engine.Accept(new ContactEvent { Kind = CallTimedOut, UnixTimeMs = scenario.At("09:01:30"), CallId = "c4", Queue = "q", WaitMs = 60_000 }); // the newest
        Assert.Equal((1, scenario.At("09:00:20")), engine.WaitingIn(0));
        engine.Accept(new ContactEvent { Kind = CallExitedWithKey, UnixTimeMs = scenario.At("09:01:40"), CallId = "c3", Queue = "q", WaitMs = 80_000 });
        Assert.Equal((0, (long?)null), engine.WaitingIn(0));

        engine.Accept(new ContactEvent { Kind = CallQueued, UnixTimeMs = scenario.At("09:02:00"), CallId = "c5", Queue = "q" });
        Assert.Equal((1, scenario.At("09:02:00")), engine.WaitingIn(0));
    }

    [Fact]
    public void TransfersCountAsHandledWithTheirTalk()
    {
        var engine = new Scenario()
            .Queued("09:00:00", "c1").Answered("09:00:05", "c1", "a1", wait: 5)
            .Add(CallTransferred, "09:01:05", "c1", "q", "a1", wait: 5, talk: 60)
            .Run();
        var row = Assert.Single(KpiRows.Queues(engine));
        Assert.Equal(1, row.Handled);
        Assert.Equal(60, row.TalkSeconds);
    }

    [Fact]
    public void HoldAndWrapUpAreInAverageHandleTime()
    {
        var engine = new Scenario()
            .Queued("09:00:00", "c1").Answered("09:00:05", "c1", "a1", wait: 5)
            .Add(CallHeld, "09:00:30", "c1", "q", "a1")
            .Add(CallResumed, "09:00:40", "c1", "q", "a1")
            .Completed("09:02:05", "c1", "a1", wait: 5, talk: 100)
            .Add(WrapUpEnded, "09:02:25", "c1", "", "a1", wrapUp: 20)
            .Run();
        var row = Assert.Single(KpiRows.Queues(engine));
        Assert.Equal(130, row.AhtSeconds); // (100 talk + 10 hold + 20 wrap-up) / 1
        var agent = Assert.Single(KpiRows.Agents(engine));
        Assert.Equal(130, agent.AhtSeconds);
        Assert.Equal(10, agent.HoldSeconds);
        Assert.Equal(20, agent.WrapUpSeconds);
    }

    [Fact]
    public void LateEventReEmitsItsOwnInterval()
    {
        var scenario = new Scenario()
            .Queued("09:00:00", "c1").Answered("09:00:05", "c1", "a1", wait: 5)
            .Queued("09:20:00", "c2").Answered("09:20:05", "c2", "a1", wait: 5);
        var engine = scenario.Run();
        Assert.Equal(2, engine.Queues.DrainChanged().Count);

        engine.Accept(new ContactEvent { Kind = CallAbandoned, UnixTimeMs = scenario.At("09:05:30"), CallId = "late", Queue = "q", WaitMs = 30_000 });

        var changed = Assert.Single(engine.Queues.DrainChanged());
        Assert.Equal(scenario.At("09:00:00"), changed.IntervalStart);
        Assert.Equal(2, changed.Value.Offered);
        Assert.Empty(engine.Queues.DrainChanged());
    }

    [Fact]
    public void OfferedEqualsTheSumOfOutcomesAndIntervalsSumToTheTotal()
    {
        var scenario = TenCalls()
            .Queued("09:20:00", "d1").Answered("09:20:30", "d1", "a2", wait: 30, ring: 12).Completed("09:25:00", "d1", "a2", 30, 270)
            .Queued("10:01:00", "d2").Outcome(CallAbandoned, "10:01:40", "d2", wait: 40);
        var byInterval = KpiRows.Queues(scenario.Run());
        var total = Assert.Single(KpiRows.Queues(scenario.Run(new KpiOptions { Interval = IntervalLength.Total })));

        Assert.Equal(3, byInterval.Count);
        Assert.Null(total.IntervalStart);
        QueueInvariants.AssertOfferedIsTheSumOfOutcomes(byInterval.Append(total));

        Assert.Equal(total.Offered, byInterval.Sum(r => r.Offered));
        Assert.Equal(total.Answered, byInterval.Sum(r => r.Answered));
        Assert.Equal(total.AnsweredWithinSl, byInterval.Sum(r => r.AnsweredWithinSl));
        Assert.Equal(total.TalkSeconds, byInterval.Sum(r => r.TalkSeconds));
        Assert.Equal(total.MaxWaitSeconds, byInterval.Max(r => r.MaxWaitSeconds));
        Assert.Equal(2.0 / 10, total.ServiceLevel); // c1 and c7 of 11 offered less 1 short abandon (d1 waited 30 s)
    }
}
