using System.Runtime.CompilerServices;

namespace Wallboard.Metrics.Engine;

/// <summary>
/// The latest call slot of each call id, by the id's <see cref="Ingest.Model.IdKey"/>: an open
/// addressing table over two arrays, kept at most half full.
/// </summary>
/// <remarks>
/// Every call event looks its call up here and every finished call leaves it, so it is on the hot
/// path of the core: a <see cref="Dictionary{TKey, TValue}"/> went from a bucket to an entry (two
/// reads where one does), hashed keys that are hashes already, and in <c>wallboard kpi</c> ran as
/// unoptimised code for the first part of the file (a framework generic over the core's types is
/// not precompiled). Keys are XxHash3 values, so their low bits index the table as they are;
/// removal moves later entries of a run back, so no tombstones pile up as calls come and go.
/// Key 0 (a call without an id) has a place of its own: 0 marks a free entry.
/// </remarks>
internal sealed class CallIndex
{
    private ulong[] _keys = new ulong[1024];
    private int[] _slots = new int[1024];
    private int _mask = 1023;
    private bool _hasZero;
    private int _zeroSlot;

    public int Count { get; private set; }

    /// <summary>The slot stored for <paramref name="key"/>, added as 0 when absent; valid until the next addition.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public ref int GetValueRefOrAddDefault(ulong key, out bool exists)
    {
        if (key == 0)
        {
            exists = _hasZero;
            if (!_hasZero)
            {
                (_hasZero, _zeroSlot) = (true, 0);
                Count++;
            }

            return ref _zeroSlot;
        }

        var i = (int)key & _mask;
        while (_keys[i] != 0)
        {
            if (_keys[i] == key)
            {
                exists = true;
                return ref _slots[i];
            }

            i = (i + 1) & _mask;
        }

        exists = false;
        if ((Count + 1) * 2 > _keys.Length)
        {
            Grow();
            return ref GetValueRefOrAddDefault(key, out exists);
        }

        _keys[i] = key;
        _slots[i] = 0;
        Count++;
        return ref _slots[i];
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool TryGetValue(ulong key, out int slot)
    {
        if (key == 0)
        {
            slot = _hasZero ? _zeroSlot : 0;
            return _hasZero;
        }

        for (var i = (int)key & _mask; _keys[i] != 0; i = (i + 1) & _mask)
        {
            if (_keys[i] == key)
            {
                slot = _slots[i];
                return true;
            }
        }

        slot = 0;
        return false;
    }

    public void Add(ulong key, int slot)
    {
        ref var value = ref GetValueRefOrAddDefault(key, out var exists);
        if (exists)
        {
            throw new ArgumentException($"call key {key} is already in the index", nameof(key));
        }

        value = slot;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool Remove(ulong key, out int slot)
    {
        if (key == 0)
        {
            slot = _hasZero ? _zeroSlot : 0;
            if (!_hasZero)
            {
                return false;
            }

            _hasZero = false;
            Count--;
            return true;
        }

        var i = (int)key & _mask;
        while (_keys[i] != key)
        {
            if (_keys[i] == 0)
            {
                slot = 0;
                return false;
            }

            i = (i + 1) & _mask;
        }

        slot = _slots[i];
        Count--;

        // Backward shift: each later entry of the run that may sit in the hole moves into it.
        var hole = i;
        for (var j = (i + 1) & _mask; _keys[j] != 0; j = (j + 1) & _mask)
        {
            var home = (int)_keys[j] & _mask;
            if (((j - home) & _mask) >= ((j - hole) & _mask))
            {
                _keys[hole] = _keys[j];
                _slots[hole] = _slots[j];
                hole = j;
            }
        }

        _keys[hole] = 0;
        return true;
    }

    /// <summary>Every (key, slot), for a checkpoint.</summary>
    public KeyValuePair<ulong, int>[] ToArray()
    {
        var all = new List<KeyValuePair<ulong, int>>(Count);
        if (_hasZero)
        {
            all.Add(new(0, _zeroSlot));
        }

        for (var i = 0; i < _keys.Length; i++)
        {
            if (_keys[i] != 0)
            {
                all.Add(new(_keys[i], _slots[i]));
            }
        }

        return [.. all];
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Grow()
    {
        var (keys, slots) = (_keys, _slots);
        _keys = new ulong[keys.Length * 2];
        _slots = new int[keys.Length * 2];
        _mask = _keys.Length - 1;
        for (var i = 0; i < keys.Length; i++)
        {
            if (keys[i] != 0)
            {
                var j = (int)keys[i] & _mask;
                while (_keys[j] != 0)
                {
                    j = (j + 1) & _mask;
                }

                (_keys[j], _slots[j]) = (keys[i], slots[i]);
            }
        }
    }
}
