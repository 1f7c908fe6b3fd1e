using Wallboard.Metrics.Engine;

namespace Wallboard.Metrics.Rows;

/// <summary>Turns an engine's counters into rows, ordered by name and then by interval.</summary>
public static class KpiRows
{
    public static List<QueueKpiRow> Queues(KpiEngine engine)
    {
        ArgumentNullException.ThrowIfNull(engine);
        return [.. engine.Queues.All()
            .OrderBy(slot => engine.QueueNames[slot.Entity], StringComparer.Ordinal)
            .ThenBy(slot => slot.IntervalStart)
            .Select(slot => QueueKpiRow.From(
                engine.QueueNames[slot.Entity],
                engine.Calendar.ToLocal(slot.IntervalStart),
                slot.Value,
                engine.FormulaOf(slot.Entity)))];
    }

    public static List<AgentKpiRow> Agents(KpiEngine engine)
    {
        ArgumentNullException.ThrowIfNull(engine);
        return [.. engine.Agents.All()
            .OrderBy(slot => engine.AgentNames[slot.Entity], StringComparer.Ordinal)
            .ThenBy(slot => slot.IntervalStart)
            .Select(slot => AgentKpiRow.From(
                engine.AgentNames[slot.Entity],
                engine.Calendar.ToLocal(slot.IntervalStart),
                slot.Value,
                engine.Options.AgentCallTarget))];
    }

    public static List<CampaignKpiRow> Campaigns(KpiEngine engine)
    {
        ArgumentNullException.ThrowIfNull(engine);
        return [.. engine.Campaigns.All()
            .OrderBy(slot => engine.CampaignNames[slot.Entity], StringComparer.Ordinal)
            .ThenBy(slot => slot.IntervalStart)
            .Select(slot => CampaignKpiRow.From(
                engine.CampaignNames[slot.Entity],
                engine.Calendar.ToLocal(slot.IntervalStart),
                slot.Value))];
    }
}
