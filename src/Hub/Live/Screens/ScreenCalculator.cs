using System.Globalization;
using Wallboard.Hub.Live.Dashboards;
using Wallboard.Hub.Staffing;
using Wallboard.Metrics;
using Wallboard.Metrics.Counters;
using Wallboard.Metrics.Engine;
using Wallboard.Metrics.Live;
using Wallboard.Metrics.Names;
using Wallboard.Metrics.Rows;

namespace Wallboard.Hub.Live.Screens;

/// <summary>The live figures of one tick, indexed once and shared by every dashboard.</summary>
internal sealed class ScreenContext
{
    public ScreenContext(LiveSnapshot snapshot, ServiceLevelFormula defaultFormula, IReadOnlyDictionary<int, IReadOnlyList<ForecastRow>>? forecast = null, NameDirectory? names = null)
    {
        Snapshot = snapshot;
        Names = names ?? NameDirectory.Empty;
        Forecast = forecast ?? new Dictionary<int, IReadOnlyList<ForecastRow>>();
        DefaultFormula = defaultFormula;
        Queues = snapshot.Queues.ToDictionary(queue => queue.Queue, StringComparer.Ordinal);
        Campaigns = snapshot.Campaigns.ToDictionary(campaign => campaign.Campaign, StringComparer.Ordinal);
    }

    public LiveSnapshot Snapshot { get; }

    /// <summary>The directory, for the display names the snapshot does not carry (teams).</summary>
    public NameDirectory Names { get; }

    public ServiceLevelFormula DefaultFormula { get; }

    /// <summary>Forecast rows by step minutes, for the "next hours" strips.</summary>
    public IReadOnlyDictionary<int, IReadOnlyList<ForecastRow>> Forecast { get; }

    public Dictionary<string, LiveQueueFigures> Queues { get; }

    public Dictionary<string, LiveCampaignFigures> Campaigns { get; }
}

/// <summary>What one dashboard shows at one tick.</summary>
internal sealed record ScreenFrame(
    Dashboard Dashboard,
    IReadOnlyList<TileValue> Tiles,
    IReadOnlyList<QueueRow> Queues,
    IReadOnlyList<AgentRow> Agents,
    BroadcastMessage? Broadcast)
{
    public IReadOnlyList<NextHoursCell> NextHours { get; init; } = [];

    public IReadOnlyList<WaitingCall> Waiting { get; init; } = [];
}

/// <summary>
/// Computes a dashboard's tiles, queue rows and agent rows from a snapshot. Figures of several
/// queues (or campaigns) are summed as counters first and the ratio is computed from the sums.
/// </summary>
internal static class ScreenCalculator
{
    /// <summary>The window of the agents' "handled" figure.</summary>
    private const LiveWindow AgentWindow = LiveWindow.Today;

    /// <param name="dashboard">The layout.</param>
    /// <param name="context">This tick's figures.</param>
    /// <param name="history">The dashboard's tile history, which this call records into; null for a one-off frame (trends flat).</param>
    /// <param name="broadcast">The supervisor's message for this dashboard, if any.</param>
    public static ScreenFrame Compute(Dashboard dashboard, ScreenContext context, TileHistory? history, BroadcastMessage? broadcast)
    {
        var tiles = new TileValue[dashboard.Tiles.Count];
        for (var i = 0; i < tiles.Length; i++)
        {
            var tile = dashboard.Tiles[i];
            var value = Round(TileValueOf(dashboard, tile, context));
            var trend = history?.Record(TileHistory.KeyOf(dashboard, tile), context.Snapshot.AtMs, value, tile.Format) ?? "flat";
            tiles[i] = new TileValue(tile.Id, value, KpiValues.Display(value, tile.Format), KpiValues.State(value, tile.Thresholds), trend, tile.Target);
        }

        return new ScreenFrame(dashboard, tiles, QueueRows(dashboard, context), AgentRows(dashboard, context), broadcast)
        {
            NextHours = NextHoursCells(dashboard, context),
            Waiting = WaitingCalls(dashboard, context),
        };
    }

