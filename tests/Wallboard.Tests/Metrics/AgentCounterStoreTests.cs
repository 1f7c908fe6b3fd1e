using Wallboard.Ingest.Model;
using Wallboard.Metrics;
using Wallboard.Metrics.Calendar;
using Wallboard.Metrics.Counters;
using Wallboard.Metrics.Engine;
using Wallboard.Tests.Durability;
using static Wallboard.Ingest.Model.ContactEventKind;

namespace Wallboard.Tests.Metrics;

/// <summary>
/// The agents' login and pause time, kept in rows of their own beside the slots of what happens
/// (<see cref="AgentCounterStore"/>): every reader still sees one set of counters per agent and minute.
/// </summary>
public sealed class AgentCounterStoreTests
{
    private const long Minute = 60_000;
    private static readonly KpiOptions OneMinute = new() { Interval = IntervalLength.OneMinute };

    [Fact]
    public void AnAgentLoggedInWithNoEventsGetsSixtySecondsInEachWholeMinuteAndThePartsAtTheEnds()
    {
        // Logged in 09:00:20, nothing until the logout at 09:12:15, with a tick of the live server at
        // 09:10:00 in between: 40 s in 09:00, 60 s in each of 09:01–09:11, 15 s in 09:12.
        var scenario = new Scenario().Add(AgentLoggedIn, "09:00:20", agent: "a1");
        var engine = scenario.Run(OneMinute);
        engine.FlushOpenSessions(scenario.At("09:10:00"));
        engine.Accept(Event(scenario, AgentLoggedOut, "09:12:15"));

        var a1 = engine.AgentId("a1");
        long[] expected = [40_000, .. Enumerable.Repeat(60_000L, 11), 15_000];
        Assert.Equal(expected, Enumerable.Range(0, 13).Select(m => LoginAt(engine, a1, scenario.At("09:00:00") + (m * Minute))));
        Assert.False(engine.Agents.TryGet(a1, scenario.At("09:13:00"), out _));
        Assert.False(engine.Agents.TryGet(a1, scenario.At("08:59:00"), out _));
        Assert.Equal(13, engine.Agents.Count);
        Assert.Equal(expected, engine.Agents.All().OrderBy(e => e.IntervalStart).Select(e => e.Value.LoginMs));
        Assert.Equal(715_000, engine.SumAgent(a1, scenario.At("09:00:00"), scenario.At("09:15:00")).LoginMs);
        Assert.Equal(180_000, engine.SumAgent(a1, scenario.At("09:09:30"), scenario.At("09:12:00")).LoginMs); // minutes 09:09, 09:10, 09:11
    }

    [Fact]
    public void TimeAndCallsOfOneMinuteReadAsOneSetOfCounters()
    {
        // In q from 09:00:00; paused 09:02:30–09:03:10; answers c1 at 09:03:42 after 12 s; the server ticks at 09:05:00.
        var scenario = new Scenario()
            .Add(MemberAdded, "09:00:00", queue: "q", agent: "a1")
            .Add(AgentPaused, "09:02:30", agent: "a1", reason: "break")
            .Add(AgentUnpaused, "09:03:10", agent: "a1")
            .Queued("09:03:30", "c1")
            .Answered("09:03:42", "c1", "a1", wait: 12);
        var engine = scenario.Run(OneMinute);
        engine.FlushOpenSessions(scenario.At("09:05:00"));

        var a1 = engine.AgentId("a1");
        Assert.True(engine.Agents.TryGet(a1, scenario.At("09:03:00"), out var minute3));
        Assert.Equal((60_000L, 10_000L, 1L), (minute3.LoginMs, minute3.PauseMs, minute3.Answered));
        Assert.True(engine.Agents.TryGet(a1, scenario.At("09:02:00"), out var minute2));
        Assert.Equal((60_000L, 30_000L, 0L), (minute2.LoginMs, minute2.PauseMs, minute2.Answered));

        // Five minutes, each once: the answer's slot and the time rows are one entry.
        Assert.Equal(5, engine.Agents.Count);
        var drained = engine.Agents.DrainChanged();
        Assert.Equal(
            [(0L, 60_000L, 0L, 0L), (1, 60_000, 0, 0), (2, 60_000, 30_000, 0), (3, 60_000, 10_000, 1), (4, 60_000, 0, 0)],
            drained.OrderBy(e => e.IntervalStart).Select(e => ((e.IntervalStart - scenario.At("09:00:00")) / Minute, e.Value.LoginMs, e.Value.PauseMs, e.Value.Answered)));
        Assert.Empty(engine.Agents.DrainChanged());

        // The completion at 09:06 changes the answer's slot (it drains with its minute's time beside
        // it), and accounts the session up to 09:06 (09:05's time alone): slots first, then time.
        engine.Accept(scenario.Completed("09:06:00", "c1", "a1", wait: 12, talk: 138).Events[^1]);
        Assert.Equal(
            [(scenario.At("09:03:00"), 1L, 60_000L, 10_000L), (scenario.At("09:05:00"), 0, 60_000, 0)],
            engine.Agents.DrainChanged().Select(e => (e.IntervalStart, e.Value.Handled, e.Value.LoginMs, e.Value.PauseMs)));

        // The next tick changes the time of the minute since 09:06 only.
        engine.FlushOpenSessions(scenario.At("09:06:30"));
        Assert.Equal([(scenario.At("09:06:00"), 30_000L)], engine.Agents.DrainChanged().Select(e => (e.IntervalStart, e.Value.LoginMs)));
    }

