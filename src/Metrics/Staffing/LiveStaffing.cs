using Wallboard.Metrics.Counters;
using Wallboard.Metrics.Engine;
using Wallboard.Metrics.Live;

namespace Wallboard.Metrics.Staffing;

/// <summary>
/// Adds staffing to a live snapshot: per queue, the traffic over the staffing window and the agents
/// it needs; per agent with a rota today, adherence and conformance so far. Runs at the cadence,
/// on the thread that owns the engine, never per event.
/// </summary>
/// <remarks>
/// Adherence sums an agent's one-minute login and pause counters over each scheduled span: a
/// thousand agents on eight-hour shifts are half a million slot reads, so it is worked out once a
/// minute, not at every tick (it moves by a minute's worth at most).
/// </remarks>
public sealed class LiveStaffing(StaffingPolicy policy)
{
    private static readonly IReadOnlyDictionary<LiveWindow, AgentCounters> NoCounters =
        Enum.GetValues<LiveWindow>().ToDictionary(window => window, _ => default(AgentCounters));

    private readonly Dictionary<string, AgentAdherence> _adherence = new(StringComparer.Ordinal);
    private long _adherenceMinute = long.MinValue;
    private int _adherenceAgents = -1;
    private Rota? _adherenceRota;

    public StaffingPolicy Policy { get; } = policy ?? throw new ArgumentNullException(nameof(policy));

    /// <summary>The rota adherence is measured against; replaced when its file changes.</summary>
    public Rota Rota { get; set; } = Rota.Empty;

    /// <summary>Queues whose requirement could not be computed (more agents than the model considers), counted.</summary>
    public long OutOfRange { get; private set; }

    /// <summary>The snapshot with staffing added. Call on the thread that owns <paramref name="engine"/>.</summary>
    public LiveSnapshot Apply(KpiEngine engine, LiveSnapshot snapshot, LiveOptions liveOptions)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(snapshot);
        var nowMs = snapshot.AtMs;
        var currentMinute = engine.Calendar.StartOf(nowMs);
        var windowMinutes = Math.Max(1, (long)Math.Round(Policy.Window.TotalMinutes));
        var windowStart = currentMinute - ((windowMinutes - 1) * 60_000L);
        var windowSeconds = Math.Max(60, (nowMs - windowStart) / 1000.0);

        var queues = new List<LiveQueueFigures>(snapshot.Queues.Count);
        foreach (var figures in snapshot.Queues)
        {
            var counters = engine.SumQueue(engine.QueueId(figures.Queue), windowStart, nowMs + 1);
            var estimate = TrafficEstimate.From(counters, windowSeconds, figures.Waiting, Policy.MinAbandonsForPatience);
            var aht = estimate.AhtSeconds ?? TodayAht(figures);
            queues.Add(figures with { Staffing = Staffing(figures, estimate, aht, engine.Options.TargetsFor(figures.Queue).SlThresholdSeconds) });
        }

