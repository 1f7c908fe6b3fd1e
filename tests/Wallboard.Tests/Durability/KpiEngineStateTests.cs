using Wallboard.Ingest.Model;
using Wallboard.Ingest.Simulation;
using Wallboard.Metrics;
using Wallboard.Metrics.Calendar;
using Wallboard.Metrics.Engine;
using Wallboard.Metrics.Persistence;
using Wallboard.Metrics.Rows;

namespace Wallboard.Tests.Durability;

/// <summary>An engine written to a checkpoint and read back into a new one carries on as if never stopped.</summary>
public sealed class KpiEngineStateTests
{
    /// <summary>Two simulated days of the default centre, with holds, wrap-ups, pauses, dispositions and callbacks.</summary>
    private static readonly ContactEvent[] Traffic = Simulate(new SimulationOptions
    {
        Seed = 11,
        Start = new DateTimeOffset(2026, 11, 23, 0, 0, 0, TimeSpan.FromHours(8)),
        Duration = TimeSpan.FromDays(2),
        TimeZone = "Asia/Shanghai",
    });

    [Theory]
    [InlineData("1m")]
    [InlineData("15m")]
    public void AnEngineRestoredAtSeveralCutsGivesTheRowsOfAnUninterruptedRun(string interval)
    {
        var options = new KpiOptions { TimeZone = "Asia/Shanghai", Interval = IntervalLength.Parse(interval) };
        var uninterrupted = new KpiEngine(options);
        foreach (var e in Traffic)
        {
            uninterrupted.Accept(e);
        }

        // Cut in the morning peak, at noon, in the evening and twice on the second day; each restored
        // engine is itself written and restored at the next cut, as a server restarted five times.
        int[] cuts = [Traffic.Length / 7, Traffic.Length / 4, Traffic.Length / 3, Traffic.Length * 3 / 5, Traffic.Length * 6 / 7];
        var engine = new KpiEngine(options);
        var next = 0;
        var restoredWithOpenCalls = 0;
        foreach (var cut in cuts)
        {
            for (; next < cut; next++)
            {
                engine.Accept(Traffic[next]);
            }

            restoredWithOpenCalls += engine.ActiveCalls > 0 ? 1 : 0;
            engine = RoundTrip(engine, options);
        }

        for (; next < Traffic.Length; next++)
        {
            engine.Accept(Traffic[next]);
        }

        Assert.Equal(cuts.Length, restoredWithOpenCalls);
        AssertSame(uninterrupted, engine);
    }

    [Fact]
    public void ChangedFlagsAndWaitingCallsSurviveACheckpoint()
    {
        // Hand-worked: c1 waits in sales from 09:00:00; c2 is answered by agent 1001 after 12 s, who then pauses (lunch).
        var options = new KpiOptions { TimeZone = "Asia/Shanghai", Interval = IntervalLength.FifteenMinutes };
        var nine = new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.FromHours(8)).ToUnixTimeMilliseconds();
        var engine = new KpiEngine(options);
        engine.Accept(new ContactEvent { Kind = ContactEventKind.MemberAdded, UnixTimeMs = nine - 60_000, CallId = "", Queue = "sales", Agent = "1001" });
        engine.Accept(new ContactEvent { Kind = ContactEventKind.CallQueued, UnixTimeMs = nine, CallId = "c1", Queue = "sales", Agent = "", Customer = "13800000001" });
        engine.Accept(new ContactEvent { Kind = ContactEventKind.CallQueued, UnixTimeMs = nine + 1_000, CallId = "c2", Queue = "sales", Agent = "" });
        engine.Accept(new ContactEvent { Kind = ContactEventKind.CallAnswered, UnixTimeMs = nine + 13_000, CallId = "c2", Queue = "sales", Agent = "1001", WaitMs = 12_000 });
        engine.Accept(new ContactEvent { Kind = ContactEventKind.AgentPaused, UnixTimeMs = nine + 14_000, CallId = "", Queue = "", Agent = "1001", Reason = "lunch" });

        var restored = RoundTrip(engine, options);

        Assert.Equal((1, (long?)nine), restored.WaitingIn(restored.QueueId("sales")));
        var agent = restored.AgentLive(restored.AgentId("1001"));
        Assert.Equal(("lunch", "sales"), (agent.PauseReason, string.Join(",", agent.Queues)));
        var changed = Assert.Single(restored.Queues.DrainChanged());
        Assert.Equal((1L, 1L, 12_000L), (changed.Value.Offered, changed.Value.Answered, changed.Value.AnsweredWaitMs));