    /// <summary>A tile's value: the KPI over the tile's window, queues or campaigns.</summary>
    public static double? TileValueOf(Dashboard dashboard, Tile tile, ScreenContext context) =>
        Value(tile.Kpi, tile.Window, ExpandQueues(dashboard, tile.Queues), tile.Campaigns ?? dashboard.Campaigns, context);

    public static double? Value(string kpi, string window, IReadOnlyCollection<string> queues, IReadOnlyList<string> campaigns, ScreenContext context)
    {
        switch (KpiCatalog.Kpis[kpi])
        {
            case KpiSource.QueueCounters:
            {
                var range = KpiCatalog.Windows[window];
                var sum = default(QueueCounters);
                ServiceLevelFormula? formula = null;
                foreach (var queue in queues)
                {
                    if (context.Queues.TryGetValue(queue, out var figures))
                    {
                        sum.Add(figures.Windows[range]);
                        formula = formula is null || formula == figures.Formula ? figures.Formula : context.DefaultFormula;
                    }
                }

                return KpiValues.Queue(kpi, QueueKpiRow.From(string.Empty, null, sum, formula ?? context.DefaultFormula));
            }

            case KpiSource.QueueLive:
            {
                var waiting = 0;
                var longest = 0.0;
                foreach (var queue in queues)
                {
                    if (context.Queues.TryGetValue(queue, out var figures))
                    {
                        waiting += figures.Waiting;
                        longest = Math.Max(longest, figures.LongestWaitSeconds ?? 0);
                    }
                }

                return kpi == "calls_waiting" ? waiting : longest;
            }

            case KpiSource.AgentLive:
            {
                var count = 0;
                foreach (var agent in context.Snapshot.Agents)
                {
                    if (ServesAny(agent, queues) && kpi switch
                    {
                        "agents_logged_in" => agent.Status != AgentStatus.LoggedOut,
                        "agents_available" => agent.Status == AgentStatus.Available,
                        "agents_on_call" => agent.Status is AgentStatus.OnCall or AgentStatus.Ringing,
                        _ => agent.Status == AgentStatus.Paused,
                    })
                    {
                        count++;
                    }
                }

                return count;
            }

            case KpiSource.Staffing:
                return StaffingValue(kpi, queues, context);

            default:
            {
                var range = KpiCatalog.Windows[window];
                var sum = default(CampaignCounters);
                foreach (var campaign in campaigns)
                {
                    if (context.Campaigns.TryGetValue(campaign, out var figures))
                    {
                        sum.Add(figures.Windows[range]);
                    }
                }

                return kpi == "calls_per_agent_hour" ? CallsPerAgentHour(sum, range, context) : KpiValues.Campaign(kpi, CampaignKpiRow.From(string.Empty, null, sum));
            }
        }
    }

    /// <summary>
    /// Agents over several queues: the required are summed (each queue's traffic as if its agents
    /// served it alone: no pooling is assumed), the staffed are counted once however many of the
    /// queues they serve (docs/staffing.md). Unknown when any queue's requirement is.
    /// </summary>
    private static double? StaffingValue(string kpi, IReadOnlyCollection<string> queues, ScreenContext context)
    {
        var staffed = 0;
        foreach (var agent in context.Snapshot.Agents)
        {
            if (agent.Status is not (AgentStatus.LoggedOut or AgentStatus.Paused) && ServesAny(agent, queues))
            {
                staffed++;
            }
        }

        if (kpi == "agents_staffed")
        {
            return staffed;
        }

        var required = 0;
        foreach (var queue in queues)
        {
            if (context.Queues.TryGetValue(queue, out var figures))
            {
                if (figures.Staffing?.AgentsRequired is not { } needed)
                {
                    return null;
                }

                required += needed;
            }
        }

        return kpi == "agents_required" ? required : staffed - required;
    }

