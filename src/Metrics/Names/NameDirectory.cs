using Wallboard.Ingest.Aliases;

namespace Wallboard.Metrics.Names;

/// <summary>An alias of an agent and where it was given, for the messages about conflicting aliases.</summary>
/// <param name="Alias">The name the logs use (an interface, a state interface).</param>
/// <param name="Name">The agent's name (Asterisk's member name; the directory's agent id).</param>
/// <param name="Origin">Where it was given, e.g. <c>queues.conf:12</c>.</param>
public readonly record struct AliasSource(string Alias, string Name, string Origin);

/// <summary>
/// The one directory of names (docs/directory.md): display names and teams of queues, agents and
/// campaigns, agents' aliases and daily call targets, queues' service-level overrides. Immutable:
/// a reload makes a new one. Ids stay the keys everywhere; names are only shown.
/// </summary>
public sealed class NameDirectory
{
    private NameDirectory(
        Dictionary<string, QueueEntry> queues,
        Dictionary<string, AgentEntry> agents,
        Dictionary<string, CampaignEntry> campaigns,
        Dictionary<string, TeamEntry> teams,
        AgentAliasMap aliases,
        IReadOnlyList<string> conflicts)
    {
        Queues = queues;
        Agents = agents;
        Campaigns = campaigns;
        Teams = teams;
        Aliases = aliases;
        Conflicts = conflicts;
    }

    public static NameDirectory Empty { get; } = Create([], []);

    public IReadOnlyDictionary<string, QueueEntry> Queues { get; }

    public IReadOnlyDictionary<string, AgentEntry> Agents { get; }

    public IReadOnlyDictionary<string, CampaignEntry> Campaigns { get; }

    public IReadOnlyDictionary<string, TeamEntry> Teams { get; }

    /// <summary>Every alias of every agent: the directory's own first, then the member aliases (queues.conf).</summary>
    public AgentAliasMap Aliases { get; }

    /// <summary>Aliases given for two different agents, each naming both origins; the first one given is kept.</summary>
    public IReadOnlyList<string> Conflicts { get; }

    /// <summary>
    /// Lays <paramref name="layers"/> over each other, the later winning field by field (an agent's
    /// aliases add up), and adds <paramref name="memberAliases"/> below the agents' own aliases.
    /// </summary>
    public static NameDirectory Create(IReadOnlyList<DirectoryLayer> layers, IEnumerable<AliasSource> memberAliases)
    {
        ArgumentNullException.ThrowIfNull(layers);
        ArgumentNullException.ThrowIfNull(memberAliases);
        var queues = new Dictionary<string, QueueEntry>(StringComparer.Ordinal);
        var agents = new Dictionary<string, AgentEntry>(StringComparer.Ordinal);
        var campaigns = new Dictionary<string, CampaignEntry>(StringComparer.Ordinal);
        var teams = new Dictionary<string, TeamEntry>(StringComparer.Ordinal);
        foreach (var layer in layers)
        {
            Merge(queues, layer.Queues, static (a, b) => new QueueEntry
            {
                Name = b.Name ?? a.Name,
                Team = b.Team ?? a.Team,
                SlThresholdSeconds = b.SlThresholdSeconds ?? a.SlThresholdSeconds,
                SlTarget = b.SlTarget ?? a.SlTarget,
            });
            Merge(agents, layer.Agents, static (a, b) => new AgentEntry
            {
                Name = b.Name ?? a.Name,
                Team = b.Team ?? a.Team,
                Aliases = [.. a.Aliases.Concat(b.Aliases).Distinct(StringComparer.Ordinal)],
                DailyCallTarget = b.DailyCallTarget ?? a.DailyCallTarget,
            });
            Merge(campaigns, layer.Campaigns, static (a, b) => new CampaignEntry { Name = b.Name ?? a.Name, Team = b.Team ?? a.Team });
            Merge(teams, layer.Teams, static (a, b) => new TeamEntry { Name = b.Name ?? a.Name });
        }

        var own = agents.SelectMany(agent => agent.Value.Aliases.Select(alias => new AliasSource(alias, agent.Key, "directory agent " + agent.Key)));
        var kept = new Dictionary<string, AliasSource>(StringComparer.Ordinal);
        var conflicts = new List<string>();
        foreach (var alias in own.Concat(memberAliases))
        {
            if (alias.Alias.Length == 0 || alias.Name.Length == 0 || string.Equals(alias.Alias, alias.Name, StringComparison.Ordinal))
            {
                continue;
            }

            if (!kept.TryAdd(alias.Alias, alias) && kept[alias.Alias] is var first && !string.Equals(first.Name, alias.Name, StringComparison.Ordinal))
            {
                conflicts.Add($"{alias.Origin}: '{alias.Alias}' is already an alias of '{first.Name}' ({first.Origin}); kept for '{first.Name}', not '{alias.Name}'");
            }
        }

        var map = AgentAliasMap.Create(kept.Values.Select(alias => (alias.Alias, alias.Name)));
        return new NameDirectory(queues, agents, campaigns, teams, map, conflicts);
    }

