using Wallboard.Metrics.Counters;
using Wallboard.Metrics.Engine;

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

/// <summary>A queue now: calls waiting, the longest current wait and its counters over each window.</summary>
public sealed record LiveQueueFigures(
    string Queue,
    ServiceLevelFormula Formula,
    int Waiting,
    double? LongestWaitSeconds,
    IReadOnlyDictionary<LiveWindow, QueueCounters> Windows);

/// <summary>An agent now: its status, how long it has been in it, the queues it serves and its counters over each window.</summary>
public sealed record LiveAgentFigures(
    string Agent,
    AgentStatus Status,
    double SecondsInStatus,
    string? PauseReason,
    IReadOnlyList<string> Queues,
    IReadOnlyDictionary<LiveWindow, AgentCounters> Windows);

/// <summary>A campaign's counters over each window.</summary>
public sealed record LiveCampaignFigures(string Campaign, IReadOnlyDictionary<LiveWindow, CampaignCounters> Windows);
