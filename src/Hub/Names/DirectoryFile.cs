using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Wallboard.Metrics.Names;

namespace Wallboard.Hub.Names;

/// <summary>What is wrong in a directory file, with the JSON path of the offending value.</summary>
internal sealed record DirectoryError(string File, string Path, string Message)
{
    public override string ToString() => $"{File}: {Path}: {Message}";
}

/// <summary>
/// The directory file of docs/directory.md: queues, agents, campaigns and teams by id, read and
/// checked as a whole. A file with any error is refused (the server keeps the last good one), and
/// every semantic error is reported at once, each with its JSON path.
/// </summary>
internal static class DirectoryFile
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Parses <paramref name="json"/>; the layer, or null with the errors.</summary>
    /// <param name="file">The name reported with errors.</param>
    /// <param name="json">The file's text.</param>
    /// <param name="errors">Every problem found; empty when the layer is returned.</param>
    public static DirectoryLayer? Parse(string file, string json, out IReadOnlyList<DirectoryError> errors)
    {
        var found = new List<DirectoryError>();
        errors = found;
        DirectoryLayer? layer;
        try
        {
            layer = JsonSerializer.Deserialize<DirectoryLayer>(json, Options);
        }
        catch (JsonException ex)
        {
            found.Add(new DirectoryError(file, ex.Path is { Length: > 0 } path ? path : "$",
                string.Create(CultureInfo.InvariantCulture, $"line {(ex.LineNumber ?? 0) + 1}: {FirstSentence(ex.Message)}")));
            return null;
        }

        if (layer is null)
        {
            found.Add(new DirectoryError(file, "$", "must be an object, not null"));
            return null;
        }

        Check(file, layer, found);
        return found.Count == 0 ? layer : null;
    }

    /// <summary>The layer as a directory file (what <c>wallboard simulate</c> writes).</summary>
    public static string Write(DirectoryLayer layer) => JsonSerializer.Serialize(layer, Options);

    private static void Check(string file, DirectoryLayer layer, List<DirectoryError> errors)
    {
        void Error(string path, string message) => errors.Add(new DirectoryError(file, path, message));

        foreach (var (section, ids) in new[]
        {
            ("queues", layer.Queues?.Keys), ("agents", layer.Agents?.Keys), ("campaigns", layer.Campaigns?.Keys), ("teams", layer.Teams?.Keys),
        })
        {
            if (ids is null)
            {
                Error("$." + section, "must be an object of entries by id, not null");
                continue;
            }

            foreach (var id in ids.Where(id => id.Trim().Length == 0))
            {
                Error($"$.{section}['{id}']", "an id must not be empty");
            }
        }

        var teams = layer.Teams ?? new Dictionary<string, TeamEntry>();
        void Team(string path, string? team)
        {
            if (team is not null && team.Trim().Length == 0)
            {
                Error(path, "must be a non-empty string");
            }
            else if (team is not null && teams.Count > 0 && !teams.ContainsKey(team))
            {
                Error(path, $"'{team}' is not one of $.teams");
            }
        }

        void Name(string path, string? name)
        {
            if (name is not null && name.Trim().Length == 0)
            {
                Error(path, "must be a non-empty string");
            }
        }

        foreach (var (id, entry) in layer.Queues ?? new Dictionary<string, QueueEntry>())
        {
            var path = $"$.queues.{id}";
            if (entry is null)
            {
                Error(path, "must be an object, not null");
                continue;
            }

            Name(path + ".name", entry.Name);
            Team(path + ".team", entry.Team);
            if (entry.SlThresholdSeconds is { } threshold && !(threshold is >= 0 and <= 3600))
            {
                Error(path + ".slThresholdSeconds", string.Create(CultureInfo.InvariantCulture, $"must be 0–3600 seconds, got {threshold}"));
            }

            if (entry.SlTarget is { } target && !(target is >= 0 and <= 1))
            {
                Error(path + ".slTarget", string.Create(CultureInfo.InvariantCulture, $"must be a fraction between 0 and 1 (0.8 = 80 %), got {target}"));
            }
        }

        var aliasOf = new Dictionary<string, string>(StringComparer.Ordinal);
        var agents = layer.Agents ?? new Dictionary<string, AgentEntry>();
        foreach (var (id, entry) in agents)
        {
            var path = $"$.agents.{id}";
            if (entry is null)
            {
                Error(path, "must be an object, not null");
                continue;
            }

            Name(path + ".name", entry.Name);
            Team(path + ".team", entry.Team);
            if (entry.DailyCallTarget is < 0)
            {
                Error(path + ".dailyCallTarget", string.Create(CultureInfo.InvariantCulture, $"must be 0 or more, got {entry.DailyCallTarget}"));
            }

            var aliases = entry.Aliases ?? [];
            for (var i = 0; i < aliases.Count; i++)
            {
                var alias = aliases[i];
                var aliasPath = string.Create(CultureInfo.InvariantCulture, $"{path}.aliases[{i}]");
                if (string.IsNullOrWhiteSpace(alias))
                {
                    Error(aliasPath, "must be a non-empty string");
                }
                else if (agents.ContainsKey(alias) && alias != id)
                {
                    Error(aliasPath, $"'{alias}' is the id of another agent");
                }
                else if (aliasOf.TryGetValue(alias, out var other))
                {
                    Error(aliasPath, other == id ? $"'{alias}' is listed twice" : $"'{alias}' is already an alias of agent '{other}'");
                }
                else
                {
                    aliasOf.Add(alias, id);
                }
            }
        }

        foreach (var (id, entry) in layer.Campaigns ?? new Dictionary<string, CampaignEntry>())
        {
            if (entry is null)
            {
                Error($"$.campaigns.{id}", "must be an object, not null");
                continue;
            }

            Name($"$.campaigns.{id}.name", entry.Name);
            Team($"$.campaigns.{id}.team", entry.Team);
        }

        foreach (var (id, entry) in teams)
        {
            if (entry is null)
            {
                Error($"$.teams.{id}", "must be an object, not null");
                continue;
            }

            Name($"$.teams.{id}.name", entry.Name);
        }
    }

    /// <summary>System.Text.Json appends "Path: … | LineNumber: …" to its messages; the path and line are reported on their own.</summary>
    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }
}
