using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using Wallboard.Hub.History;
using Wallboard.Hub.Hosting;
using Wallboard.Hub.Operations;
using Wallboard.Hub.Reports;
using Wallboard.Metrics.History;

namespace Wallboard.Hub.Cluster;

internal static class ClusterServiceCollectionExtensions
{
    /// <summary>
    /// Registers the <c>Cluster</c> section (checked at start in every mode) and, when it names Redis
    /// and PostgreSQL, the cluster: sources into Redis streams, HTTP ingest into them, the cores run
    /// where their locks are held, the merged figures, the screens through the Redis backplane,
    /// history in PostgreSQL unless InfluxDB is configured, Hangfire and the sent-report ledger in
    /// PostgreSQL (docs/cluster.md).
    /// </summary>
    public static IServiceCollection AddCluster(this IServiceCollection services, bool enabled)
    {
        services.AddWallboardOptions<ClusterOptions>(ClusterOptions.Section);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ClusterOptions>, ClusterOptionsValidator>());
        if (!enabled)
        {
            return services;
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SourcesOptions>, ClusterSourcesValidator>());
        services.PostConfigure<SourcesOptions>(sources => sources.Demo ??= false);
        services.AddOptions<HangfireOptions>().PostConfigure<IOptions<ClusterOptions>, IConfiguration>((hangfire, cluster, configuration) =>
        {
            // Reports run once across the hubs: Hangfire keeps its jobs in the cluster's PostgreSQL.
            if (string.IsNullOrWhiteSpace(configuration[HangfireOptions.Section + ":Storage"]))
            {
                hangfire.Storage = "postgresql";
            }

            if (hangfire.UsesPostgreSql && string.IsNullOrWhiteSpace(hangfire.ConnectionString))
            {
                hangfire.ConnectionString = cluster.Value.PostgreSql;
            }
        });
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<HangfireOptions>, ClusterHangfireValidator>());

        services.AddSingleton(provider => new ClusterKeys(provider.GetRequiredService<IOptions<ClusterOptions>>().Value.Name));
        services.AddSingleton<ClusterConnections>();
        services.AddSingleton(provider =>
        {
            var log = ActivatorUtilities.CreateInstance<ClusterEventLog>(provider);
            log.UseSourcePartition(provider.GetRequiredService<IOptions<ClusterOptions>>().Value.OwnPartition);
            return log;
        });
        services.Replace(ServiceDescriptor.Singleton<ISourceLog>(provider => provider.GetRequiredService<ClusterEventLog>()));
        services.AddSingleton<ClusterIngest>();
        services.AddSingleton<ClusterView>();
        services.Replace(ServiceDescriptor.Singleton<ILiveFigures>(provider => provider.GetRequiredService<ClusterView>()));
        services.AddHostedService(provider => provider.GetRequiredService<ClusterView>());
        services.Replace(ServiceDescriptor.Singleton<IKpiHistoryStore>(provider =>
        {
            var history = provider.GetRequiredService<IOptions<HistoryOptions>>().Value;
            var centreZone = provider.GetRequiredService<IOptions<MetricsOptions>>().Value.TimeZone;
            return history.UsesInflux
                ? HistoryStores.Create(history, provider.GetRequiredService<DataFolder>(), centreZone, provider.GetRequiredService<TimeProvider>(), provider.GetRequiredService<ILoggerFactory>())
                : new PostgreSqlHistoryStore(
                    provider.GetRequiredService<ClusterConnections>().Data,
                    ClusterSchema.Schema,
                    rollups: HistoryStores.Rollups(HistoryStores.InDataFolder(history, provider.GetRequiredService<DataFolder>(), centreZone)));
        }));
        services.Replace(ServiceDescriptor.Singleton<IReportLedger, PostgreSqlReportLedger>());
        services.AddSingleton<PartitionServices>();
        services.AddSingleton<ClusterNode>();
        services.AddHostedService(provider => provider.GetRequiredService<ClusterNode>());
        services.AddHostedService<ClusterBroadcasts>();

        // Every push to a screen group goes through Redis, so a screen on any hub gets it.
        services.AddSignalR().AddStackExchangeRedis(signalR =>
        {
            // Options are not built yet here: the configuration comes through the connection factory below.
        });
        services.AddOptions<Microsoft.AspNetCore.SignalR.StackExchangeRedis.RedisOptions>()
            .Configure<IOptions<ClusterOptions>, ClusterKeys>((redis, cluster, keys) =>
            {
                redis.Configuration = ClusterConnections.RedisConfiguration(cluster.Value.Redis!, cluster.Value.NodeName + "-backplane");
                redis.Configuration.ChannelPrefix = RedisChannel.Literal(keys.Backplane);
            });
        return services;
    }
}

/// <summary>In a cluster the demo simulator does not run: it feeds one server's core, and the cores here are the partitions'.</summary>
internal sealed class ClusterSourcesValidator : IValidateOptions<SourcesOptions>
{
    public ValidateOptionsResult Validate(string? name, SourcesOptions options) =>
        options?.Demo == true
            ? ValidateOptionsResult.Fail($"{SourcesOptions.Section}:Demo: the demo simulator runs on a single server only; this hub is in a cluster ({ClusterOptions.Section}:Redis and {ClusterOptions.Section}:PostgreSql are set)")
            : ValidateOptionsResult.Success;
}

/// <summary>A cluster's scheduled reports must run from shared storage, or each hub would send them.</summary>
internal sealed class ClusterHangfireValidator : IValidateOptions<HangfireOptions>
{
    public ValidateOptionsResult Validate(string? name, HangfireOptions options) =>
        options?.UsesPostgreSql == false
            ? ValidateOptionsResult.Fail($"{HangfireOptions.Section}:Storage: a cluster's reports run through Hangfire on PostgreSQL (once across the hubs); remove {HangfireOptions.Section}:Storage or set it to postgresql, got '{options.Storage}'")
            : ValidateOptionsResult.Success;
}
