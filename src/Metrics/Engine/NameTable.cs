namespace Wallboard.Metrics.Engine;

/// <summary>Gives each queue, agent or campaign name a dense index once, so counters live in arrays.</summary>
internal sealed class NameTable
{
    private readonly Dictionary<string, int> _indexes = new(StringComparer.Ordinal);
    private readonly List<string> _names = [];

    // Parsers intern ids, so consecutive events usually carry the very same string instance:
    // a reference check then skips hashing the name.
    private string? _lastName;
    private int _lastIndex;

    public IReadOnlyList<string> Names => _names;

    public int Count => _names.Count;

    public int IndexOf(string name)
    {
        if (ReferenceEquals(name, _lastName))
        {
            return _lastIndex;
        }

        if (!_indexes.TryGetValue(name, out var index))
        {
            index = _names.Count;
            _indexes.Add(name, index);
            _names.Add(name);
        }

        _lastName = name;
        _lastIndex = index;
        return index;
    }

    public bool TryGetIndex(string name, out int index) => _indexes.TryGetValue(name, out index);
}
