using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Wallboard.Metrics.Persistence;

namespace Wallboard.Metrics.Counters;

/// <summary>Login and pause time of one agent in one interval: the figures that grow while nothing happens.</summary>
[StructLayout(LayoutKind.Auto)]
public struct AgentTime
{
    public long LoginMs;
    public long PauseMs;
}

/// <summary>
/// Login and pause time per (agent, interval), kept apart from the agents' other counters: a row of
/// 16 bytes per agent for each interval, in interval order, with a held and a changed bit per agent.
/// </summary>
/// <remarks>
/// Every logged-in agent has login time in every interval, so held in <see cref="CounterStore{T}"/>
/// it took a 128-byte slot of all fourteen figures per agent each minute in the live engine, about
/// one slot an event, and 26 hours of them lay far beyond the caches: each minute's slots were cold
/// (117.5–118.5 ns an event against 71–72 at 15 minutes). Here a minute of all agents is one
/// contiguous row written front to back when the minute ends, and an agent's slot of the other
/// figures is made only when something happens to the agent in that minute.
/// <para>
/// Rows are kept sorted by start, not hashed: the live windows sum an agent's time over a range of
/// minutes (a binary search, then consecutive rows), and forgetting drops a prefix.
/// </para>
/// </remarks>
internal sealed class AgentTimeStore
{
    // Rows kept for reuse, at least: an hour of a one-minute engine's forgotten rows and then some.
    // Up to as many as are held, too: the rows forgotten (26 hours back) follow yesterday's day, so
    // the morning takes more rows than it frees, and the evening gives them back.
    private const int MinSpareRows = 128;

    private Row[] _rows = new Row[64];
    private int _rowCount;
    private readonly Stack<Row> _spareRows = new();

    // Width (agents) of new rows: a multiple of 64, so that the bit words cover it exactly.
    private int _width = 64;
    private long _lastStart = long.MaxValue;
    private Row _lastRow = Row.None;

    private long _forgottenBefore = long.MinValue;
    private AgentTime _discarded;

    /// <summary>(Agent, interval) entries held.</summary>
    public int Count { get; private set; }

    /// <summary>Updates that came for a forgotten interval and were dropped.</summary>
    public long TooLate { get; private set; }

    /// <summary>The time of <paramref name="entity"/> in the interval starting at <paramref name="intervalStart"/>, created if new, marked changed.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public ref AgentTime Update(int entity, long intervalStart)
    {
        if (intervalStart < _forgottenBefore)
        {
            TooLate++;
            _discarded = default;
            return ref _discarded;
        }

        var row = intervalStart == _lastStart ? _lastRow : RowOf(intervalStart);
        if ((uint)entity >= (uint)row.Times.Length)
        {
            Widen(row, entity);
        }

        var word = entity >> 6;
        var bit = 1UL << entity;
        if ((row.Held[word] & bit) == 0)
        {
            row.Held[word] |= bit;
            Count++;
        }

        row.Changed[word] |= bit;
        row.AnyChanged = true;
        return ref row.Times[entity];
    }

    /// <summary>
    /// The times of an interval's row, made if new and wide enough for <paramref name="entities"/>,
    /// to write many agents' time at once (then <see cref="Mark"/>); null when the interval is forgotten.
    /// </summary>
    /// <remarks>
    /// For the flush at each interval's end: one lookup and one pair of flag words per 64 agents, not
    /// an <see cref="Update"/> per agent (that was 5 ns an agent, as much as the rest of the flush).
    /// </remarks>
    public AgentTime[]? RowFor(long intervalStart, int entities)
    {
        if (intervalStart < _forgottenBefore)
        {
            return null;
        }

        var row = intervalStart == _lastStart ? _lastRow : RowOf(intervalStart);
        if (entities > row.Times.Length)
        {
            Widen(row, entities - 1);
        }

        return row.Times;
    }

    /// <summary>Marks the entities <c>64 × <paramref name="word"/> + bit</c> of <paramref name="bits"/> held and changed in the row of <see cref="RowFor"/>.</summary>
    public void Mark(long intervalStart, int word, ulong bits)
    {
        var row = intervalStart == _lastStart ? _lastRow : RowOf(intervalStart);
        Count += BitOperations.PopCount(bits & ~row.Held[word]);
        row.Held[word] |= bits;
        row.Changed[word] |= bits;
        row.AnyChanged = true;
    }