        // c1 is answered after the restart: its wait is measured from the arrival kept in the checkpoint.
        restored.Accept(new ContactEvent { Kind = ContactEventKind.CallAnswered, UnixTimeMs = nine + 30_000, CallId = "c1", Queue = "sales", Agent = "1002" });
        Assert.True(restored.Queues.TryGet(restored.QueueId("sales"), nine, out var sales));
        Assert.Equal((2L, 2L, 42_000L), (sales.Offered, sales.Answered, sales.AnsweredWaitMs));
    }

    [Fact]
    public void AVersionOneCheckpointWithTheTimeInTheAgentsSlotsStillLoads()
    {
        // Written by KpiEngine.WriteState of 8fce916 (state version 1, login and pause time in the
        // agents' slots), one-minute engine in Asia/Shanghai, after: 1001 joins sales at 09:00:20,
        // pauses 09:02:30–09:03:10, c1 queues at 09:03:30 and 1001 answers it at 09:03:42 after 12 s.
        // That build held 40 s, 60 s, 60 s (30 s paused) and, at 09:03, 10 s paused and the answer.
        var options = new KpiOptions { TimeZone = "Asia/Shanghai", Interval = IntervalLength.OneMinute };
        var nine = new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.FromHours(8)).ToUnixTimeMilliseconds();
        using var file = File.OpenRead(Path.Combine(RepositoryPaths.RepositoryRoot, "tests", "Wallboard.Tests", "Durability", "Checkpoints", "engine-v1-one-minute.bin"));
        using var reader = new StateReader(file);
        var engine = new KpiEngine(options);
        engine.ReadState(reader);
        Assert.Equal(file.Length, file.Position);

        // Carried on to 09:05: the session goes on adding 60 s a minute, now in rows of its own.
        engine.FlushOpenSessions(nine + (5 * 60_000));
        var agent = engine.AgentId("1001");
        Assert.Equal(
            [(0L, 40_000L, 0L, 0L), (1, 60_000, 0, 0), (2, 60_000, 30_000, 0), (3, 60_000, 10_000, 1), (4, 60_000, 0, 0)],
            engine.Agents.DrainChanged().Select(e => ((e.IntervalStart - nine) / 60_000, e.Value.LoginMs, e.Value.PauseMs, e.Value.Answered)).Order());
        Assert.Equal(5, engine.Agents.Count);
        var sum = engine.SumAgent(agent, nine, nine + (5 * 60_000));
        Assert.Equal((280_000L, 40_000L, 1L), (sum.LoginMs, sum.PauseMs, sum.Answered));
        Assert.True(engine.Queues.TryGet(engine.QueueId("sales"), nine + (3 * 60_000), out var sales));
        Assert.Equal((1L, 12_000L), (sales.Answered, sales.AnsweredWaitMs));

        // Written again, it is a version-2 checkpoint that reads back the same.
        var again = RoundTrip(engine, options);
        Assert.Equal(KpiRows.Agents(engine), KpiRows.Agents(again));
    }

    [Fact]
    public void ACheckpointOfAnotherZoneIsRefused()
    {
        var shanghai = new KpiEngine(new KpiOptions { TimeZone = "Asia/Shanghai", Interval = IntervalLength.FifteenMinutes });
        using var stream = new MemoryStream();
        using (var writer = new StateWriter(stream))
        {
            shanghai.WriteState(writer);
        }

        stream.Position = 0;
        using var reader = new StateReader(stream);
        var london = new KpiEngine(new KpiOptions { TimeZone = "Europe/London", Interval = IntervalLength.FifteenMinutes });
        var error = Assert.Throws<InvalidDataException>(() => london.ReadState(reader));
        Assert.Contains("Asia/Shanghai", error.Message, StringComparison.Ordinal);
    }

    internal static KpiEngine RoundTrip(KpiEngine engine, KpiOptions options)
    {
        using var stream = new MemoryStream();
        using (var writer = new StateWriter(stream))
        {
            engine.WriteState(writer);
        }

        stream.Position = 0;
        var restored = new KpiEngine(options);
        using var reader = new StateReader(stream);
        restored.ReadState(reader);
        Assert.Equal(stream.Length, stream.Position);
        return restored;
    }

    internal static void AssertSame(KpiEngine expected, KpiEngine actual)
    {
        Assert.Equal(expected.WatermarkMs, actual.WatermarkMs);
        Assert.Equal(expected.ActiveCalls, actual.ActiveCalls);
        Assert.Equal(expected.Inconsistent, actual.Inconsistent);
        for (var queue = 0; queue < expected.QueueNames.Count; queue++)
        {
            Assert.Equal(expected.WaitingIn(queue), actual.WaitingIn(queue));
        }

        for (var agent = 0; agent < expected.AgentNames.Count; agent++)
        {
            var (e, a) = (expected.AgentLive(agent), actual.AgentLive(agent));
            Assert.Equal((e.Agent, e.Status, e.SinceMs, e.PauseReason), (a.Agent, a.Status, a.SinceMs, a.PauseReason));
            Assert.Equal(e.Queues, a.Queues);
        }

        Assert.Equal(expected.Queues.DrainChanged(), actual.Queues.DrainChanged());
        Assert.Equal(expected.Agents.DrainChanged(), actual.Agents.DrainChanged());
        Assert.Equal(expected.Campaigns.DrainChanged(), actual.Campaigns.DrainChanged());

        expected.FlushOpenSessions(expected.WatermarkMs);
        actual.FlushOpenSessions(actual.WatermarkMs);
        Assert.Equal(KpiRows.Queues(expected), KpiRows.Queues(actual));
        Assert.Equal(KpiRows.Agents(expected), KpiRows.Agents(actual));
        Assert.Equal(KpiRows.Campaigns(expected), KpiRows.Campaigns(actual));
        Assert.True(KpiRows.Queues(expected).Sum(row => row.Offered) > 1_000, "the traffic should offer thousands of calls");
    }

    internal static ContactEvent[] Simulate(SimulationOptions options)
    {
        var events = new List<ContactEvent>();
        new ContactCentreSimulator(options).Run(new ListSink(events));
        return [.. events];
    }

    private sealed class ListSink(List<ContactEvent> events) : IContactEventSink
    {
        public void Accept(in ContactEvent contactEvent) => events.Add(contactEvent);
    }
}
