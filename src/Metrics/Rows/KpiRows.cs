using Wallboard.Metrics.Engine;
using Wallboard.Metrics.Names;

namespace Wallboard.Metrics.Rows;

/// <summary>Turns an engine's counters into rows, ordered by id and then by interval.</summary>
public static class KpiRows
{
    /// <remarks>Display names for <c>queue_name</c>; the ids when omitted.</remarks>
    public static List<QueueKpiRow> Queues(KpiEngine engine, NameDirectory? names = null)
    {
        ArgumentNullException.ThrowIfNull(engine);
        names ??= NameDirectory.Empty;
        return [.. engine.Queues.All()
            .OrderBy(slot => engine.QueueNames[slot.Entity], StringComparer.Ordinal)
            .ThenBy(slot => slot.IntervalStart)
            .Select(slot => QueueKpiRow.From(
                engine.QueueNames[slot.Entity],
                engine.Calendar.ToLocal(slot.IntervalStart),
                slot.Value,
                engine.FormulaOf(slot.Entity),
                names.QueueName(engine.QueueNames[slot.Entity])))];
    }

    /// <remarks>Display names for <c>agent_name</c>; the ids when omitted.</remarks>
    public static List<AgentKpiRow> Agents(KpiEngine engine, NameDirectory? names = null)
    {
        ArgumentNullException.ThrowIfNull(engine);
        names ??= NameDirectory.Empty;
        return [.. engine.Agents.All()
            .OrderBy(slot => engine.AgentNames[slot.Entity], StringComparer.Ordinal)
            .ThenBy(slot => slot.IntervalStart)
            .Select(slot => AgentKpiRow.From(
                engine.AgentNames[slot.Entity],
                engine.Calendar.ToLocal(slot.IntervalStart),
                slot.Value,
                engine.Options.AgentCallTarget,
                names.AgentName(engine.AgentNames[slot.Entity])))];
    }

    /// <remarks>Display names for <c>campaign_name</c>; the ids when omitted.</remarks>
    public static List<CampaignKpiRow> Campaigns(KpiEngine engine, NameDirectory? names = null)
    {
        ArgumentNullException.ThrowIfNull(engine);
        names ??= NameDirectory.Empty;
        return [.. engine.Campaigns.All()
            .OrderBy(slot => engine.CampaignNames[slot.Entity], StringComparer.Ordinal)
            .ThenBy(slot => slot.IntervalStart)
            .Select(slot => CampaignKpiRow.From(
                engine.CampaignNames[slot.Entity],
                engine.Calendar.ToLocal(slot.IntervalStart),
                slot.Value,
                names.CampaignName(engine.CampaignNames[slot.Entity])))];
    }
}