    /// <summary>The time of a held entry, without marking it changed.</summary>
    public bool TryGet(int entity, long intervalStart, out AgentTime time)
    {
        var at = Find(intervalStart);
        if (at >= 0 && _rows[at].IsHeld(entity))
        {
            time = _rows[at].Times[entity];
            return true;
        }

        time = default;
        return false;
    }

    /// <summary>Adds the time of <paramref name="entity"/> in the intervals that start in [<paramref name="fromStart"/>, <paramref name="toMs"/>).</summary>
    public void AddTo(ref AgentCounters sum, int entity, long fromStart, long toMs)
    {
        for (var at = LowerBound(fromStart); at < _rowCount && _rows[at].Start < toMs; at++)
        {
            var row = _rows[at];
            if (row.IsHeld(entity))
            {
                sum.LoginMs += row.Times[entity].LoginMs;
                sum.PauseMs += row.Times[entity].PauseMs;
            }
        }
    }

    /// <summary>Takes the changed flag of one entry: true (with its time) when it was changed.</summary>
    public bool TakeChanged(int entity, long intervalStart, out AgentTime time)
    {
        var at = Find(intervalStart);
        if (at >= 0 && (uint)entity < (uint)_rows[at].Times.Length && (_rows[at].Changed[entity >> 6] & (1UL << entity)) != 0)
        {
            _rows[at].Changed[entity >> 6] &= ~(1UL << entity);
            time = _rows[at].Times[entity];
            return true;
        }

        time = default;
        return false;
    }

    /// <summary>The entries changed since the last drain, in interval and then agent order, then clears their flags.</summary>
    public void DrainChanged(List<(int Entity, long IntervalStart, AgentTime Time)> into)
    {
        for (var at = 0; at < _rowCount; at++)
        {
            var row = _rows[at];
            if (!row.AnyChanged)
            {
                continue;
            }

            for (var w = 0; w < row.Changed.Length; w++)
            {
                for (var bits = row.Changed[w]; bits != 0; bits &= bits - 1)
                {
                    var entity = (w << 6) + BitOperations.TrailingZeroCount(bits);
                    into.Add((entity, row.Start, row.Times[entity]));
                }

                row.Changed[w] = 0;
            }

            row.AnyChanged = false;
        }
    }

    /// <summary>Every held entry, in interval and then agent order.</summary>
    public IEnumerable<(int Entity, long IntervalStart, AgentTime Time)> All()
    {
        for (var at = 0; at < _rowCount; at++)
        {
            var row = _rows[at];
            for (var w = 0; w < row.Held.Length; w++)
            {
                for (var bits = row.Held[w]; bits != 0; bits &= bits - 1)
                {
                    var entity = (w << 6) + BitOperations.TrailingZeroCount(bits);
                    yield return (entity, row.Start, row.Times[entity]);
                }
            }
        }
    }

    /// <summary>Forgets the intervals that start before <paramref name="intervalStart"/>; later updates to them are dropped (<see cref="TooLate"/>).</summary>
    public void RemoveBefore(long intervalStart)
    {
        _forgottenBefore = Math.Max(_forgottenBefore, intervalStart);
        var keep = LowerBound(intervalStart);
        if (keep == 0)
        {
            return;
        }

        var maxSpare = Math.Max(MinSpareRows, _rowCount - keep);
        for (var at = 0; at < keep; at++)
        {
            var row = _rows[at];
            foreach (var word in row.Held)
            {
                Count -= BitOperations.PopCount(word);
            }

            if (_spareRows.Count < maxSpare)
            {
                _spareRows.Push(row);
            }
        }

        Array.Copy(_rows, keep, _rows, 0, _rowCount - keep);
        Array.Clear(_rows, _rowCount - keep, keep);
        _rowCount -= keep;
        _lastStart = long.MaxValue;
        _lastRow = Row.None;
    }

    /// <summary>Writes every row, changed flags included, and what was forgotten, for a checkpoint.</summary>
    public void WriteState(StateWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Section("agent-time");
        writer.Write(_width);
        writer.Write(_forgottenBefore);
        writer.Write(TooLate);
        writer.Write(_rowCount);
        for (var at = 0; at < _rowCount; at++)
        {
            var row = _rows[at];
            writer.Write(row.Start);
            writer.Write<AgentTime>(row.Times);
            writer.Write<ulong>(row.Held);
            writer.Write<ulong>(row.Changed);
        }
    }

