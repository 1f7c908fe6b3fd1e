using Wallboard.Metrics.Counters;

namespace Wallboard.Metrics.History;

/// <summary>
/// The additive counters of one queue, agent or campaign in one stored 15-minute interval.
/// <see cref="Values"/> holds the counters in the order of <see cref="HistorySchema.Fields"/> of
/// <see cref="Kind"/>, so both stores read and write every kind with one loop.
/// </summary>
/// <param name="Kind">Which counters <see cref="Values"/> holds.</param>
/// <param name="Id">The queue, agent or campaign name.</param>
/// <param name="IntervalStartMs">Start of the 15-minute interval, Unix milliseconds.</param>
/// <param name="Values">One value per field of the kind's schema.</param>
public readonly record struct HistoryPoint(HistoryKind Kind, string Id, long IntervalStartMs, long[] Values)
{
    /// <summary>The length every stored interval has.</summary>
    public const long IntervalMs = 15 * 60_000L;

    public static HistoryPoint Queue(string id, long intervalStartMs, in QueueCounters counters) =>
        new(HistoryKind.Queues, id, intervalStartMs, HistorySchema.ToValues(counters));

    public static HistoryPoint Agent(string id, long intervalStartMs, in AgentCounters counters) =>
        new(HistoryKind.Agents, id, intervalStartMs, HistorySchema.ToValues(counters));

    public static HistoryPoint Campaign(string id, long intervalStartMs, in CampaignCounters counters) =>
        new(HistoryKind.Campaigns, id, intervalStartMs, HistorySchema.ToValues(counters));

    public QueueCounters QueueCounters => HistorySchema.ToQueueCounters(Values);

    public AgentCounters AgentCounters => HistorySchema.ToAgentCounters(Values);

    public CampaignCounters CampaignCounters => HistorySchema.ToCampaignCounters(Values);
}