    [Fact]
    public void ForgottenMinutesGoFromBothPartsAndTimeTakenBackFromThemIsCountedTooLate()
    {
        // Logged in 09:00:00; answers at 09:01:30; the server ticks at 09:05:00, then forgets what is before 09:03.
        var scenario = new Scenario()
            .Add(AgentLoggedIn, "09:00:00", agent: "a1")
            .Queued("09:01:20", "c1")
            .Answered("09:01:30", "c1", "a1", wait: 10);
        var engine = scenario.Run(OneMinute);
        engine.FlushOpenSessions(scenario.At("09:05:00"));
        var a1 = engine.AgentId("a1");
        Assert.Equal(5, engine.Agents.Count);

        engine.ForgetIntervalsBefore(scenario.At("09:03:00"));
        Assert.Equal(2, engine.Agents.Count);
        Assert.False(engine.Agents.TryGet(a1, scenario.At("09:01:00"), out _));
        Assert.Equal([scenario.At("09:03:00"), scenario.At("09:04:00")], engine.Agents.All().Select(e => e.IntervalStart).Order());
        Assert.Equal(120_000, engine.SumAgent(a1, scenario.At("09:00:00"), scenario.At("09:06:00")).LoginMs);

        // A logout dated 09:02:00, read late, takes back 09:02–09:05: three minutes, one of them forgotten.
        engine.Accept(Event(scenario, AgentLoggedOut, "09:02:00"));
        Assert.Equal(1, engine.TooLate);
        Assert.Equal(0, LoginAt(engine, a1, scenario.At("09:03:00")));
        Assert.Equal(0, LoginAt(engine, a1, scenario.At("09:04:00")));

        // Minutes after the forgotten ones keep their place: a new minute still counts.
        engine.Accept(Event(scenario, AgentLoggedIn, "09:06:00"));
        engine.FlushOpenSessions(scenario.At("09:06:45"));
        Assert.Equal(45_000, LoginAt(engine, a1, scenario.At("09:06:00")));
    }

