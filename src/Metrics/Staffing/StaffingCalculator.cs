namespace Wallboard.Metrics.Staffing;

/// <summary>
/// Agents needed and service predicted for a queue's traffic, by Erlang C or Erlang A
/// (docs/staffing.md). Allocation-free: the live core runs it for every queue at every cadence.
/// </summary>
public static class StaffingCalculator
{
    /// <summary>The most agents a search considers; far beyond any single queue.</summary>
    public const int DefaultMaxAgents = 100_000;

    /// <summary>What <paramref name="agents"/> agents achieve.</summary>
    /// <exception cref="ArgumentException">The traffic is invalid for the model (see <see cref="QueueTraffic.Problem"/>), or agents is below 1.</exception>
    public static StaffingFigures Evaluate(StaffingModel model, in QueueTraffic traffic, int agents)
    {
        Check(model, traffic);
        ArgumentOutOfRangeException.ThrowIfLessThan(agents, 1);
        return model == StaffingModel.ErlangA ? ErlangA.Evaluate(traffic, agents) : ErlangC.Evaluate(traffic, agents);
    }

    /// <summary>
    /// The fewest agents whose service level (fraction of all arrivals answered within the
    /// threshold) reaches <paramref name="target"/> with occupancy at most
    /// <paramref name="maxOccupancy"/>, and what they achieve. Erlang C also needs more agents than
    /// the offered load (λ × AHT). No traffic needs no agents.
    /// </summary>
    /// <exception cref="ArgumentException">Invalid traffic, a target outside [0, 1) or an occupancy outside (0, 1].</exception>
    /// <exception cref="StaffingOutOfRangeException">More than <paramref name="maxAgents"/> agents would be needed.</exception>
    public static StaffingFigures AgentsRequired(StaffingModel model, in QueueTraffic traffic, double target, double maxOccupancy = 1, int maxAgents = DefaultMaxAgents)
    {
        Check(model, traffic);
        if (TargetProblem(target) is { } targetProblem)
        {
            throw new ArgumentException(targetProblem, nameof(target));
        }

        if (OccupancyProblem(maxOccupancy) is { } occupancyProblem)
        {
            throw new ArgumentException(occupancyProblem, nameof(maxOccupancy));
        }

        return model == StaffingModel.ErlangA
            ? ErlangA.AgentsRequired(traffic, target, maxOccupancy, maxAgents)
            : ErlangC.AgentsRequired(traffic, target, maxOccupancy, maxAgents);
    }

    /// <summary>What is wrong with a service-level target, or null.</summary>
    /// <remarks>1 is out: every model leaves some arrivals waiting longer than any threshold.</remarks>
    public static string? TargetProblem(double target) =>
        target is >= 0 and < 1 ? null : $"sl-target must be a fraction from 0 up to (not including) 1, got {target}";

    /// <summary>What is wrong with a maximum occupancy, or null.</summary>
    public static string? OccupancyProblem(double maxOccupancy) =>
        maxOccupancy is > 0 and <= 1 ? null : $"max-occupancy must be a fraction above 0 and at most 1, got {maxOccupancy}";

    private static void Check(StaffingModel model, in QueueTraffic traffic)
    {
        if (traffic.Problem(model) is { } problem)
        {
            throw new ArgumentException(problem, nameof(traffic));
        }
    }
}
