using Wallboard.Hub.History;
using Wallboard.Metrics.Counters;
using Wallboard.Metrics.History;

namespace Wallboard.Tests.History;

/// <summary>The flat rows the SQLite store writes (<see cref="KeyedRows"/>).</summary>
public sealed class KeyedRowsTests : IDisposable
{
    private const long Q = HistoryPoint.IntervalMs;

    private readonly string _folder = Directory.CreateTempSubdirectory("wallboard-keyed-rows-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>
    /// Drained slots come out by name in ordinal order (as SQLite's BINARY collation orders UTF-8:
    /// "C" before "a", "a" before "a2", whatever the entities' numbers), then by start, also when
    /// an entity's slots were drained out of time order; each row's values are its slot's counters.
    /// </summary>
    [Fact]
    public void DrainedSlotsComeOutInKeyOrderWithTheirCounters()
    {
        string[] names = ["b", "a", "C", "a2"];
        var slots = new List<(int Entity, long IntervalStart, AgentCounters Value)>
        {
            (0, 2 * Q, new AgentCounters { Answered = 1 }),
            (1, 5 * Q, new AgentCounters { Answered = 2 }),
            (2, 1 * Q, new AgentCounters { Answered = 3 }),
            (1, 3 * Q, new AgentCounters { Answered = 4, Complaints = 9 }),
            (3, 0, new AgentCounters { Answered = 5 }),
            (1, 4 * Q, new AgentCounters { Answered = 6 }),
            (0, 1 * Q, new AgentCounters { Answered = 7 }),
        };
        var rows = new KeyedRows(HistoryKind.Agents);

        rows.AddInKeyOrder(slots, names, HistorySchema.CopyTo);

        Assert.Equal(
            [("C", 1 * Q, 3L), ("a", 3 * Q, 4L), ("a", 4 * Q, 6L), ("a", 5 * Q, 2L), ("a2", 0, 5L), ("b", 1 * Q, 7L), ("b", 2 * Q, 1L)],
            Enumerable.Range(0, rows.Count).Select(row => (rows.Id(row), rows.Start(row), rows.Values(row)[0])));
        Assert.Equal(HistorySchema.ToValues(new AgentCounters { Answered = 4, Complaints = 9 }), rows.Values(1).ToArray());
    }

    /// <summary>A block grows past its first capacity and, cleared, is filled again from its start.</summary>
    [Fact]
    public void ABlockGrowsAndIsReusedAfterClear()
    {
        var rows = new KeyedRows(HistoryKind.Campaigns);
        for (var i = 0; i < 1000; i++)
        {
            rows.Add("c", i * Q)[10] = i;
        }

        Assert.Equal(1000, rows.Count);
        Assert.Equal(999L * Q, rows.Start(999));
        Assert.Equal(999, rows.Values(999)[10]);
        Assert.Equal(500, rows.Values(500, 1)[10]);

        rows.Clear();
        rows.Add("d", 7, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
        Assert.Equal(1, rows.Count);
        Assert.Equal(("d", 7L, 11L), (rows.Id(0), rows.Start(0), rows.Values(0)[10]));
    }

    /// <summary>
    /// The store takes rows only in key order (its roll-ups merge them with the stored rows by
    /// start), and says where they are not, writing nothing.
    /// </summary>
    [Fact]
    public async Task TheStoreRefusesRowsOutOfKeyOrder()
    {
        using var store = new SqliteHistoryStore(Path.Combine(_folder, "history.db"));
        var rows = new KeyedRows(HistoryKind.Queues);
        rows.Add("sales", 2 * Q)[0] = 1;
        rows.Add("sales", Q)[0] = 2;

        var refused = await Assert.ThrowsAsync<ArgumentException>(() => store.WriteAsync([rows], null));

        Assert.Contains("out of key order at row 1", refused.Message, StringComparison.Ordinal);
        Assert.Empty(await store.QueryAsync(HistoryKind.Queues, null, 0, long.MaxValue));
    }
}
