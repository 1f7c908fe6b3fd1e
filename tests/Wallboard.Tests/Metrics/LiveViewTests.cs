using Wallboard.Metrics;
using Wallboard.Metrics.Calendar;
using Wallboard.Metrics.Engine;
using Wallboard.Metrics.Live;
using static Wallboard.Ingest.Model.ContactEventKind;

namespace Wallboard.Tests.Metrics;

public sealed class LiveViewTests
{
    private static readonly KpiOptions Live = new() { Interval = IntervalLength.OneMinute, TimeZone = "Asia/Shanghai" };

    // Times are UTC; Shanghai is UTC+8, so 01:00Z is 09:00 local and 16:00Z the previous day is local midnight.
    private static Scenario Morning() => new Scenario()
        .Add(MemberAdded, "00:30:00", queue: "q", agent: "a1")
        .Queued("00:05:00", "early").Answered("00:05:10", "early", "a1", wait: 10).Completed("00:06:10", "early", "a1", 10, 60) // 08:05 local: today, this shift
        .Queued("01:00:00", "c1").Answered("01:00:30", "c1", "a1", wait: 30).Completed("01:02:30", "c1", "a1", 30, 120) // 09:00 local: last 60 min only
        .Queued("01:25:00", "c2").Outcome(CallAbandoned, "01:25:40", "c2", wait: 40) // 09:25 local: last 15 min
        .Queued("01:36:00", "c3").Answered("01:36:05", "c3", "a1", wait: 5)          // 09:36 local
        .Queued("01:37:00", "c4");                                                    // waiting

    [Fact]
    public void RollingWindowsSumTheMinutesTheyCover()
    {
        var scenario = Morning();
        var engine = scenario.Run(Live);
        var snapshot = LiveView.Build(engine, scenario.At("01:37:30"), new LiveOptions());

        var q = Assert.Single(snapshot.Queues);
        Assert.Equal(1, q.Waiting);
        Assert.Equal(30, q.LongestWaitSeconds);
        Assert.Equal(2, q.Windows[LiveWindow.Last15Minutes].Offered);   // c2 and c3 (09:23–09:37)
        Assert.Equal(2, q.Windows[LiveWindow.Last30Minutes].Offered);
        Assert.Equal(3, q.Windows[LiveWindow.Last60Minutes].Offered);   // c1 at 09:00 is within 08:38–09:37
        Assert.Equal(4, q.Windows[LiveWindow.Today].Offered);
        Assert.Equal(4, q.Windows[LiveWindow.Shift].Offered);           // shift began at 08:00
        Assert.Equal(1, q.Windows[LiveWindow.Last15Minutes].AnsweredWithinSl);

        var agent = Assert.Single(snapshot.Agents);
        Assert.Equal(AgentStatus.OnCall, agent.Status);
        Assert.Equal(85, agent.SecondsInStatus); // 09:36:05 to 09:37:30
        Assert.Equal(3, agent.Windows[LiveWindow.Today].Answered);
    }

    [Fact]
    public void ShiftWindowStartsAtTheLatestShiftStartEvenFromYesterday()
    {
        var calendar = new IntervalCalendar(IntervalCalendar.ResolveZone("Asia/Shanghai"), IntervalLength.OneMinute);
        var scenario = new Scenario();
        // 02:00 local on the 27th (18:00Z on the 26th): the night shift began at 20:00 local on the 26th (12:00Z).
        var starts = LiveView.WindowStarts(calendar, scenario.At("-06:00:00"), new LiveOptions());
        Assert.Equal(scenario.At("-12:00:00"), starts[(int)LiveWindow.Shift]);
        Assert.Equal(scenario.At("-08:00:00"), starts[(int)LiveWindow.Today]);
    }

    [Fact]
    public void LiveViewNeedsAOneMinuteEngine()
    {
        var engine = new Scenario().Run(new KpiOptions());
        Assert.Throws<ArgumentException>(() => LiveView.Build(engine, 0, new LiveOptions()));
    }
}
