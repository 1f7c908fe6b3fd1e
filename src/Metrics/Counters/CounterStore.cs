using System.Runtime.InteropServices;

namespace Wallboard.Metrics.Counters;

/// <summary>
/// Counters per (entity, interval) in a growing array of structs, updated in place through
/// <see langword="ref"/>. Each slot carries a changed flag; <see cref="DrainChanged"/> returns
/// exactly the slots touched since the last drain, which is the diff to publish (and how a late
/// event's interval gets re-emitted).
/// </summary>
/// <typeparam name="T">One of the counter structs.</typeparam>
public sealed class CounterStore<T>
    where T : struct
{
    private readonly Dictionary<SlotKey, int> _index = new();
    private SlotKey[] _keys = new SlotKey[256];
    private T[] _values = new T[256];
    private bool[] _changed = new bool[256];
    private readonly List<int> _changedSlots = [];

    public int Count { get; private set; }

    /// <summary>The counters of <paramref name="entity"/> in the interval starting at <paramref name="intervalStart"/>, created if new, marked changed.</summary>
    public ref T Update(int entity, long intervalStart)
    {
        var index = SlotOf(entity, intervalStart);
        if (!_changed[index])
        {
            _changed[index] = true;
            _changedSlots.Add(index);
        }

        return ref _values[index];
    }

    /// <summary>
    /// Sets a slot's counters without marking it changed: a restarted server loads the intervals
    /// still open from its history store, so that new events add to them instead of replacing them.
    /// </summary>
    public void Seed(int entity, long intervalStart, in T value) => _values[SlotOf(entity, intervalStart)] = value;

    /// <summary>Reads the counters of a slot without marking it changed; false when the slot does not exist.</summary>
    public bool TryGet(int entity, long intervalStart, out T value)
    {
        if (_index.TryGetValue(new SlotKey(entity, intervalStart), out var index))
        {
            value = _values[index];
            return true;
        }

        value = default;
        return false;
    }

    /// <summary>Every slot, changed or not.</summary>
    public IEnumerable<(int Entity, long IntervalStart, T Value)> All()
    {
        for (var i = 0; i < Count; i++)
        {
            yield return (_keys[i].Entity, _keys[i].IntervalStart, _values[i]);
        }
    }

    /// <summary>The slots changed since the last call, then clears their flags.</summary>
    public List<(int Entity, long IntervalStart, T Value)> DrainChanged()
    {
        var result = new List<(int, long, T)>(_changedSlots.Count);
        foreach (var index in _changedSlots)
        {
            result.Add((_keys[index].Entity, _keys[index].IntervalStart, _values[index]));
            _changed[index] = false;
        }

        _changedSlots.Clear();
        return result;
    }

    /// <summary>Forgets the slots of intervals that start before <paramref name="intervalStart"/> (live windows no longer need them).</summary>
    public void RemoveBefore(long intervalStart)
    {
        var kept = 0;
        _index.Clear();
        _changedSlots.Clear();
        for (var i = 0; i < Count; i++)
        {
            if (_keys[i].IntervalStart < intervalStart)
            {
                continue;
            }

            _keys[kept] = _keys[i];
            _values[kept] = _values[i];
            _changed[kept] = _changed[i];
            if (_changed[kept])
            {
                _changedSlots.Add(kept);
            }

            _index[_keys[kept]] = kept;
            kept++;
        }

        Array.Clear(_values, kept, Count - kept);
        Array.Clear(_changed, kept, Count - kept);
        Count = kept;
    }

    private int SlotOf(int entity, long intervalStart)
    {
        var key = new SlotKey(entity, intervalStart);
        ref var slot = ref CollectionsMarshal.GetValueRefOrAddDefault(_index, key, out var exists);
        if (!exists)
        {
            slot = Count;
            if (Count == _values.Length)
            {
                Grow();
            }

            _keys[Count] = key;
            Count++;
        }

        return slot;
    }

    private void Grow()
    {
        var size = _values.Length * 2;
        Array.Resize(ref _keys, size);
        Array.Resize(ref _values, size);
        Array.Resize(ref _changed, size);
    }

    private readonly record struct SlotKey(int Entity, long IntervalStart);
}