    /// <summary>
    /// Connected calls of the campaigns over the login hours of the agents who dialled in the window
    /// (agents are not tied to one campaign, so every dialling agent's hours count).
    /// </summary>
    private static double? CallsPerAgentHour(in CampaignCounters campaigns, LiveWindow range, ScreenContext context)
    {
        long loginMs = 0;
        foreach (var agent in context.Snapshot.Agents)
        {
            var counters = agent.Windows[range];
            if (counters.OutboundAttempts > 0)
            {
                loginMs += counters.LoginMs;
            }
        }

        return loginMs <= 0 ? null : campaigns.Connected / (loginMs / 3_600_000.0);
    }

    private static List<QueueRow> QueueRows(Dashboard dashboard, ScreenContext context)
    {
        if (dashboard.QueueTable is not { } table)
        {
            return [];
        }

        var rows = new List<QueueRow>(dashboard.Queues.Count);
        foreach (var queue in dashboard.Queues)
        {
            var values = new Dictionary<string, double?>(StringComparer.Ordinal);
            var states = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var kpi in table.Kpis)
            {
                var window = KpiCatalog.IsLive(KpiCatalog.Kpis[kpi]) ? KpiCatalog.LiveWindowName : table.Window;
                var value = Round(Value(kpi, window, [queue], [], context));
                values[kpi] = value;
                states[kpi] = KpiValues.State(value, table.Thresholds.GetValueOrDefault(kpi));
            }

            rows.Add(new QueueRow(queue, values, states) { Name = context.Queues.TryGetValue(queue, out var figures) ? figures.Name : queue });
        }

