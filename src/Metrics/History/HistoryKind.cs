namespace Wallboard.Metrics.History;

/// <summary>What a history point describes: a queue, an agent or a campaign.</summary>
public enum HistoryKind
{
    Queues,
    Agents,
    Campaigns,
}
