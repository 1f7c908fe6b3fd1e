namespace Wallboard.Metrics.Names;

/// <summary>What the directory says of one queue (docs/directory.md); every part is optional.</summary>
public sealed record QueueEntry
{
    /// <summary>The name people read (floor page, reports); the id when absent.</summary>
    public string? Name { get; init; }

    public string? Team { get; init; }

    /// <summary>This queue's service-level threshold in seconds, overriding the configured one.</summary>
    public double? SlThresholdSeconds { get; init; }

    /// <summary>This queue's service-level target as a fraction (0.8 = 80 %).</summary>
    public double? SlTarget { get; init; }
}

/// <summary>What the directory says of one agent, keyed by the name reports use (Asterisk's member name).</summary>
public sealed record AgentEntry
{
    public string? Name { get; init; }

    public string? Team { get; init; }

    /// <summary>Other names the logs give this agent: interfaces (<c>PJSIP/1001</c>), state interfaces, login ids.</summary>
    public IReadOnlyList<string> Aliases { get; init; } = [];

    /// <summary>Calls (handled plus outbound connected, less complaints) expected per day logged in.</summary>
    public int? DailyCallTarget { get; init; }
}

/// <summary>What the directory says of one outbound or callback campaign.</summary>
public sealed record CampaignEntry
{
    public string? Name { get; init; }

    /// <summary>The team that works the campaign: its agents' team when they have none of their own.</summary>
    public string? Team { get; init; }
}

/// <summary>What the directory says of one team.</summary>
public sealed record TeamEntry
{
    public string? Name { get; init; }
}

/// <summary>
/// What one source says (the directory file, the older <c>Teams</c>/<c>AgentNames</c> settings, the
/// demo centre): entries by id. <see cref="NameDirectory.Create"/> lays sources over each other.
/// </summary>
public sealed record DirectoryLayer
{
    public static DirectoryLayer Empty { get; } = new();

    public IReadOnlyDictionary<string, QueueEntry> Queues { get; init; } = new Dictionary<string, QueueEntry>(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, AgentEntry> Agents { get; init; } = new Dictionary<string, AgentEntry>(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, CampaignEntry> Campaigns { get; init; } = new Dictionary<string, CampaignEntry>(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, TeamEntry> Teams { get; init; } = new Dictionary<string, TeamEntry>(StringComparer.Ordinal);
}