        return rows;
    }

    private static List<AgentRow> AgentRows(Dashboard dashboard, ScreenContext context)
    {
        if (dashboard.AgentBoard is not { } board)
        {
            return [];
        }

        var rows = new List<AgentRow>();
        foreach (var agent in context.Snapshot.Agents)
        {
            var status = StatusName(agent.Status);
            if (!board.States.Contains(status, StringComparer.Ordinal))
            {
                continue;
            }

            // The snapshot carries the team the directory gives (docs/kpis.md, "Teams"): the agent's own,
            // else the team of the campaign it dials, else of its queues.
            var team = agent.Team;
            var shown = board.Teams.Count > 0
                ? team is not null && board.Teams.Contains(team, StringComparer.Ordinal)
                : ServesAny(agent, dashboard.Queues);
            if (!shown)
            {
                continue;
            }

            var sinceMs = context.Snapshot.AtMs - (long)Math.Round(agent.SecondsInStatus * 1000);
            var today = agent.Windows[AgentWindow];
            rows.Add(new AgentRow(
                agent.Agent,
                agent.Name,
                team,
                status,
                Iso(sinceMs),
                agent.Status == AgentStatus.Paused ? agent.PauseReason : null,
                today.Handled)
            {
                Adherence = agent.Adherence?.Adherence is { } adherence ? Math.Round(adherence, 3) : null,
                Queue = agent.CurrentQueue is { } queue ? context.Names.QueueName(queue) : null,
                TeamName = team is null ? null : context.Names.TeamName(team),
                Attempts = today.OutboundAttempts,
                Connected = today.OutboundConnected,
                Conversions = today.Conversions,
            });
        }

        return rows;
    }

    /// <summary>
    /// The calls waiting in the board's queues, longest wait first (a tie in queue order), at most
    /// the list's <c>max</c>; each with its position in its own queue.
    /// </summary>
    private static List<WaitingCall> WaitingCalls(Dashboard dashboard, ScreenContext context)
    {
        if (dashboard.WaitingList is not { } list)
        {
            return [];
        }

        var calls = new List<(long ArrivalMs, WaitingCall Call)>();
        foreach (var queue in dashboard.Queues)
        {
            if (context.Queues.TryGetValue(queue, out var figures))
            {
                for (var i = 0; i < figures.WaitingArrivals.Count; i++)
                {
                    var arrival = figures.WaitingArrivals[i];
                    calls.Add((arrival, new WaitingCall(queue, figures.Name, i + 1, Iso(arrival))));
                }
            }
        }

        return [.. calls.OrderBy(call => call.ArrivalMs).ThenBy(call => call.Call.Position).Take(list.Max).Select(call => call.Call)];
    }

    /// <summary>
    /// The strip: from the step under way, the board's queues summed per step (agents required
    /// summed too: no pooling), beside the agents on the rota.
    /// </summary>
    private static List<NextHoursCell> NextHoursCells(Dashboard dashboard, ScreenContext context)
    {
        if (dashboard.NextHours is not { } strip || !context.Forecast.TryGetValue(strip.StepMinutes, out var rows))
        {
            return [];
        }

        var now = DateTimeOffset.FromUnixTimeMilliseconds(context.Snapshot.AtMs);
        var until = now.AddHours(strip.Hours);
        var cells = new List<NextHoursCell>();
        foreach (var step in rows
            .Where(row => row.IntervalStart.AddMinutes(strip.StepMinutes) > now && row.IntervalStart < until)
            .GroupBy(row => row.IntervalStart)
            .OrderBy(group => group.Key))
        {
            var queues = step.Where(row => dashboard.Queues.Contains(row.Queue, StringComparer.Ordinal)).ToList();
            var required = queues.Count > 0 && queues.All(row => row.AgentsRequired is not null) ? queues.Sum(row => row.AgentsRequired!.Value) : (int?)null;
            var scheduled = step.FirstOrDefault(row => row.Queue == ForecastService.Total)?.AgentsScheduled;
            var state = required is { } r && scheduled is { } s ? (s + 1e-9 >= r ? "green" : "red") : "none";
            cells.Add(new NextHoursCell(step.Key.ToString("HH:mm", CultureInfo.InvariantCulture), Math.Round(queues.Sum(row => row.Offered), 1), required, scheduled, state));
        }

        return cells;
    }

    /// <summary>The queues a tile covers: its queues and groups expanded, or all the board's queues.</summary>
    public static IReadOnlyCollection<string> ExpandQueues(Dashboard dashboard, IReadOnlyList<string>? names)
    {
        if (names is null)
        {
            return dashboard.Queues;
        }

        var queues = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in names)
        {
            if (dashboard.Groups.TryGetValue(name, out var members))
            {
                queues.UnionWith(members);
            }
            else
            {
                queues.Add(name);
            }
        }

        return queues;
    }

    /// <summary>
    /// Whether an agent is a member of any of the queues. A loop, not <c>Queues.Any(queues.Contains)</c>:
    /// that made a delegate per agent and KPI, most of a screen's allocations at each tick
    /// (210 agents on the inbound floor: 206 KB a tick with it, 71 KB without; ScreenBenchmarks).
    /// </summary>
    private static bool ServesAny(LiveAgentFigures agent, IReadOnlyCollection<string> queues)
    {
        for (var i = 0; i < agent.Queues.Count; i++)
        {
            // A list of a board's queues (or one queue) is scanned; a tile's set of queues is asked.
            if (queues is IReadOnlyList<string> list ? IndexOf(list, agent.Queues[i]) >= 0 : queues.Contains(agent.Queues[i]))
            {
                return true;
            }
        }

        return false;
    }

    private static int IndexOf(IReadOnlyList<string> list, string value)
    {
        for (var i = 0; i < list.Count; i++)
        {
            if (string.Equals(list[i], value, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    public static string StatusName(AgentStatus status) => status switch
    {
        AgentStatus.Available => "available",
        AgentStatus.Ringing => "ringing",
        AgentStatus.OnCall => "on_call",
        AgentStatus.WrapUp => "wrap_up",
        AgentStatus.Paused => "paused",
        _ => "logged_out",
    };

    public static string Iso(long unixMs) =>
        DateTimeOffset.FromUnixTimeMilliseconds(unixMs).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>Six significant decimals are plenty for a screen and keep float noise from looking like a change.</summary>
    private static double? Round(double? value) => value is { } v ? Math.Round(v, 6) : null;
}
