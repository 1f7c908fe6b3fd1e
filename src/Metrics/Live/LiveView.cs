using NodaTime;
using Wallboard.Metrics.Calendar;
using Wallboard.Metrics.Counters;
using Wallboard.Metrics.Engine;
using Wallboard.Metrics.Names;

namespace Wallboard.Metrics.Live;

/// <summary>
/// Builds the live figures from an engine that counts in one-minute intervals: rolling windows
/// are sums of minutes, so every ratio over any window is exact.
/// </summary>
public static class LiveView
{
    private static readonly LiveWindow[] AllWindows = Enum.GetValues<LiveWindow>();

    /// <summary>The snapshot at <paramref name="nowMs"/>. Call on the thread that owns the engine.</summary>
    /// <remarks>Display names and teams; ids only when omitted.</remarks>
    public static LiveSnapshot Build(KpiEngine engine, long nowMs, LiveOptions options, NameDirectory? names = null)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(options);
        names ??= NameDirectory.Empty;
        if (engine.Calendar.Length != IntervalLength.OneMinute)
        {
            throw new ArgumentException("live windows need an engine that counts in 1-minute intervals", nameof(engine));
        }

        var starts = WindowStarts(engine.Calendar, nowMs, options);
        var end = nowMs + 1;

        // Staffed and available per queue, from the agents' state now: a queue's figures need its agents.
        var staffed = new int[engine.QueueNames.Count];
        var available = new int[engine.QueueNames.Count];
        var liveAgents = new AgentLiveState[engine.AgentNames.Count];
        for (var a = 0; a < liveAgents.Length; a++)
        {
            var live = liveAgents[a] = engine.AgentLive(a);
            if (live.Status is AgentStatus.LoggedOut or AgentStatus.Paused)
            {
                continue;
            }

            foreach (var queue in live.Queues)
            {
                var q = engine.QueueId(queue);
                staffed[q]++;
                available[q] += live.Status == AgentStatus.Available ? 1 : 0;
            }
        }

        var queues = new List<LiveQueueFigures>(engine.QueueNames.Count);
        for (var q = 0; q < engine.QueueNames.Count; q++)
        {
            var (waiting, oldest) = engine.WaitingIn(q);
            var windows = new Dictionary<LiveWindow, QueueCounters>(AllWindows.Length);
            foreach (var window in AllWindows)
            {
                windows[window] = engine.SumQueue(q, starts[(int)window], end);
            }

            var queue = engine.QueueNames[q];
            queues.Add(new LiveQueueFigures(
                queue,
                engine.FormulaOf(q),
                waiting,
                oldest is { } arrival ? Math.Max(0, nowMs - arrival) / 1000.0 : null,
                windows)
            {
                AgentsStaffed = staffed[q],
                AgentsAvailable = available[q],
                Name = names.QueueName(queue),
                Team = names.QueueTeam(queue),
                WaitingArrivals = engine.WaitingArrivals(q),
            });
        }

        var agents = new List<LiveAgentFigures>(engine.AgentNames.Count);
        for (var a = 0; a < engine.AgentNames.Count; a++)
        {
            var live = liveAgents[a];
            var windows = new Dictionary<LiveWindow, AgentCounters>(AllWindows.Length);
            foreach (var window in AllWindows)
            {
                windows[window] = engine.SumAgent(a, starts[(int)window], end);
            }

            agents.Add(new LiveAgentFigures(live.Agent, live.Status, Math.Max(0, nowMs - live.SinceMs) / 1000.0, live.PauseReason, live.Queues, windows)
            {
                Name = names.AgentName(live.Agent),
                Team = names.AgentTeam(live.Agent, live.Queues, live.Campaign),
                Campaign = live.Campaign,
                CurrentQueue = live.CurrentQueue,
            });
        }

        var campaigns = new List<LiveCampaignFigures>(engine.CampaignNames.Count);
        for (var c = 0; c < engine.CampaignNames.Count; c++)
        {
            var windows = new Dictionary<LiveWindow, CampaignCounters>(AllWindows.Length);
            foreach (var window in AllWindows)
            {
                windows[window] = engine.SumCampaign(c, starts[(int)window], end);
            }

            var campaign = engine.CampaignNames[c];
            campaigns.Add(new LiveCampaignFigures(campaign, windows)
            {
                Name = names.CampaignName(campaign),
                Team = names.CampaignTeam(campaign),
            });
        }

        return new LiveSnapshot(nowMs, queues, agents, campaigns);
    }

    /// <summary>The first instant of each window at <paramref name="nowMs"/>, indexed by <see cref="LiveWindow"/>.</summary>
    public static long[] WindowStarts(IntervalCalendar calendar, long nowMs, LiveOptions options)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        ArgumentNullException.ThrowIfNull(options);
        var currentMinute = calendar.StartOf(nowMs);
        var local = Instant.FromUnixTimeMilliseconds(nowMs).InZone(calendar.Zone);
        var midnight = calendar.Zone.AtStartOfDay(local.Date).ToInstant().ToUnixTimeMilliseconds();
        var starts = new long[AllWindows.Length];
        starts[(int)LiveWindow.Last15Minutes] = currentMinute - (14 * 60_000L);
        starts[(int)LiveWindow.Last30Minutes] = currentMinute - (29 * 60_000L);
        starts[(int)LiveWindow.Last60Minutes] = currentMinute - (59 * 60_000L);
        starts[(int)LiveWindow.Today] = midnight;
        starts[(int)LiveWindow.Shift] = ShiftStart(calendar.Zone, local, options.ShiftStarts);
        return starts;
    }

    private static long ShiftStart(DateTimeZone zone, ZonedDateTime now, IReadOnlyList<TimeOnly> shiftStarts)
    {
        // The latest shift start at or before now, looking back into yesterday for a night shift.
        var best = long.MinValue;
        foreach (var day in new[] { now.Date, now.Date.PlusDays(-1) })
        {
            foreach (var start in shiftStarts)
            {
                var local = day.At(new LocalTime(start.Hour, start.Minute, start.Second));
                var instant = zone.AtLeniently(local).ToInstant().ToUnixTimeMilliseconds();
                if (instant <= now.ToInstant().ToUnixTimeMilliseconds() && instant > best)
                {
                    best = instant;
                }
            }
        }

        return best == long.MinValue ? zone.AtStartOfDay(now.Date).ToInstant().ToUnixTimeMilliseconds() : best;
    }
}
