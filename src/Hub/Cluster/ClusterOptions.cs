using System.ComponentModel.DataAnnotations;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace Wallboard.Hub.Cluster;

/// <summary>
/// Configuration section <c>Cluster</c> (docs/cluster.md): several hubs on one Redis and one
/// PostgreSQL. <see cref="Redis"/> and <see cref="PostgreSql"/> switch it on; with neither the server
/// runs alone, exactly as it does without this section.
/// </summary>
internal sealed partial class ClusterOptions
{
    public const string Section = "Cluster";

    /// <summary>The partition of a cluster configured with none: one site.</summary>
    public const string DefaultPartition = "main";

    /// <summary>A StackExchange.Redis configuration string (<c>redis1:6379,password=…</c>): the event streams and the screens' backplane.</summary>
    public string? Redis { get; set; }

    /// <summary>An Npgsql connection string: leadership (advisory locks), checkpoints, history without InfluxDB, Hangfire and the sent-report ledger.</summary>
    public string? PostgreSql { get; set; }

    /// <summary>The cluster's name: the prefix of its Redis keys and channels and the key of its rows, so two clusters may share the servers.</summary>
    public string Name { get; set; } = "wallboard";

    /// <summary>This hub's name in /healthz and in the snapshots it publishes; the host name and process id when empty.</summary>
    public string? Node { get; set; }

    /// <summary>The sites or PBXs, each with its own event stream and one core run by one hub at a time.</summary>
    public List<string> Partitions { get; set; } = [];

    /// <summary>
    /// The partition this hub's own sources feed (<c>Sources:QueueLogs</c>, <c>Sources:Cdr</c>) and
    /// HTTP ingest that names none; the hub also takes its core first. The first partition when empty.
    /// </summary>
    public string? Partition { get; set; }

    /// <summary>How often a hub tries to take the cores nobody runs and checks the ones it runs.</summary>
    [Range(0.1, 60)]
    public double LockPollSeconds { get; set; } = 1;

    /// <summary>How long events stay in a partition's stream after its checkpoint has passed them (a core that takes over replays from its checkpoint).</summary>
    [Range(0.1, 24 * 366)]
    public double StreamRetentionHours { get; set; } = 48;

    /// <summary>A partition whose figures have not been published for this long is reported in /healthz (nobody runs its core).</summary>
    [Range(1, 3600)]
    public double StaleSeconds { get; set; } = 15;

    /// <summary>Whether the section switches cluster mode on (either server named; the validator asks for both).</summary>
    public bool Enabled => !string.IsNullOrWhiteSpace(Redis) || !string.IsNullOrWhiteSpace(PostgreSql);

    /// <summary>The partitions, <see cref="DefaultPartition"/> when none is named.</summary>
    public IReadOnlyList<string> PartitionNames => Partitions.Count == 0 ? [DefaultPartition] : Partitions;

    /// <summary>The partition of this hub's sources.</summary>
    public string OwnPartition => string.IsNullOrWhiteSpace(Partition) ? PartitionNames[0] : Partition;

    public string NodeName => string.IsNullOrWhiteSpace(Node)
        ? $"{Environment.MachineName}:{Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture)}"
        : Node;

    /// <summary>Whether <paramref name="configuration"/> switches cluster mode on, read before the host is built (it decides what is registered).</summary>
    public static bool IsEnabled(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return !string.IsNullOrWhiteSpace(configuration[Section + ":Redis"]) || !string.IsNullOrWhiteSpace(configuration[Section + ":PostgreSql"]);
    }

    /// <summary>Names become Redis keys, folder names and lock keys: letters, digits, '-' and '_'.</summary>
    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    public static partial Regex SafeName();
}

/// <summary>Checks <see cref="ClusterOptions"/> at start-up; each message names the key that is wrong.</summary>
internal sealed class ClusterOptionsValidator : IValidateOptions<ClusterOptions>
{
    public ValidateOptionsResult Validate(string? name, ClusterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!options.Enabled)
        {
            return ValidateOptionsResult.Success;
        }

        const string Prefix = ClusterOptions.Section + ":";
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Redis))
        {
            errors.Add($"{Prefix}Redis is required with {Prefix}PostgreSql: a cluster keeps its events in Redis (a StackExchange.Redis configuration string, e.g. redis1:6379)");
        }
        else
        {
            try
            {
                _ = StackExchange.Redis.ConfigurationOptions.Parse(options.Redis);
            }
            catch (ArgumentException ex)
            {
                errors.Add($"{Prefix}Redis '{options.Redis}' is not a StackExchange.Redis configuration string: {ex.Message}");
            }
        }

        if (string.IsNullOrWhiteSpace(options.PostgreSql))
        {
            errors.Add($"{Prefix}PostgreSql is required with {Prefix}Redis: a cluster elects the hub that runs each core in PostgreSQL (an Npgsql connection string, e.g. Host=db1;Database=wallboard;Username=wallboard)");
        }
        else
        {
            try
            {
                _ = new Npgsql.NpgsqlConnectionStringBuilder(options.PostgreSql);
            }
            catch (ArgumentException ex)
            {
                errors.Add($"{Prefix}PostgreSql is not an Npgsql connection string: {ex.Message}");
            }
        }

        if (!ClusterOptions.SafeName().IsMatch(options.Name ?? string.Empty))
        {
            errors.Add($"{Prefix}Name must be 1–64 letters, digits, '-' or '_' (it prefixes Redis keys), got '{options.Name}'");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < options.Partitions.Count; i++)
        {
            var partition = options.Partitions[i];
            if (!ClusterOptions.SafeName().IsMatch(partition ?? string.Empty))
            {
                errors.Add($"{Prefix}Partitions:{i} must be 1–64 letters, digits, '-' or '_' (it names a Redis stream), got '{partition}'");
            }
            else if (!seen.Add(partition!))
            {
                errors.Add($"{Prefix}Partitions:{i} '{partition}' is listed twice");
            }
        }

        if (!string.IsNullOrWhiteSpace(options.Partition) && !options.PartitionNames.Contains(options.Partition, StringComparer.Ordinal))
        {
            errors.Add($"{Prefix}Partition '{options.Partition}' is not one of {Prefix}Partitions ({string.Join(", ", options.PartitionNames)})");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
