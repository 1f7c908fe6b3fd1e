using System.Diagnostics.CodeAnalysis;

namespace Wallboard.Ingest.Aliases;

/// <summary>
/// The names one person goes by in the logs, mapped to the one name reports use: Asterisk logs
/// membership with a member's interface (<c>PJSIP/1001</c>, <c>Local/1001@from-queue/n</c>) and calls
/// with its member name (<c>Sathish</c>), so without this map one person is two agents. Immutable;
/// <see cref="AgentAliases"/> holds the current one.
/// </summary>
/// <remarks>
/// Every name is also a key of its own, mapped to one string instance: the core finds names by
/// object identity first, so an agent's events all carry the same instance whether the line named
/// the interface or the member name.
/// </remarks>
public sealed class AgentAliasMap
{
    private readonly Dictionary<string, string> _names;
    private readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _bySpan;

    private AgentAliasMap(Dictionary<string, string> names)
    {
        _names = names;
        _bySpan = names.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>No aliases: every agent is named as the log names it.</summary>
    public static AgentAliasMap Empty { get; } = new(new Dictionary<string, string>(StringComparer.Ordinal));

    /// <summary>Whether the map has no alias at all (then resolving costs nothing).</summary>
    public bool IsEmpty => _names.Count == 0;

    /// <summary>Each alias with the name it stands for (names map to themselves).</summary>
    public IReadOnlyDictionary<string, string> Names => _names;

    /// <summary>
    /// A map of <paramref name="aliases"/> (alias, name). An alias given twice keeps its first name;
    /// each such conflict is reported through <paramref name="conflict"/> (alias, kept name, other name).
    /// </summary>
    public static AgentAliasMap Create(IEnumerable<(string Alias, string Name)> aliases, Action<string, string, string>? conflict = null)
    {
        ArgumentNullException.ThrowIfNull(aliases);
        var canonical = new Dictionary<string, string>(StringComparer.Ordinal);
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (alias, name) in aliases)
        {
            if (string.IsNullOrEmpty(alias) || string.IsNullOrEmpty(name))
            {
                continue;
            }

            if (!canonical.TryGetValue(name, out var instance))
            {
                instance = name;
                canonical.Add(name, instance);
            }

            if (names.TryGetValue(alias, out var existing))
            {
                if (!string.Equals(existing, instance, StringComparison.Ordinal))
                {
                    conflict?.Invoke(alias, existing, instance);
                }

                continue;
            }

            names.Add(alias, instance);
        }

        foreach (var name in canonical.Values)
        {
            // A name that is also some other person's alias stays that alias (it was given explicitly).
            names.TryAdd(name, name);
        }

        return names.Count == 0 ? Empty : new AgentAliasMap(names);
    }

    /// <summary>The name <paramref name="agent"/> stands for, or <paramref name="agent"/> itself.</summary>
    public string Resolve(string agent)
    {
        ArgumentNullException.ThrowIfNull(agent);
        return _names.Count == 0 || agent.Length == 0 ? agent : _names.GetValueOrDefault(agent, agent);
    }

    /// <summary>The name <paramref name="agent"/> stands for, if it is an alias or a name of this map.</summary>
    public bool TryResolve(ReadOnlySpan<char> agent, [NotNullWhen(true)] out string? name)
    {
        if (_names.Count == 0)
        {
            name = null;
            return false;
        }

        return _bySpan.TryGetValue(agent, out name);
    }
}
