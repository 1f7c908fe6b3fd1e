namespace Wallboard.Ingest.Aliases;

/// <summary>
/// The current <see cref="AgentAliasMap"/>, shared by every reader of one server or command and
/// replaced as a whole when the directory or queues.conf changes. Readers resolve an agent when
/// they read its line, so the metrics core only ever sees the one name.
/// </summary>
public sealed class AgentAliases
{
    private volatile AgentAliasMap _current;

    public AgentAliases(AgentAliasMap? map = null)
    {
        _current = map ?? AgentAliasMap.Empty;
    }

    /// <summary>The map in force; readers check it once per agent they resolve.</summary>
    public AgentAliasMap Current => _current;

    /// <summary>Puts <paramref name="map"/> in force for lines read from now on.</summary>
    public void Replace(AgentAliasMap map)
    {
        ArgumentNullException.ThrowIfNull(map);
        _current = map;
    }
}
