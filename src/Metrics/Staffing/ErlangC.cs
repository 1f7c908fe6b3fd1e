namespace Wallboard.Metrics.Staffing;

/// <summary>
/// Erlang C (M/M/N): Poisson arrivals, exponential handling times, N agents, callers who wait as
/// long as it takes. Computed through the Erlang B recursion, which never forms a factorial or a
/// power and is stable for any number of agents.
/// </summary>
/// <remarks>
/// B(0) = 1, B(n) = a·B(n−1) / (n + a·B(n−1)) with a = λ × AHT; C = N·B / (N − a·(1 − B)) is the
/// probability of waiting; SL(T) = 1 − C·e^{−(N − a)·T / AHT}; ASA = C·AHT / (N − a).
/// </remarks>
internal static class ErlangC
{
    /// <summary>The Erlang B blocking probability of <paramref name="agents"/> agents offered <paramref name="erlangs"/>.</summary>
    public static double ErlangB(int agents, double erlangs)
    {
        var b = 1.0;
        for (var n = 1; n <= agents; n++)
        {
            b = erlangs * b / (n + (erlangs * b));
        }

        return b;
    }

    public static StaffingFigures Evaluate(in QueueTraffic traffic, int agents) =>
        Evaluate(traffic, agents, ErlangB(agents, traffic.Erlangs));

    /// <summary>The figures of <paramref name="agents"/> agents given their Erlang B value (so a search can step it).</summary>
    public static StaffingFigures Evaluate(in QueueTraffic traffic, int agents, double erlangB)
    {
        var a = traffic.Erlangs;
        if (a <= 0)
        {
            return StaffingFigures.Idle(agents);
        }

        if (agents <= a)
        {
            // No steady state: the queue grows for as long as the traffic lasts.
            return new StaffingFigures(agents, 0, 1, 0, 1, null);
        }

        var c = Math.Min(1, agents * erlangB / (agents - (a * (1 - erlangB))));
        var serviceLevel = 1 - (c * Math.Exp(-(agents - a) * traffic.SlThresholdSeconds / traffic.AhtSeconds));
        return new StaffingFigures(agents, Math.Clamp(serviceLevel, 0, 1), c, 0, a / agents, c * traffic.AhtSeconds / (agents - a));
    }

    /// <summary>The fewest agents, more than λ × AHT, whose service level reaches <paramref name="target"/> and occupancy stays within <paramref name="maxOccupancy"/>.</summary>
    public static StaffingFigures AgentsRequired(in QueueTraffic traffic, double target, double maxOccupancy, int maxAgents)
    {
        var a = traffic.Erlangs;
        if (a <= 0)
        {
            return StaffingFigures.Idle(0);
        }

        var b = 1.0;
        for (var n = 1; n <= maxAgents; n++)
        {
            b = a * b / (n + (a * b));
            if (n <= a || a / n > maxOccupancy)
            {
                continue;
            }

            var figures = Evaluate(traffic, n, b);
            if (figures.ServiceLevel >= target)
            {
                return figures;
            }
        }

        throw new StaffingOutOfRangeException(maxAgents);
    }
}

/// <summary>The target needs more agents than the model is asked to consider.</summary>
public sealed class StaffingOutOfRangeException(int maxAgents)
    : InvalidOperationException($"the target needs more than {maxAgents:N0} agents")
{
    public int MaxAgents { get; } = maxAgents;
}
