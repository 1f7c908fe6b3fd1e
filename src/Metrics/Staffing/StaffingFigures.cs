namespace Wallboard.Metrics.Staffing;

/// <summary>What a number of agents achieves on a queue's traffic, as the model predicts it.</summary>
/// <param name="Agents">Agents (N).</param>
/// <param name="ServiceLevel">Fraction of all arrivals answered within the threshold.</param>
/// <param name="ProbabilityOfWait">Fraction of arrivals who find every agent busy.</param>
/// <param name="AbandonRate">Fraction of arrivals who give up waiting (0 in Erlang C).</param>
/// <param name="Occupancy">Fraction of the agents' time spent handling calls.</param>
/// <param name="AsaSeconds">Average wait of the answered calls; null when the queue grows without bound (Erlang C with N ≤ λ × AHT).</param>
public readonly record struct StaffingFigures(
    int Agents,
    double ServiceLevel,
    double ProbabilityOfWait,
    double AbandonRate,
    double Occupancy,
    double? AsaSeconds)
{
    /// <summary>The figures of a queue with no traffic: nobody waits, nobody is needed.</summary>
    public static StaffingFigures Idle(int agents) => new(agents, 1, 0, 0, 0, 0);
}