    /// <summary>The queue's display name, or its id.</summary>
    public string QueueName(string queue) => Queues.TryGetValue(queue, out var entry) && entry.Name is { } name ? name : queue;

    /// <summary>The agent's display name, or its id.</summary>
    public string AgentName(string agent) => Agents.TryGetValue(agent, out var entry) && entry.Name is { } name ? name : agent;

    /// <summary>The campaign's display name, or its id.</summary>
    public string CampaignName(string campaign) => Campaigns.TryGetValue(campaign, out var entry) && entry.Name is { } name ? name : campaign;

    /// <summary>The team's display name, or its id.</summary>
    public string TeamName(string team) => Teams.TryGetValue(team, out var entry) && entry.Name is { } name ? name : team;

    public string? QueueTeam(string queue) => Queues.TryGetValue(queue, out var entry) ? entry.Team : null;

    public string? CampaignTeam(string campaign) => Campaigns.TryGetValue(campaign, out var entry) ? entry.Team : null;

    /// <summary>The agent's daily call target, when the directory gives one.</summary>
    public int? DailyCallTarget(string agent) => Agents.TryGetValue(agent, out var entry) ? entry.DailyCallTarget : null;

    /// <summary>The queue's service-level target, when the directory gives one.</summary>
    public double? SlTarget(string queue) => Queues.TryGetValue(queue, out var entry) ? entry.SlTarget : null;

    /// <summary>
    /// The agent's team: its own; else the team of the campaign it last dialled; else the team of the
    /// first of its queues (ordinal order) that has one; else, as before the directory, the name of its
    /// first queue; null for an agent in no queue and no team (docs/kpis.md, "Teams").
    /// </summary>
    public string? AgentTeam(string agent, IReadOnlyList<string> queues, string? campaign)
    {
        ArgumentNullException.ThrowIfNull(queues);
        if (Agents.TryGetValue(agent, out var entry) && entry.Team is { } own)
        {
            return own;
        }

        if (campaign is not null && CampaignTeam(campaign) is { } worked)
        {
            return worked;
        }

        string? first = null;
        string? firstWithTeam = null;
        string? team = null;
        foreach (var queue in queues)
        {
            if (first is null || string.CompareOrdinal(queue, first) < 0)
            {
                first = queue;
            }

            if (QueueTeam(queue) is { } queueTeam && (firstWithTeam is null || string.CompareOrdinal(queue, firstWithTeam) < 0))
            {
                firstWithTeam = queue;
                team = queueTeam;
            }
        }

        return team ?? first;
    }

    /// <summary>The per-queue service-level settings of <paramref name="options"/> with this directory's thresholds laid over them.</summary>
    public IReadOnlyDictionary<string, QueueTargets> QueueTargets(KpiOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var targets = new Dictionary<string, QueueTargets>(options.Queues, StringComparer.Ordinal);
        foreach (var (queue, entry) in Queues)
        {
            if (entry.SlThresholdSeconds is { } threshold)
            {
                targets[queue] = options.TargetsFor(queue) with { SlThresholdSeconds = threshold };
            }
        }

        return targets;
    }

    private static void Merge<T>(Dictionary<string, T> into, IReadOnlyDictionary<string, T> from, Func<T, T, T> over)
        where T : class
    {
        foreach (var (id, entry) in from)
        {
            into[id] = into.TryGetValue(id, out var existing) ? over(existing, entry) : entry;
        }
    }
}
