namespace Wallboard.Metrics.Staffing;

/// <summary>A queue's staffing now: the traffic measured over the window and the agents it needs.</summary>
/// <param name="Model">The model used: Erlang A when patience is known, else Erlang C.</param>
/// <param name="ArrivalsPerHour">Arrivals over the window, per hour (short abandons excluded, calls waiting now included).</param>
/// <param name="AhtSeconds">AHT over the window; the day's when nothing was handled in the window; null when none at all.</param>
/// <param name="PatienceSeconds">Mean patience over the window; null when too few callers abandoned.</param>
/// <param name="SlThresholdSeconds">The queue's service-level threshold.</param>
/// <param name="SlTarget">The queue's service-level target.</param>
/// <param name="AgentsRequired">Agents the traffic needs; null when AHT is unknown.</param>
/// <param name="PredictedServiceLevel">What the agents staffed now would achieve on this traffic; null when unknown or none staffed.</param>
public sealed record LiveQueueStaffing(
    StaffingModel Model,
    double ArrivalsPerHour,
    double? AhtSeconds,
    double? PatienceSeconds,
    double SlThresholdSeconds,
    double SlTarget,
    int? AgentsRequired,
    double? PredictedServiceLevel);
