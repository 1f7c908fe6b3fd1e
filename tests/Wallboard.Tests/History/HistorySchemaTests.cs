using System.Reflection;
using System.Text.Json;
using Wallboard.Metrics.Counters;
using Wallboard.Metrics.History;

namespace Wallboard.Tests.History;

public sealed class HistorySchemaTests
{
    public static TheoryData<HistoryKind, Type> Kinds => new()
    {
        { HistoryKind.Queues, typeof(QueueCounters) },
        { HistoryKind.Agents, typeof(AgentCounters) },
        { HistoryKind.Campaigns, typeof(CampaignCounters) },
    };

    /// <summary>A counter added to a struct but not to the schema would silently never be stored.</summary>
    [Theory]
    [MemberData(nameof(Kinds))]
    public void StoredFieldsAreTheCounterFieldsInSnakeCaseAndInOrder(HistoryKind kind, Type counters)
    {
        var names = counters.GetFields(BindingFlags.Public | BindingFlags.Instance)
            .OrderBy(field => field.MetadataToken)
            .Select(field => JsonNamingPolicy.SnakeCaseLower.ConvertName(field.Name));

        Assert.Equal(names, HistorySchema.Fields(kind));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void EveryCounterSurvivesTheTripThroughStoredValues(HistoryKind kind, Type counters)
    {
        var values = Enumerable.Range(1, HistorySchema.Fields(kind).Count).Select(i => (long)i * 1000 + i).ToArray();
        var point = new HistoryPoint(kind, "x", 0, values);

        long[] back = kind switch
        {
            HistoryKind.Queues => HistorySchema.ToValues(point.QueueCounters),
            HistoryKind.Agents => HistorySchema.ToValues(point.AgentCounters),
            _ => HistorySchema.ToValues(point.CampaignCounters),
        };
        object boxed = kind switch
        {
            HistoryKind.Queues => point.QueueCounters,
            HistoryKind.Agents => point.AgentCounters,
            _ => point.CampaignCounters,
        };
        var fields = counters.GetFields(BindingFlags.Public | BindingFlags.Instance).OrderBy(field => field.MetadataToken).ToList();

        Assert.Equal(values, back);
        Assert.Equal(values, fields.Select(field => (long)field.GetValue(boxed)!));
    }
}
