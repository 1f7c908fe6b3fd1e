using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Wallboard.Hub.Operations;
using Wallboard.Metrics.History;

namespace Wallboard.Hub.History;

internal static class HistoryServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="HistoryOptions"/> (section <c>History</c>, validated at start), the
    /// history store chosen by configuration (InfluxDB when <c>History:InfluxUrl</c> is set, else
    /// SQLite at <c>History:SqlitePath</c>), the spool retry loop and <see cref="HistoryStatus"/>.
    /// </summary>
    public static IServiceCollection AddHistory(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddWallboardOptions<HistoryOptions>(HistoryOptions.SectionName);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<HistoryOptions>, HistoryOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<IKpiHistoryStore>(provider => HistoryStores.Create(
            provider.GetRequiredService<IOptions<HistoryOptions>>().Value,
            provider.GetRequiredService<Hosting.DataFolder>(),
            provider.GetRequiredService<IOptions<Hosting.MetricsOptions>>().Value.TimeZone,
            provider.GetRequiredService<TimeProvider>(),
            provider.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance));
        services.AddSingleton<HistoryStatus>();
        services.AddHostedService<HistorySpoolRetryHost>();
        services.AddHostedService<HistoryRollupBuildHost>();
        services.AddProblemDetails();
        return services;
    }
}

internal static class HistoryRecordingExtensions
{
    /// <summary>Makes the server's core write its 15-minute intervals to the store and reload them after a restart.</summary>
    /// <param name="services">The host's services.</param>
    /// <param name="runsCore">False in a cluster, where each partition's core writes its own history (docs/cluster.md).</param>
    public static IServiceCollection AddHistoryRecording(this IServiceCollection services, bool runsCore = true)
    {
        services.AddSingleton<HistoryTickWriter>();
        if (!runsCore)
        {
            return services;
        }

        services.AddSingleton<Hosting.ICoreTickSubscriber>(provider => provider.GetRequiredService<HistoryTickWriter>());
        services.AddHostedService(provider => provider.GetRequiredService<HistoryTickWriter>());
        services.AddSingleton<Hosting.ICoreInitializer, HistorySeeder>();
        return services;
    }
}

/// <summary>Creates the store the configuration asks for; shared by the host and <c>wallboard import</c>.</summary>
internal static class HistoryStores
{
    /// <summary>The store of <paramref name="options"/>, its files (SQLite, the InfluxDB spool) in <paramref name="data"/> unless their paths are absolute.</summary>
    public static IKpiHistoryStore Create(HistoryOptions options, Hosting.DataFolder data, string centreZone, TimeProvider time, ILoggerFactory loggers) =>
        Create(InDataFolder(options, data, centreZone), time, loggers);

    /// <summary>The store of <paramref name="resolved"/>, whose paths and roll-up zones <see cref="InDataFolder"/> has settled.</summary>
    public static IKpiHistoryStore Create(HistoryOptions resolved, TimeProvider time, ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(resolved);
        var rollups = Rollups(resolved);
        return resolved.UsesInflux
            ? new InfluxHistoryStore(resolved, time, loggers.CreateLogger<InfluxHistoryStore>(), rollups)
            : new SqliteHistoryStore(resolved.SqlitePath, rollups, loggers.CreateLogger<SqliteHistoryStore>());
    }

    /// <summary>The roll-ups for <c>History:RollupZones</c> (<see cref="InDataFolder"/> fills in the default).</summary>
    public static StoredRollups Rollups(HistoryOptions resolved)
    {
        ArgumentNullException.ThrowIfNull(resolved);
        var zones = resolved.RollupZones is { Length: > 0 } listed ? listed : [resolved.TimeZone];
        return StoredRollups.For(zones.Select(NodaTime.DateTimeZoneProviders.Tzdb.GetZoneOrNull).OfType<NodaTime.DateTimeZone>());
    }

