namespace Wallboard.Metrics.Staffing;

/// <summary>How the live core and the forecast count agents. Defaults in one place.</summary>
public sealed record StaffingPolicy
{
    /// <summary>Erlang A by default: it uses the callers' measured patience; Erlang C where none is known.</summary>
    public StaffingModel Model { get; init; } = StaffingModel.ErlangA;

    /// <summary>The window arrivals, AHT and patience are measured over.</summary>
    public TimeSpan Window { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>Service-level target of queues without their own entry in <see cref="Targets"/>.</summary>
    public double DefaultTarget { get; init; } = 0.8;

    /// <summary>Per-queue service-level targets (fractions).</summary>
    public IReadOnlyDictionary<string, double> Targets { get; init; } = new Dictionary<string, double>(StringComparer.Ordinal);

    /// <summary>
    /// Agents are also added until occupancy is at most this. Erlang A on a large queue of impatient
    /// callers meets a service level with fewer agents than the load (the surplus gives up): a cap
    /// below 1 keeps the count from recommending that.
    /// </summary>
    public double MaxOccupancy { get; init; } = 0.95;

    /// <summary>Fewer abandons than this in the window leave patience unknown, and the queue is counted with Erlang C.</summary>
    public int MinAbandonsForPatience { get; init; } = 5;

    /// <summary>Weeks of history (the same weekday) a forecast averages.</summary>
    public int ForecastWeeks { get; init; } = 6;

    /// <summary>Weight of each older week relative to the week after it (1 = all weeks alike).</summary>
    public double ForecastDecay { get; init; } = 0.8;

    /// <summary>
    /// Calls added to both sides of today's actual / forecast ratio before it scales the rest of the
    /// day, so the first few calls of a morning do not swing it (a credibility weight).
    /// </summary>
    public double IntradayPriorCalls { get; init; } = 30;

    public double TargetFor(string queue) => Targets.TryGetValue(queue, out var target) ? target : DefaultTarget;
}
