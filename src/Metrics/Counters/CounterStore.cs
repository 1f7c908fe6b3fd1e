using System.Runtime.InteropServices;
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
/// an update is two array reads with no hashing. Slots are appended to fixed-size chunks, so
/// growth never copies counters and the slots of recent intervals sit together in memory (a month
/// of 15-minute intervals of 1,200 agents is millions of slots; a hash over all of them missed the
/// cache on every event).
/// </remarks>
/// <typeparam name="T">One of the counter structs.</typeparam>
public sealed class CounterStore<T>
    where T : unmanaged
{
    private const int ChunkBits = 12;
    private const int ChunkSize = 1 << ChunkBits;
    private const int ChunkMask = ChunkSize - 1;

    // Row entries hold slot + 1, so that a new row (all zeros) means "no slot yet".
    private readonly Dictionary<long, int[]> _rows = new();
    private Slot[][] _chunks = [new Slot[ChunkSize]];
    private readonly List<int> _changedSlots = [];
    private int _rowLength = 16;
    private long _lastIntervalStart = long.MaxValue;
    private int[] _lastRow = [];

    // Intervals before this were forgotten (RemoveBefore); updates to them land here and are lost.
    private long _forgottenBefore = long.MinValue;
    private T _discarded;

    public int Count { get; private set; }

    /// <summary>
    /// Updates that came for a forgotten interval and were dropped. Recreating the slot would start
    /// from zero, and publishing it would overwrite the whole interval (in history, say) with the
    /// part that came late.
    /// </summary>
    public long TooLate { get; private set; }

    /// <summary>The counters of <paramref name="entity"/> in the interval starting at <paramref name="intervalStart"/>, created if new, marked changed.</summary>
    public ref T Update(int entity, long intervalStart)
    {
        if (intervalStart < _forgottenBefore)
        {
            TooLate++;
            _discarded = default;
            return ref _discarded;
        }

        var index = SlotOf(entity, intervalStart);
        ref var slot = ref SlotAt(index);
        if (!slot.Changed)
        {
            slot.Changed = true;
            _changedSlots.Add(index);
        }

        return ref slot.Value;
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

    /// <summary>Every slot, changed or not, in the order they were created.</summary>
    public IEnumerable<(int Entity, long IntervalStart, T Value)> All()
    {
        for (var i = 0; i < Count; i++)
        {
            var slot = SlotAt(i);
            yield return (slot.Entity, slot.IntervalStart, slot.Value);
        }
    }

    /// <summary>The slots changed since the last call, then clears their flags.</summary>
    public List<(int Entity, long IntervalStart, T Value)> DrainChanged()
    {
        var result = new List<(int, long, T)>(_changedSlots.Count);
        foreach (var index in _changedSlots)
        {
            ref var slot = ref SlotAt(index);
            result.Add((slot.Entity, slot.IntervalStart, slot.Value));
            slot.Changed = false;
        }

        _changedSlots.Clear();
        return result;
    }

    /// <summary>
    /// Forgets the slots of intervals that start before <paramref name="intervalStart"/>, changed or
    /// not (drain first), and drops later updates to them (<see cref="TooLate"/>).
    /// </summary>
    public void RemoveBefore(long intervalStart)
    {
        _forgottenBefore = Math.Max(_forgottenBefore, intervalStart);
        foreach (var start in _rows.Keys.Where(start => start < intervalStart).ToList())
        {
            _rows.Remove(start);
        }

        _lastIntervalStart = long.MaxValue;
        _changedSlots.Clear();
        var kept = 0;
        for (var i = 0; i < Count; i++)
        {
            var slot = SlotAt(i);
            if (slot.IntervalStart < intervalStart)
            {
                continue;
            }

            SlotAt(kept) = slot;
            _rows[slot.IntervalStart][slot.Entity] = kept + 1;
            if (slot.Changed)
            {
                _changedSlots.Add(kept);
            }

            kept++;
        }

        for (var i = kept; i < Count; i++)
        {
            SlotAt(i) = default;
        }

        Count = kept;
    }

    /// <summary>Writes every slot, changed flags included, and what was forgotten, for a checkpoint.</summary>
    /// <remarks>Slots go out chunk by chunk as raw bytes: a large centre's two days of minutes are millions of them.</remarks>
    public void WriteState(StateWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Section("counters");
        writer.Write(_rowLength);
        writer.Write(_forgottenBefore);
        writer.Write(TooLate);
        writer.WriteHeader<Slot>(Count);
        for (var start = 0; start < Count; start += ChunkSize)
        {
            writer.WriteRaw<Slot>(_chunks[start >> ChunkBits].AsSpan(0, Math.Min(ChunkSize, Count - start)));
        }

        writer.Write<int>(CollectionsMarshal.AsSpan(_changedSlots));
    }

    /// <summary>Takes the state <see cref="WriteState"/> wrote into this store, which must be new.</summary>
    public void ReadState(StateReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        if (Count != 0)
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
        }

        foreach (var index in reader.ReadArray<int>())
        {
            if ((uint)index >= (uint)count)
            {
                throw new InvalidDataException($"checkpoint: changed slot {index} is beyond the {count} slots");
            }

            _changedSlots.Add(index);
        }
    }

    private ref Slot SlotAt(int index) => ref _chunks[index >> ChunkBits][index & ChunkMask];

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

    private int[] RowOf(long intervalStart)
    {
        if (!_rows.TryGetValue(intervalStart, out var row))
        {
            row = new int[_rowLength];
            _rows.Add(intervalStart, row);
        }

        _lastIntervalStart = intervalStart;
        _lastRow = row;
        return row;
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
        return row;
    }

    private int AddSlot(int entity, long intervalStart)
    {
        var index = Count;
        if ((index >> ChunkBits) == _chunks.Length)
        {
            Array.Resize(ref _chunks, _chunks.Length * 2);
        }

        _chunks[index >> ChunkBits] ??= new Slot[ChunkSize];
        ref var slot = ref SlotAt(index);
        slot.Entity = entity;
        slot.IntervalStart = intervalStart;
        Count++;
        return index;
    }

    private struct Slot
    {
        public T Value;
        public long IntervalStart;
        public int Entity;
        public bool Changed;
    }
}