        var starts = LiveView.WindowStarts(engine.Calendar, nowMs, liveOptions);
        var agents = Rota.IsEmpty ? snapshot.Agents : WithAdherence(engine, snapshot, starts[(int)LiveWindow.Today], currentMinute);
        return snapshot with { Queues = queues, Agents = agents };
    }

    private LiveQueueStaffing Staffing(LiveQueueFigures figures, TrafficEstimate estimate, double? aht, double threshold)
    {
        var patience = estimate.PatienceSeconds is { } p && p <= QueueTraffic.MaxPatienceSeconds ? p : (double?)null;
        var model = Policy.Model == StaffingModel.ErlangA && patience is not null ? StaffingModel.ErlangA : StaffingModel.ErlangC;
        var target = Policy.TargetFor(figures.Queue);
        int? required = estimate.ArrivalsPerHour <= 0 ? 0 : null;
        double? predicted = null;
        if (aht is { } handling && handling > 0 && estimate.ArrivalsPerHour > 0)
        {
            var traffic = new QueueTraffic(estimate.ArrivalsPerHour, handling, patience, threshold);
            try
            {
                required = StaffingCalculator.AgentsRequired(model, traffic, target, Policy.MaxOccupancy).Agents;
            }
            catch (StaffingOutOfRangeException)
            {
                OutOfRange++;
            }

            if (figures.AgentsStaffed > 0)
            {
                predicted = StaffingCalculator.Evaluate(model, traffic, figures.AgentsStaffed).ServiceLevel;
            }
        }

        return new LiveQueueStaffing(model, estimate.ArrivalsPerHour, aht, patience, threshold, target, required, predicted);
    }

    private static double? TodayAht(LiveQueueFigures figures)
    {
        var today = figures.Windows[LiveWindow.Today];
        return today.Handled > 0 ? (today.TalkMs + today.HoldMs + today.WrapUpMs) / 1000.0 / today.Handled : null;
    }

    private List<LiveAgentFigures> WithAdherence(KpiEngine engine, LiveSnapshot snapshot, long midnightMs, long currentMinute)
    {
        // Again each minute, and at once when the rota is replaced or an agent appears.
        if (currentMinute != _adherenceMinute || snapshot.Agents.Count != _adherenceAgents || !ReferenceEquals(Rota, _adherenceRota))
        {
            _adherence.Clear();
            foreach (var agent in snapshot.Agents)
            {
                if (Adherence(engine, agent, midnightMs, snapshot.AtMs) is { } adherence)
                {
                    _adherence[agent.Agent] = adherence;
                }
            }

            _adherenceMinute = currentMinute;
            _adherenceAgents = snapshot.Agents.Count;
            _adherenceRota = Rota;
        }

        List<LiveAgentFigures> agents = [.. snapshot.Agents.Select(agent => _adherence.TryGetValue(agent.Agent, out var adherence) ? agent with { Adherence = adherence } : agent)];
        agents.AddRange(Absent(snapshot, midnightMs));
        return agents;
    }

    /// <summary>
    /// Rostered agents the engine has never seen: the least adherent of all (scheduled, never logged
    /// in), so they get a logged-out row rather than no row at all.
    /// </summary>
    private IEnumerable<LiveAgentFigures> Absent(LiveSnapshot snapshot, long midnightMs)
    {
        var seen = snapshot.Agents.Select(agent => agent.Agent).ToHashSet(StringComparer.Ordinal);
        foreach (var agent in Rota.Agents.Where(agent => !seen.Contains(agent)).Order(StringComparer.Ordinal))
        {
            long scheduled = 0;
            foreach (var (start, end) in Rota.Scheduled(agent, midnightMs, snapshot.AtMs))
            {
                scheduled += end - start;
            }

            if (scheduled > 0)
            {
                yield return new LiveAgentFigures(agent, AgentStatus.LoggedOut, 0, null, [], NoCounters)
                {
                    Adherence = new AgentAdherence(scheduled / 1000.0, 0, 0),
                };
            }
        }
    }

    private AgentAdherence? Adherence(KpiEngine engine, LiveAgentFigures agent, long midnightMs, long nowMs)
    {
        long scheduled = 0;
        long adhering = 0;
        var index = engine.AgentId(agent.Agent);
        foreach (var (start, end) in Rota.Scheduled(agent.Agent, midnightMs, nowMs))
        {
            scheduled += end - start;
            var counters = engine.SumAgent(index, start, end);
            adhering += Math.Max(0, counters.LoginMs - counters.PauseMs);
        }

        if (scheduled == 0)
        {
            return null;
        }

        var today = agent.Windows[LiveWindow.Today];
        return new AgentAdherence(scheduled / 1000.0, Math.Min(scheduled, adhering) / 1000.0, Math.Max(0, today.LoginMs - today.PauseMs) / 1000.0);
    }
}
