using System.Numerics;
using System.Runtime.CompilerServices;
using Wallboard.Metrics.Persistence;

namespace Wallboard.Metrics.Counters;

/// <summary>
/// Counters per (entity, interval), updated in place through <see langword="ref"/>. Each slot
/// carries a changed flag; <see cref="DrainChanged"/> returns exactly the slots touched since the
/// last drain, which is the diff to publish (and how a late event's interval gets re-emitted).
/// </summary>
/// <remarks>
/// Built for the hot path of the core, where almost every update falls in the current interval:
/// each interval has a row of slot numbers indexed by entity, and the row last used is cached, so
/// an update is two array reads with no hashing. The rows of the 64 latest intervals are cached
/// too, by the interval's minute number: at one-minute intervals a call's answer, completion and
/// wrap-up go to the rows of its arrival's and its answer's minutes, which were a hash lookup each.
/// Slots are appended to fixed-size chunks, so growth never copies counters and the slots of
/// recent intervals sit together in memory (a month of 15-minute intervals of 1,200 agents is
/// millions of slots; a hash over all of them missed the cache on every event).
/// <para>
/// Forgetting intervals (<see cref="RemoveBefore"/>) frees their slots and rows for new intervals
/// instead of compacting what is kept, so a server's engines, which forget every hour, run on the
/// memory they have: the live one-minute engine allocated a slot per logged-in agent a minute
/// (before login time had rows of its own, <see cref="AgentTimeStore"/>), 167 bytes an event, and compacting its 200,000 kept slots once an hour cost more than all the
/// events of that hour. The changed and live flags are bits beside the slots, not in them: freeing
/// an hour of minutes then touches no slot (each was a cache miss), and marking a slot changed is
/// one OR into a bitmap that stays in the cache.
/// </para>
/// </remarks>
/// <typeparam name="T">One of the counter structs.</typeparam>
public sealed class CounterStore<T>
    where T : unmanaged
{
    private const int ChunkBits = 12;
    private const int ChunkSize = 1 << ChunkBits;
    private const int ChunkMask = ChunkSize - 1;
    private const int WordsPerChunk = ChunkSize / 64;

    // Rows kept for reuse, at least: an hour of a one-minute engine's forgotten rows and then some.
    // Up to as many as are held, too (not a month of them after a long catch-up): the rows forgotten
    // follow the day 26 hours back, so a morning takes more rows than it frees.
    private const int MinSpareRows = 128;

    // Rows of recent intervals, by the interval's minute number modulo this: one call's updates go
    // to its arrival's, its answer's and the present interval, which at one minute are different rows.
    private const int RecentRows = 64;

    // Row entries hold slot + 1, so that a new row (all zeros) means "no slot yet".
    private readonly Dictionary<long, int[]> _rows = new();
    private Slot[][] _chunks = [new Slot[ChunkSize]];

    // One bit per slot: changed since the last drain; holding an (entity, interval), i.e. not free.
    private ulong[] _changed = new ulong[WordsPerChunk];
    private ulong[] _live = new ulong[WordsPerChunk];

    private readonly Stack<int[]> _spareRows = new();

    // Slots [0, _highWater) have been used; those whose live bit is clear are free, and are taken
    // again before new memory is, lowest first: the slots of new intervals then lie one after the
    // other as fresh ones do, and the processor reads ahead of the writes (taken in the order they
    // were freed, each was a cache miss). No free slot lies in a word of _live before _freeWord.
    private int _highWater;
    private int _freeWord;
    private int _rowLength = 16;
    private long _lastIntervalStart = long.MaxValue;
    private int[] _lastRow = [];
    private readonly long[] _recentStarts = NoRecentRows();
    private readonly int[]?[] _recentRows = new int[RecentRows][];

    // Intervals before this were forgotten (RemoveBefore); updates to them land here and are lost.
    private long _forgottenBefore = long.MinValue;
    private T _discarded;

    /// <summary>Slots holding counters (forgotten ones not counted).</summary>
    public int Count { get; private set; }

    /// <summary>
    /// Updates that came for a forgotten interval and were dropped. Recreating the slot would start
    /// from zero, and publishing it would overwrite the whole interval (in history, say) with the
    /// part that came late.
    /// </summary>
    public long TooLate { get; private set; }

    /// <summary>The counters of <paramref name="entity"/> in the interval starting at <paramref name="intervalStart"/>, created if new, marked changed.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public ref T Update(int entity, long intervalStart)
    {
        if (intervalStart < _forgottenBefore)
        {
            TooLate++;
            _discarded = default;
            return ref _discarded;
        }

        var index = SlotOf(entity, intervalStart);
        _changed[index >> 6] |= 1UL << index;
        return ref SlotAt(index).Value;
    }

    /// <summary>
    /// Sets a slot's counters without marking it changed: a restarted server loads the intervals
    /// still open from its history store, so that new events add to them instead of replacing them.
    /// </summary>
    public void Seed(int entity, long intervalStart, in T value) => SlotAt(SlotOf(entity, intervalStart)).Value = value;

    /// <summary>Reads the counters of a slot without marking it changed; false when the slot does not exist.</summary>
    public bool TryGet(int entity, long intervalStart, out T value)
    {
        if (entity >= 0 && _rows.TryGetValue(intervalStart, out var row) && entity < row.Length && row[entity] > 0)
        {
            value = SlotAt(row[entity] - 1).Value;
            return true;
        }

        value = default;
        return false;
    }

    /// <summary>Every slot, changed or not, in no particular order.</summary>
    public IEnumerable<(int Entity, long IntervalStart, T Value)> All()
    {
        for (var index = 0; index < _highWater; index++)
        {
            if (IsSet(_live, index))
            {
                var slot = SlotAt(index);
                yield return (slot.Entity, slot.IntervalStart, slot.Value);
            }
        }
    }

    /// <summary>The slots changed since the last call, then clears their flags.</summary>
    public List<(int Entity, long IntervalStart, T Value)> DrainChanged()
    {
        var result = new List<(int, long, T)>();
        var words = (_highWater + 63) >> 6;
        for (var w = 0; w < words; w++)
        {
            for (var bits = _changed[w]; bits != 0; bits &= bits - 1)
            {
                ref readonly var slot = ref SlotAt((w << 6) + BitOperations.TrailingZeroCount(bits));
                result.Add((slot.Entity, slot.IntervalStart, slot.Value));
            }

            _changed[w] = 0;
        }

        return result;
    }

    /// <summary>
    /// Forgets the slots of intervals that start before <paramref name="intervalStart"/>, changed or
    /// not (drain first), and drops later updates to them (<see cref="TooLate"/>).
    /// </summary>
    /// <remarks>Costs the forgotten rows only; what is kept stays where it is.</remarks>
    public void RemoveBefore(long intervalStart)
    {
        _forgottenBefore = Math.Max(_forgottenBefore, intervalStart);

        // Removing while enumerating is allowed for Dictionary (it does not invalidate the enumerator).
        foreach (var (start, row) in _rows)
        {
            if (start >= intervalStart)
            {
                continue;
            }

            // Most entries of a row are empty (an agent with nothing in a minute, entities the row has
            // room for): they are skipped a vector at a time, not one by one.
            var entries = row.AsSpan();
            for (var at = entries.IndexOfAnyExcept(0); at >= 0; at = entries.IndexOfAnyExcept(0))
            {
                var index = entries[at] - 1;
                _changed[index >> 6] &= ~(1UL << index);
                _live[index >> 6] &= ~(1UL << index);
                _freeWord = Math.Min(_freeWord, index >> 6);
                Count--;
                entries = entries[(at + 1)..];
            }

            _rows.Remove(start);
            if (_spareRows.Count < Math.Max(MinSpareRows, _rows.Count))
            {
                _spareRows.Push(row);
            }
        }

        _lastIntervalStart = long.MaxValue;

        // Forgotten rows are reused for other intervals.
        Array.Fill(_recentStarts, long.MaxValue);
        Array.Clear(_recentRows);
    }

    /// <summary>Writes every slot, changed flags included, and what was forgotten, for a checkpoint.</summary>
    /// <remarks>
    /// Slots go out as raw bytes, in runs between free slots: a large centre's day of minutes is
    /// millions of them. The checkpoint holds the live slots one after the other and names the
    /// changed ones by their place among them, so it reads as it did before slots were reused.
    /// </remarks>
    public void WriteState(StateWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Section("counters");
        writer.Write(_rowLength);
        writer.Write(_forgottenBefore);
        writer.Write(TooLate);
        writer.WriteHeader<Slot>(Count);
        var changed = new List<int>();
        var place = 0;
        for (var chunkStart = 0; chunkStart < _highWater; chunkStart += ChunkSize)
        {
            var chunk = _chunks[chunkStart >> ChunkBits];
            var length = Math.Min(ChunkSize, _highWater - chunkStart);
            var run = 0;
            for (var i = 0; i <= length; i++)
            {
                var index = chunkStart + i;
                if (i < length && IsSet(_live, index))
                {
                    if (IsSet(_changed, index))
                    {
                        changed.Add(place);
                    }

                    place++;
                    continue;
                }

                // A free slot or the chunk's end closes the run of live slots before it.
                if (i > run)
                {
                    writer.WriteRaw<Slot>(chunk.AsSpan(run, i - run));
                }

                run = i + 1;
            }
        }

        writer.Write<int>(changed.ToArray());
    }

    /// <summary>Takes the state <see cref="WriteState"/> wrote into this store, which must be new.</summary>
    public void ReadState(StateReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        if (_highWater != 0)
        {
            throw new InvalidOperationException("a checkpoint is read into a new store only");
        }

        reader.Section("counters");
        _rowLength = reader.ReadCount();
        _forgottenBefore = reader.ReadInt64();
        TooLate = reader.ReadInt64();
        var (stored, count) = reader.ReadHeader<Slot>();
        var chunks = Math.Max(1, (count + ChunkSize - 1) >> ChunkBits);
        _chunks = new Slot[Math.Max(chunks, _chunks.Length)][];
        _changed = new ulong[_chunks.Length * WordsPerChunk];
        _live = new ulong[_chunks.Length * WordsPerChunk];
        for (var chunk = 0; chunk < chunks; chunk++)
        {
            _chunks[chunk] = new Slot[ChunkSize];
            var length = Math.Min(ChunkSize, count - (chunk << ChunkBits));
            if (length > 0)
            {
                reader.ReadRaw(stored, _chunks[chunk].AsSpan(0, length));
            }
        }

        Count = count;
        _highWater = count;

        // Rows are an index over the slots; rebuilt rather than stored.
        for (var index = 0; index < count; index++)
        {
            ref readonly var slot = ref SlotAt(index);
            if ((uint)slot.Entity >= (uint)_rowLength)
            {
                throw new InvalidDataException($"checkpoint: slot {index} names entity {slot.Entity}, beyond the row length {_rowLength}");
            }

            if (!_rows.TryGetValue(slot.IntervalStart, out var row))
            {
                row = new int[_rowLength];
                _rows.Add(slot.IntervalStart, row);
            }

            row[slot.Entity] = index + 1;
            _live[index >> 6] |= 1UL << index;
        }

        foreach (var index in reader.ReadArray<int>())
        {
            if ((uint)index >= (uint)count)
            {
                throw new InvalidDataException($"checkpoint: changed slot {index} is beyond the {count} slots");
            }

            _changed[index >> 6] |= 1UL << index;
        }
    }

    private static bool IsSet(ulong[] bits, int index) => (bits[index >> 6] & (1UL << index)) != 0;

    private ref Slot SlotAt(int index) => ref _chunks[index >> ChunkBits][index & ChunkMask];

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int SlotOf(int entity, long intervalStart)
    {
        var row = intervalStart == _lastIntervalStart ? _lastRow : RowOf(intervalStart);
        if ((uint)entity >= (uint)row.Length)
        {
            row = GrowRow(intervalStart, entity);
        }

        var index = row[entity] - 1;
        if (index < 0)
        {
            index = AddSlot(entity, intervalStart);
            row[entity] = index + 1;
        }

        return index;
    }

    private static long[] NoRecentRows()
    {
        var starts = new long[RecentRows];
        Array.Fill(starts, long.MaxValue);
        return starts;
    }

    private static int RecentIndex(long intervalStart) => (int)((ulong)intervalStart / 60_000UL) & (RecentRows - 1);

    private int[] RowOf(long intervalStart)
    {
        var recent = RecentIndex(intervalStart);
        var row = _recentRows[recent];
        if (_recentStarts[recent] != intervalStart || row is null)
        {
            if (!_rows.TryGetValue(intervalStart, out row))
            {
                row = NewRow();
                _rows.Add(intervalStart, row);
            }

            _recentStarts[recent] = intervalStart;
            _recentRows[recent] = row;
        }

        _lastIntervalStart = intervalStart;
        _lastRow = row;
        return row;
    }

    /// <summary>A row of no slots, a forgotten interval's if one is spare.</summary>
    private int[] NewRow()
    {
        while (_spareRows.TryPop(out var spare))
        {
            // Rows forgotten before the rows grew are too short; they go.
            if (spare.Length == _rowLength)
            {
                Array.Clear(spare);
                return spare;
            }
        }

        return new int[_rowLength];
    }

    private int[] GrowRow(long intervalStart, int entity)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(entity);
        while (_rowLength <= entity)
        {
            _rowLength *= 2;
        }

        var row = _rows[intervalStart];
        Array.Resize(ref row, _rowLength);
        _rows[intervalStart] = row;
        _lastRow = row;
        var recent = RecentIndex(intervalStart);
        if (_recentStarts[recent] == intervalStart)
        {
            _recentRows[recent] = row;
        }

        return row;
    }

    private int AddSlot(int entity, long intervalStart)
    {
        int index;
        if (Count < _highWater)
        {
            // A free slot lies below the high-water mark, at or after _freeWord.
            while (_live[_freeWord] == ulong.MaxValue)
            {
                _freeWord++;
            }

            index = (_freeWord << 6) + BitOperations.TrailingZeroCount(~_live[_freeWord]);
            SlotAt(index).Value = default;
        }
        else
        {
            index = _highWater++;
            if ((index >> ChunkBits) == _chunks.Length)
            {
                Array.Resize(ref _chunks, _chunks.Length * 2);
                Array.Resize(ref _changed, _chunks.Length * WordsPerChunk);
                Array.Resize(ref _live, _chunks.Length * WordsPerChunk);
            }

            _chunks[index >> ChunkBits] ??= new Slot[ChunkSize];
        }

        ref var slot = ref SlotAt(index);
        slot.Entity = entity;
        slot.IntervalStart = intervalStart;
        _live[index >> 6] |= 1UL << index;
        Count++;
        return index;
    }

    private struct Slot
    {
        public T Value;
        public long IntervalStart;
        public int Entity;
    }
}
