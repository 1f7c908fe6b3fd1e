using Wallboard.Metrics.Counters;
using Wallboard.Metrics.Engine;
using Wallboard.Metrics.Staffing;

namespace Wallboard.Metrics.Live;

/// <summary>Everything the floor sees at one instant; immutable, so readers never lock.</summary>
public sealed record LiveSnapshot(
    long AtMs,
    IReadOnlyList<LiveQueueFigures> Queues,
    IReadOnlyList<LiveAgentFigures> Agents,
    IReadOnlyList<LiveCampaignFigures> Campaigns)
{
    public static LiveSnapshot Empty { get; } = new(0, [], [], []);
}

/// <summary>
/// A queue now: calls waiting, the longest current wait and its counters over each window; its
/// display name and team from the directory (the name is the id when the directory has none).
/// </summary>
public sealed record LiveQueueFigures(
    string Queue,
    ServiceLevelFormula Formula,
    int Waiting,
    double? LongestWaitSeconds,
    IReadOnlyDictionary<LiveWindow, QueueCounters> Windows)
{
    /// <summary>Agents who serve the queue and are logged in and not paused (an agent of several queues counts in each).</summary>
    public int AgentsStaffed { get; init; }

    /// <summary>Of those, the ones idle and ready for a call.</summary>
    public int AgentsAvailable { get; init; }

    /// <summary>Agents needed now, and the traffic measured (docs/staffing.md); null until the staffing step ran.</summary>
    public LiveQueueStaffing? Staffing { get; init; }

    /// <summary>Agents staffed − agents required; null when the requirement is unknown.</summary>
    public int? StaffingGap => Staffing?.AgentsRequired is { } required ? AgentsStaffed - required : null;

    public string Name { get; init; } = Queue;

    public string? Team { get; init; }

    /// <summary>The arrival (Unix ms) of each call waiting now, in queue order: the first is at position 1. No caller is kept.</summary>
    public IReadOnlyList<long> WaitingArrivals { get; init; } = [];
}

/// <summary>
/// An agent now: its status, how long it has been in it, the queues it serves, the campaign it last
/// dialled and its counters over each window; its display name and team (docs/kpis.md, "Teams").
/// </summary>
public sealed record LiveAgentFigures(
    string Agent,
    AgentStatus Status,
    double SecondsInStatus,
    string? PauseReason,
    IReadOnlyList<string> Queues,
    IReadOnlyDictionary<LiveWindow, AgentCounters> Windows)
{
    /// <summary>Today's schedule adherence and conformance so far; null for an agent with no rota today.</summary>
    public AgentAdherence? Adherence { get; init; }

    public string Name { get; init; } = Agent;

    public string? Team { get; init; }

    public string? Campaign { get; init; }

    /// <summary>The queue of the call the agent is on or wrapping up; null otherwise.</summary>
    public string? CurrentQueue { get; init; }
}

/// <summary>A campaign's counters over each window, with its display name and team.</summary>
public sealed record LiveCampaignFigures(string Campaign, IReadOnlyDictionary<LiveWindow, CampaignCounters> Windows)
{
    public string Name { get; init; } = Campaign;

    public string? Team { get; init; }
}