    [Fact]
    public void TimeRowsAndTheirChangedFlagsSurviveACheckpoint()
    {
        var scenario = new Scenario()
            .Add(MemberAdded, "09:00:20", queue: "q", agent: "a1")
            .Add(AgentLoggedIn, "09:01:00", agent: "a2")
            .Add(AgentPaused, "09:02:30", agent: "a2", reason: "break");
        var engine = scenario.Run(OneMinute);
        engine.FlushOpenSessions(scenario.At("09:03:00"));
        _ = engine.Agents.DrainChanged();
        engine.FlushOpenSessions(scenario.At("09:04:10")); // changes 09:03 and 09:04 only

        var restored = KpiEngineStateTests.RoundTrip(engine, OneMinute);

        Assert.Equal(engine.Agents.Count, restored.Agents.Count);
        Assert.Equal(engine.Agents.All().OrderBy(e => (e.IntervalStart, e.Entity)), restored.Agents.All().OrderBy(e => (e.IntervalStart, e.Entity)));
        var changed = restored.Agents.DrainChanged();
        Assert.Equal(engine.Agents.DrainChanged(), changed);
        Assert.Equal(
            [("a1", (9 * 60) + 3, 60_000L, 0L), ("a1", (9 * 60) + 4, 10_000, 0), ("a2", (9 * 60) + 3, 60_000, 60_000), ("a2", (9 * 60) + 4, 10_000, 10_000)],
            changed.Select(e => (restored.AgentNames[e.Entity], (int)((e.IntervalStart - scenario.At("00:00:00")) / Minute), e.Value.LoginMs, e.Value.PauseMs)).Order());

        // The restored engine goes on adding to the same rows.
        restored.Accept(Event(scenario, AgentLoggedOut, "09:04:40", agent: "a2"));
        Assert.True(restored.Agents.TryGet(restored.AgentId("a2"), scenario.At("09:04:00"), out var a2));
        Assert.Equal((40_000L, 40_000L), (a2.LoginMs, a2.PauseMs));
    }

    [Fact]
    public void TimeWrittenIntoASlotAddsToTheTimeRow()
    {
        // Seeded history and a version-1 checkpoint hold login time in the slot itself.
        var store = new AgentCounterStore();
        store.Seed(3, 0, new AgentCounters { LoginMs = 100, Answered = 2 });
        store.UpdateTime(3, 0).LoginMs += 50;
        store.UpdateTime(3, Minute).PauseMs += 7;
        Assert.True(store.TryGet(3, 0, out var value));
        Assert.Equal((150L, 2L), (value.LoginMs, value.Answered));
        Assert.Equal(2, store.Count);
        Assert.Equal([(0L, 150L, 0L), (Minute, 0L, 7L)], store.DrainChanged().Select(e => (e.IntervalStart, e.Value.LoginMs, e.Value.PauseMs)));

        // Forgetting 0 leaves the minute with time only; a slot made beside it is still one entry.
        store.RemoveBefore(Minute);
        Assert.Equal(1, store.Count);
        store.Update(3, Minute).Answered++;
        Assert.Equal(1, store.Count);
        Assert.Equal([(Minute, 1L, 7L)], store.All().Select(e => (e.IntervalStart, e.Value.Answered, e.Value.PauseMs)));
    }

    [Fact]
    public void AgentsBeyondTheFirstRowsWidthKeepTheirOwnTime()
    {
        var store = new AgentCounterStore();
        for (var agent = 0; agent < 300; agent += 7)
        {
            store.UpdateTime(agent, 0).LoginMs += agent;
            store.UpdateTime(agent, Minute).LoginMs += agent + 1_000;
        }

        store.UpdateTime(1_000, 0).PauseMs = 5; // the row of 0 widens after 09:01's was made
        Assert.True(store.TryGet(294, Minute, out var value));
        Assert.Equal(1_294, value.LoginMs);
        Assert.True(store.TryGet(1_000, 0, out value));
        Assert.Equal(5, value.PauseMs);
        Assert.False(store.TryGet(1_000, Minute, out _));
        Assert.False(store.TryGet(295, 0, out _));
        Assert.Equal((2 * 43) + 1, store.Count);
        Assert.Throws<ArgumentOutOfRangeException>(() => { _ = store.UpdateTime(-1, 0); });
    }

    private static long LoginAt(KpiEngine engine, int agent, long minute) =>
        engine.Agents.TryGet(agent, minute, out var counters) ? counters.LoginMs : throw new InvalidOperationException($"no counters at {minute}");

    private static ContactEvent Event(Scenario scenario, ContactEventKind kind, string time, string agent = "a1") =>
        new() { Kind = kind, UnixTimeMs = scenario.At(time), CallId = "", Queue = "", Agent = agent };
}
