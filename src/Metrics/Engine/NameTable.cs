namespace Wallboard.Metrics.Engine;

/// <summary>Gives each queue, agent or campaign name a dense index once, so counters live in arrays.</summary>
internal sealed class NameTable
{
    private readonly Dictionary<string, int> _indexes = new(StringComparer.Ordinal);
    private readonly List<string> _names = [];

    public IReadOnlyList<string> Names => _names;

    public int Count => _names.Count;

    public int IndexOf(string name)
    {
        if (!_indexes.TryGetValue(name, out var index))
        {
            index = _names.Count;
            _indexes.Add(name, index);
            _names.Add(name);
        }

        return index;
    }

    public bool TryGetIndex(string name, out int index) => _indexes.TryGetValue(name, out index);
}
