using Wallboard.Ingest.Model;
using Wallboard.Metrics;
using Wallboard.Metrics.Engine;
using static Wallboard.Ingest.Model.ContactEventKind;

namespace Wallboard.Tests.Metrics;

/// <summary>
/// Open sessions over a long silence (UTC, 15-minute intervals): one event decades ahead must not
/// make the engine fill every logged-in agent's intervals up to it.
/// </summary>
public sealed class KpiEngineSilenceTests
{
    // 2023-11-14 22:15:00Z, the start of an interval.
    private const long T = 1_699_999_200_000 + 900_000;
    private const long Minute = 60_000;
    private const long Day = 86_400_000;

    private static ContactEvent Agent(ContactEventKind kind, long t, string agent) =>
        new() { Kind = kind, UnixTimeMs = t, CallId = "", Queue = "sales", Agent = agent };

    [Fact]
    public void OneEventThirtyYearsAheadAddsNoIntervalsOverTheSilenceAndTheSessionsStayOpen()
    {
        // Three agents logged in at T; a pause by a1 at T + 10 min; then a1's UNPAUSE dated 30 years
        // (10,958 days) ahead, and a2 logs off 5 minutes after it. The silence is longer than
        // MaxSilenceDays (31): before it, each agent is accounted to the end of T's interval (15 min, a1's
        // pause 5 of them); after it, from the start of the far event's interval.
        var engine = new KpiEngine(new KpiOptions());
        var far = T + (10_958 * Day) + (3 * Minute);
        foreach (var agent in new[] { "a1", "a2", "a3" })
        {
            engine.Accept(Agent(AgentLoggedIn, T, agent));
        }

        engine.Accept(Agent(AgentPaused, T + (10 * Minute), "a1"));
        engine.Accept(Agent(AgentUnpaused, far, "a1"));
        engine.Accept(Agent(AgentLoggedOut, far + (5 * Minute), "a2"));
        engine.FlushOpenSessions(engine.WatermarkMs);

        // Three agents, two intervals each: T's and the far one's. Without the bound: 3 × 1,052,000.
        Assert.Equal(6, engine.Agents.Count);
        Assert.Equal(4, engine.SpansNotAccounted); // the logins of a1, a2, a3 and a1's pause
        var farStart = T + (10_958 * Day);
        var a1 = engine.AgentId("a1");
        var a2 = engine.AgentId("a2");
        Assert.True(engine.Agents.TryGet(a1, T, out var a1First));
        Assert.Equal((15 * Minute, 5 * Minute), (a1First.LoginMs, a1First.PauseMs));
        Assert.True(engine.Agents.TryGet(a1, farStart, out var a1Far));
        Assert.Equal((8 * Minute, 3 * Minute), (a1Far.LoginMs, a1Far.PauseMs)); // to the log's end at far + 5 min
        Assert.True(engine.Agents.TryGet(a2, farStart, out var a2Far));
        Assert.Equal(8 * Minute, a2Far.LoginMs);
        Assert.Equal(AgentStatus.Available, engine.AgentLive(a1).Status);
    }

    [Fact]
    public void ASilenceWithinTheLimitIsAccountedIntervalByInterval()
    {
        // A centre closed for ten days with a static member logged in: every one of its 960 intervals
        // is login time, as before the bound (and the bound is a setting: 9 days refuses it).
        var engine = new KpiEngine(new KpiOptions());
        engine.Accept(Agent(AgentLoggedIn, T, "a1"));
        engine.Accept(Agent(AgentLoggedOut, T + (10 * Day), "a1"));

        Assert.Equal(960, engine.Agents.Count);
        Assert.Equal(0, engine.SpansNotAccounted);
        Assert.Equal(10 * Day, engine.Agents.All().Sum(slot => slot.Value.LoginMs));

        var bounded = new KpiEngine(new KpiOptions { Limits = new EntityLimits { MaxSilenceDays = 9 } });
        bounded.Accept(Agent(AgentLoggedIn, T, "a1"));
        bounded.Accept(Agent(AgentLoggedOut, T + (10 * Day), "a1"));

        Assert.Equal(1, bounded.SpansNotAccounted);
        Assert.Equal(15 * Minute, bounded.Agents.All().Sum(slot => slot.Value.LoginMs));
    }
}