    /// <summary>Takes the state <see cref="WriteState"/> wrote into this store, which must be new.</summary>
    public void ReadState(StateReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        if (_rowCount != 0 || _forgottenBefore != long.MinValue)
        {
            throw new InvalidOperationException("a checkpoint is read into a new store only");
        }

        reader.Section("agent-time");
        _width = reader.ReadCount();
        if (_width == 0 || (_width & 63) != 0)
        {
            throw new InvalidDataException($"checkpoint: agent time rows {_width} wide, not a multiple of 64");
        }

        _forgottenBefore = reader.ReadInt64();
        TooLate = reader.ReadInt64();
        var rows = reader.ReadCount();
        _rows = new Row[Math.Max(64, (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(rows, 1)))];
        for (var at = 0; at < rows; at++)
        {
            var start = reader.ReadInt64();
            var row = new Row(start, reader.ReadArray<AgentTime>(), reader.ReadArray<ulong>(), reader.ReadArray<ulong>());
            if ((row.Times.Length & 63) != 0 || row.Held.Length != row.Times.Length >> 6 || row.Changed.Length != row.Held.Length)
            {
                throw new InvalidDataException($"checkpoint: agent time row {at} has {row.Times.Length} entries and {row.Held.Length}, {row.Changed.Length} flag words");
            }

            if (at > 0 && start <= _rows[at - 1].Start)
            {
                throw new InvalidDataException($"checkpoint: agent time row {at} starts at {start}, not after the row before it");
            }

            for (var w = 0; w < row.Held.Length; w++)
            {
                if ((row.Changed[w] & ~row.Held[w]) != 0)
                {
                    throw new InvalidDataException($"checkpoint: agent time row {at} has changed entries it does not hold");
                }

                row.AnyChanged |= row.Changed[w] != 0;
                Count += BitOperations.PopCount(row.Held[w]);
            }

            _rows[at] = row;
        }

        _rowCount = rows;
    }

    /// <summary>The row of an interval, made (a forgotten one reused) if new.</summary>
    private Row RowOf(long intervalStart)
    {
        var at = LowerBound(intervalStart);
        if (at == _rowCount || _rows[at].Start != intervalStart)
        {
            if (_rowCount == _rows.Length)
            {
                Array.Resize(ref _rows, _rows.Length * 2);
            }

            // Almost always at the end: intervals come in time order.
            Array.Copy(_rows, at, _rows, at + 1, _rowCount - at);
            _rows[at] = NewRow(intervalStart);
            _rowCount++;
        }

        _lastStart = intervalStart;
        _lastRow = _rows[at];
        return _lastRow;
    }

    private Row NewRow(long intervalStart)
    {
        while (_spareRows.TryPop(out var spare))
        {
            // Rows forgotten before the agents grew are too narrow; they go.
            if (spare.Times.Length == _width)
            {
                Array.Clear(spare.Times);
                Array.Clear(spare.Held);
                Array.Clear(spare.Changed);
                spare.Start = intervalStart;
                spare.AnyChanged = false;
                return spare;
            }
        }

        return new Row(intervalStart, new AgentTime[_width], new ulong[_width >> 6], new ulong[_width >> 6]);
    }

    private void Widen(Row row, int entity)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(entity);
        _width = Math.Max(_width, (entity + 64) & ~63);
        Array.Resize(ref row.Times, _width);
        Array.Resize(ref row.Held, _width >> 6);
        Array.Resize(ref row.Changed, _width >> 6);
    }

    /// <summary>The place of the row starting at <paramref name="intervalStart"/>, or -1.</summary>
    private int Find(long intervalStart)
    {
        var at = LowerBound(intervalStart);
        return at < _rowCount && _rows[at].Start == intervalStart ? at : -1;
    }

    /// <summary>The place of the first row starting at or after <paramref name="intervalStart"/>.</summary>
    private int LowerBound(long intervalStart)
    {
        // Most lookups are for the newest rows.
        if (_rowCount == 0 || _rows[_rowCount - 1].Start < intervalStart)
        {
            return _rowCount;
        }

        var (low, high) = (0, _rowCount - 1);
        while (low < high)
        {
            var middle = (low + high) >>> 1;
            if (_rows[middle].Start < intervalStart)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }

    private sealed class Row(long start, AgentTime[] times, ulong[] held, ulong[] changed)
    {
        /// <summary>Stands for "no row cached"; never written (its start is never looked up).</summary>
        public static readonly Row None = new(long.MaxValue, [], [], []);

        public long Start = start;
        public AgentTime[] Times = times;
        public ulong[] Held = held;
        public ulong[] Changed = changed;
        public bool AnyChanged;

        public bool IsHeld(int entity) => (uint)entity < (uint)Times.Length && (Held[entity >> 6] & (1UL << entity)) != 0;
    }
}
