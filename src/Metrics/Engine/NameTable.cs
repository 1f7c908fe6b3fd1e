using System.Runtime.CompilerServices;
using Wallboard.Metrics.Persistence;

namespace Wallboard.Metrics.Engine;

/// <summary>Gives each queue, agent or campaign name a dense index once, so counters live in arrays.</summary>
internal sealed class NameTable
{
    private const int RecentSize = 1 << 13;

    private readonly Dictionary<string, int> _indexes = new(StringComparer.Ordinal);
    private readonly List<string> _names = [];

    // Parsers intern names, so an agent's events carry the very same string instance: a small table by
    // object identity answers those without hashing the text (a tenth of the core's time when every
    // lookup hashed). Instances it has not seen, from another reader say, go to the dictionary by text.
    private readonly (string? Name, int Index)[] _recent = new (string?, int)[RecentSize];

    public IReadOnlyList<string> Names => _names;

    /// <summary>Names in the table; a field of its own, as the core reads it for every event.</summary>
    public int Count { get; private set; }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int IndexOf(string name)
    {
        ref var recent = ref _recent[RuntimeHelpers.GetHashCode(name) & (RecentSize - 1)];
        if (ReferenceEquals(recent.Name, name))
        {
            return recent.Index;
        }

        if (!_indexes.TryGetValue(name, out var index))
        {
            index = _names.Count;
            _indexes.Add(name, index);
            _names.Add(name);
            Count = _names.Count;
        }

        recent = (name, index);
        return index;
    }

    public bool TryGetIndex(string name, out int index)
    {
        ref readonly var recent = ref _recent[RuntimeHelpers.GetHashCode(name) & (RecentSize - 1)];
        if (ReferenceEquals(recent.Name, name))
        {
            index = recent.Index;
            return true;
        }

        return _indexes.TryGetValue(name, out index);
    }

    public void WriteState(StateWriter writer)
    {
        writer.Section("names");
        writer.Write(_names.Count);
        foreach (var name in _names)
        {
            writer.Write(name);
        }
    }

    /// <summary>Takes the names <see cref="WriteState"/> wrote, at the same indexes; the table must be empty.</summary>
    public void ReadState(StateReader reader)
    {
        reader.Section("names");
        var count = reader.ReadCount();
        for (var i = 0; i < count; i++)
        {
            var name = reader.ReadString() ?? throw new InvalidDataException("checkpoint: a name is missing");
            if (IndexOf(name) != i)
            {
                throw new InvalidDataException($"checkpoint: the name '{name}' appears twice");
            }
        }
    }
}
