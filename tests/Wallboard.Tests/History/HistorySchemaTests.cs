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

    /// <summary>
    /// Roll-ups (SQLite's sums, InfluxDB's <c>sum()</c> and <c>max()</c>) combine each field as
    /// <see cref="HistorySchema.IsMaximum"/> says; it must say what the counters' own <c>Add</c> does,
    /// for every field, including counters added later.
    /// </summary>
    [Theory]
    [InlineData(HistoryKind.Queues)]
    [InlineData(HistoryKind.Agents)]
    [InlineData(HistoryKind.Campaigns)]
    public void RollupsCombineEachFieldAsTheCountersAddDoes(HistoryKind kind)
    {
        var fields = HistorySchema.Fields(kind);
        long[] a = [.. Enumerable.Range(0, fields.Count).Select(i => (long)((i * 7) + 3))];
        long[] b = [.. Enumerable.Range(0, fields.Count).Select(i => (long)((i * 5) + 11))];
        long[] added = kind switch
        {
            HistoryKind.Queues => Added(HistorySchema.ToQueueCounters(a), HistorySchema.ToQueueCounters(b), static (ref Wallboard.Metrics.Counters.QueueCounters sum, in Wallboard.Metrics.Counters.QueueCounters value) => sum.Add(value), HistorySchema.ToValues),
            HistoryKind.Agents => Added(HistorySchema.ToAgentCounters(a), HistorySchema.ToAgentCounters(b), static (ref AgentCounters sum, in AgentCounters value) => sum.Add(value), HistorySchema.ToValues),
            _ => Added(HistorySchema.ToCampaignCounters(a), HistorySchema.ToCampaignCounters(b), static (ref CampaignCounters sum, in CampaignCounters value) => sum.Add(value), HistorySchema.ToValues),
        };
        var combined = (long[])a.Clone();
        HistorySchema.Combine(kind, combined, b);

        Assert.Equal(added, combined);
        Assert.Equal(added, fields.Select((field, i) => HistorySchema.IsMaximum(field) ? Math.Max(a[i], b[i]) : a[i] + b[i]));
        Assert.Equal(kind == HistoryKind.Queues ? ["max_wait_ms"] : [], fields.Where(HistorySchema.IsMaximum));
    }

    private delegate long[] ValuesOf<T>(in T counters);

    private static long[] Added<T>(T a, T b, Wallboard.Metrics.History.HistoryRollup.Adder<T> add, ValuesOf<T> values)
        where T : struct
    {
        add(ref a, b);
        return values(a);
    }
}
