using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Wallboard.Metrics.History;

namespace Wallboard.Hub.History;

/// <summary>
/// Rows of one kind, each an id, a start (interval or bucket) and the kind's values in
/// <see cref="HistorySchema.Fields"/> order, held in three flat arrays that grow and are reused:
/// what the SQLite store writes (intervals in key order, roll-up sums) and reads back (stored rows
/// of the buckets a write touches).
/// </summary>
/// <remarks>
/// An import wrote 683,524 intervals and 225,000 roll-up rows each as a <see cref="HistoryPoint"/>
/// with its own <c>long[]</c>: 120 MB allocated for the writes, and arrays that lived from the
/// engine's thread to the writer's were promoted and collected again by the background GC.
/// Here a write holds no array per row, and a reused block allocates nothing once grown.
/// </remarks>
internal sealed class KeyedRows
{
    private string[] _ids = new string[64];
    private long[] _starts = new long[64];
    private long[] _values;

    public KeyedRows(HistoryKind kind)
    {
        Kind = kind;
        Fields = HistorySchema.Fields(kind).Count;
        _values = new long[64 * Fields];
    }

    public HistoryKind Kind { get; }

    /// <summary>Values per row.</summary>
    public int Fields { get; }

    public int Count { get; private set; }

    public string Id(int row) => _ids[row];

    public long Start(int row) => _starts[row];

    public ReadOnlySpan<long> Values(int row) => _values.AsSpan(row * Fields, Fields);

    /// <summary>The starts of <paramref name="count"/> rows from <paramref name="first"/>.</summary>
    public ReadOnlySpan<long> Starts(int first, int count) => _starts.AsSpan(first, count);

    /// <summary>The values of <paramref name="count"/> rows from <paramref name="first"/>, row after row.</summary>
    public ReadOnlySpan<long> Values(int first, int count) => _values.AsSpan(first * Fields, count * Fields);

    /// <summary>Appends a row and returns its values to fill (zero).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Span<long> Add(string id, long start)
    {
        if (Count == _starts.Length)
        {
            Grow();
        }

        _ids[Count] = id;
        _starts[Count] = start;
        var values = _values.AsSpan(Count * Fields, Fields);
        values.Clear();
        Count++;
        return values;
    }

    /// <summary>Appends a row with its values.</summary>
    public void Add(string id, long start, ReadOnlySpan<long> values) => values.CopyTo(Add(id, start));

    /// <summary>Empties the block, keeping its arrays (the ids are let go).</summary>
    public void Clear()
    {
        Array.Clear(_ids, 0, Count);
        Count = 0;
    }

    /// <summary>
    /// The slots a 15-minute engine drained, as rows in the stores' key order: by id (ordinal, as
    /// SQLite's BINARY collation orders UTF-8), then start. The slots hold each (entity, start) once.
    /// </summary>
    /// <param name="slots">Drained slots (<c>CounterStore.DrainChanged</c>).</param>
    /// <param name="names">The engine's names by entity, at least as many as the slots use.</param>
    /// <param name="copy">Writes a slot's counters as values (<see cref="HistorySchema.CopyTo(in Metrics.Counters.QueueCounters, Span{long})"/>, …).</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void AddInKeyOrder<T>(List<(int Entity, long IntervalStart, T Value)> slots, IReadOnlyList<string> names, CopyValues<T> copy)
        where T : struct
    {
        ArgumentNullException.ThrowIfNull(slots);
        ArgumentNullException.ThrowIfNull(names);
        var byName = new int[names.Count];
        for (var i = 0; i < byName.Length; i++)
        {
            byName[i] = i;
        }

        Array.Sort(byName, (a, b) => string.CompareOrdinal(names[a], names[b]));

        // Counted into place by name (stable, so each entity's slots keep the order they had), then
        // each entity's run sorted by start where it is not already: the engine fills an entity's
        // slots as time goes on, so runs are nearly always in order. Sorting all the slots at once
        // (a long key per slot) cost 5 % of an import's CPU, the sort running unoptimised.
        var span = CollectionsMarshal.AsSpan(slots);
        var firstOf = new int[names.Count + 1];
        foreach (ref readonly var slot in span)
        {
            firstOf[slot.Entity + 1]++;
        }

        var rankFirst = new int[names.Count + 1];
        for (var rank = 0; rank < byName.Length; rank++)
        {
            rankFirst[rank + 1] = rankFirst[rank] + firstOf[byName[rank] + 1];
        }

        for (var rank = 0; rank < byName.Length; rank++)
        {
            firstOf[byName[rank]] = rankFirst[rank];
        }

        var order = new int[span.Length];
        for (var i = 0; i < span.Length; i++)
        {
            order[firstOf[span[i].Entity]++] = i;
        }

        var starts = new long[span.Length];
        for (var rank = 0; rank < byName.Length; rank++)
        {
            var (from, to) = (rankFirst[rank], rankFirst[rank + 1]);
            var sorted = true;
            for (var at = from; at < to; at++)
            {
                starts[at] = span[order[at]].IntervalStart;
                sorted &= at == from || starts[at - 1] < starts[at];
            }

            if (!sorted)
            {
                Array.Sort(starts, order, from, to - from);
            }
        }

        EnsureCapacity(Count + span.Length);
        foreach (var i in order)
        {
            ref readonly var slot = ref span[i];
            copy(slot.Value, Add(names[slot.Entity], slot.IntervalStart));
        }
    }

    /// <summary>Appends the rows of <paramref name="points"/> at <paramref name="order"/> (all of this block's kind).</summary>
    public void Add(IReadOnlyList<HistoryPoint> points, ReadOnlySpan<int> order)
    {
        ArgumentNullException.ThrowIfNull(points);
        foreach (var index in order)
        {
            var point = points[index];
            if (point.Kind != Kind)
            {
                throw new ArgumentException($"a {point.Kind} point among {Kind}", nameof(points));
            }

            Add(point.Id, point.IntervalStartMs, point.Values);
        }
    }

    /// <summary>The rows as points (for a store that takes nothing else).</summary>
    public List<HistoryPoint> ToPoints()
    {
        var points = new List<HistoryPoint>(Count);
        for (var row = 0; row < Count; row++)
        {
            points.Add(new HistoryPoint(Kind, _ids[row], _starts[row], Values(row).ToArray()));
        }

        return points;
    }

    private void Grow() => EnsureCapacity(_starts.Length * 2);

    private void EnsureCapacity(int rows)
    {
        if (rows <= _starts.Length)
        {
            return;
        }

        var capacity = Math.Max(rows, _starts.Length * 2);
        Array.Resize(ref _ids, capacity);
        Array.Resize(ref _starts, capacity);
        Array.Resize(ref _values, capacity * Fields);
    }

    /// <summary>Writes one slot's counters as values.</summary>
    public delegate void CopyValues<T>(in T counters, Span<long> values);
}