    /// <summary>
    /// A copy of <paramref name="options"/> whose file paths are absolute, their folders created and
    /// checked writable, and whose roll-up zones are set: when none are configured,
    /// <c>History:TimeZone</c> and the centre's zone <paramref name="centreZone"/> (<c>Metrics:TimeZone</c>).
    /// </summary>
    public static HistoryOptions InDataFolder(HistoryOptions options, Hosting.DataFolder data, string centreZone)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(data);
        var resolved = options.Copy();
        if (resolved.RollupZones is not { Length: > 0 })
        {
            resolved.RollupZones = [.. new[] { options.TimeZone, centreZone }.Distinct(StringComparer.Ordinal)];
        }

        if (resolved.UsesInflux)
        {
            resolved.SpoolPath = data.Folder(HistoryOptions.SectionName + ":SpoolPath", options.SpoolPath);
        }
        else
        {
            resolved.SqlitePath = data.File(HistoryOptions.SectionName + ":SqlitePath", options.SqlitePath);
        }

        return resolved;
    }
}

/// <summary>What /healthz shows of history: which store, and how much waits in the InfluxDB spool.</summary>
internal sealed class HistoryStatus(IKpiHistoryStore store)
{
    public HistoryStatusSnapshot Snapshot() => store switch
    {
        InfluxHistoryStore influx => new HistoryStatusSnapshot("influxdb", influx.Spool.BacklogPoints, influx.Spool.BacklogBytes, influx.Spool.DroppedPoints, null),
        SqliteHistoryStore sqlite => new HistoryStatusSnapshot("sqlite", 0, 0, 0, sqlite.Problem),
        Cluster.PostgreSqlHistoryStore postgreSql => new HistoryStatusSnapshot("postgresql", 0, 0, 0, postgreSql.Problem),
        _ => new HistoryStatusSnapshot("other", 0, 0, 0, null),
    };
}

/// <param name="Store"><c>influxdb</c> or <c>sqlite</c>.</param>
/// <param name="BacklogPoints">Points spooled, waiting for InfluxDB.</param>
/// <param name="BacklogBytes">Size of the spool on disk.</param>
/// <param name="DroppedPoints">Points dropped since start because the spool was full.</param>
/// <param name="Problem">What makes the store unhealthy (its file deleted or replaced while in use); null when nothing does.</param>
internal sealed record HistoryStatusSnapshot(string Store, long BacklogPoints, long BacklogBytes, long DroppedPoints, string? Problem);

/// <summary>Runs the spool retry loop when the configured store is InfluxDB; does nothing for SQLite.</summary>
internal sealed class HistorySpoolRetryHost(IKpiHistoryStore store) : Microsoft.Extensions.Hosting.BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (store is not InfluxHistoryStore influx)
        {
            return;
        }

        try
        {
            await influx.RunSpoolRetryAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: what is still spooled stays on disk for the next start.
        }
    }
}

/// <summary>
/// Builds, beside the running server, the roll-ups a store does not have complete yet (the first
/// start on a data folder or database from before roll-ups, or after a zone was added to
/// <c>History:RollupZones</c>); queries read the 15-minute points meanwhile.
/// </summary>
internal sealed partial class HistoryRollupBuildHost(IKpiHistoryStore store, ILogger<HistoryRollupBuildHost> logger) : Microsoft.Extensions.Hosting.BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (store is not IHistoryRollupBuilder builder)
        {
            return;
        }

        // Off the start-up path: a year of history takes a while to roll up.
        await Task.Yield();
        try
        {
            await builder.BuildRollupsAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: the next start builds what is still incomplete.
        }
        catch (Exception ex) when (ex is InfluxException or HttpRequestException or Microsoft.Data.Sqlite.SqliteException or Npgsql.NpgsqlException or IOException or TaskCanceledException)
        {
            Log.BuildFailed(logger, string.Join(", ", builder.IncompleteRollups), ex);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 412, Level = LogLevel.Warning, Message = "History roll-ups {Rollups} could not be built now; queries read the 15-minute points, and the next start tries again")]
        public static partial void BuildFailed(ILogger logger, string rollups, Exception exception);
    }
}
