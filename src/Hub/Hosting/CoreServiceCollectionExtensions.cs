using Wallboard.Hub.Operations;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Wallboard.Hub.Durability;

namespace Wallboard.Hub.Hosting;

/// <summary>Registers the metrics core, its ingest channel, the ticker and the demo simulator.</summary>
internal static class CoreServiceCollectionExtensions
{
    /// <param name="services">The host's services.</param>
    /// <param name="runsCore">
    /// False in a cluster (docs/cluster.md): the hub's sources feed Redis streams and each partition's
    /// core runs where its lock is held, so the local core's checkpoint, pump, ticker and the demo do not run.
    /// </param>
    public static IServiceCollection AddMetricsCore(this IServiceCollection services, bool runsCore = true)
    {
        services.AddWallboardOptions<MetricsOptions>(MetricsOptions.Section);
        services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<MetricsOptions>, MetricsOptionsValidator>();
        services.AddWallboardOptions<Staffing.StaffingOptions>(Staffing.StaffingOptions.Section);
        services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<Staffing.StaffingOptions>, Staffing.StaffingOptionsValidator>();
        services.AddSingleton<Staffing.RotaSource>();
        services.AddSingleton<Staffing.ForecastService>();
        services.AddWallboardOptions<SourcesOptions>(SourcesOptions.Section);
        services.AddSingleton(TimeProvider.System);
        services.AddWallboardOptions<Names.DirectoryOptions>(Names.DirectoryOptions.Section);
        services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<Names.DirectoryOptions>, Names.DirectoryOptionsValidator>();
        services.AddSingleton<Names.DirectoryService>();
        services.AddHostedService(provider => provider.GetRequiredService<Names.DirectoryService>());
        // The definitions (formula, thresholds, rings) for everything that computes KPIs from stored counters.
        services.AddSingleton(provider => provider.GetRequiredService<Microsoft.Extensions.Options.IOptions<MetricsOptions>>().Value.ToKpiOptions(Wallboard.Metrics.Calendar.IntervalLength.FifteenMinutes));
        services.AddSingleton<IngestChannel>();
        services.AddDurability();
        services.AddSingleton<MetricsCore>();
        services.TryAddSingleton<ILiveFigures>(provider => provider.GetRequiredService<MetricsCore>());
        services.AddSingleton<CoreTicker>();

        if (!runsCore)
        {
            return services;
        }

        // Before the pump and the sources: their start waits for the checkpoint to be restored.
        services.AddHostedService(provider => provider.GetRequiredService<CheckpointService>());
        services.AddHostedService<MetricsPump>();
        services.AddHostedService(provider => provider.GetRequiredService<CoreTicker>());
        services.AddHostedService<DemoSimulator>();
        return services;
    }
}
