namespace Wallboard.Hub.Live.Screens;

/// <summary>
/// Teams and display names of agents, from configuration: <c>Teams: { "team-sales": ["Agent/1001", …] }</c>
/// and optionally <c>AgentNames: { "Agent/1001": "Li Wei" }</c>. An agent in no configured team
/// belongs to the team named after its first queue (alphabetically).
/// </summary>
internal sealed class TeamDirectory
{
    public const string TeamsSection = "Teams";
    public const string NamesSection = "AgentNames";

    private readonly Dictionary<string, string> _teamOf = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _names;

    public TeamDirectory(IConfiguration configuration)
    {
        var teams = configuration.GetSection(TeamsSection).Get<Dictionary<string, List<string>>>() ?? [];
        foreach (var (team, agents) in teams.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            foreach (var agent in agents)
            {
                _teamOf.TryAdd(agent, team);
            }
        }

        _names = configuration.GetSection(NamesSection).Get<Dictionary<string, string>>() ?? new Dictionary<string, string>(StringComparer.Ordinal);
    }

    public string? TeamOf(string agent, IReadOnlyList<string> queues) =>
        _teamOf.TryGetValue(agent, out var team) ? team : queues.Count == 0 ? null : queues.Min(StringComparer.Ordinal);

    public string NameOf(string agent) => _names.TryGetValue(agent, out var name) ? name : agent;
}
