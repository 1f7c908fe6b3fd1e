using Wallboard.Hub.Operations;
using Wallboard.Hub.Durability;

namespace Wallboard.Hub.Hosting;

/// <summary>Registers the metrics core, its ingest channel, the ticker and the demo simulator.</summary>
internal static class CoreServiceCollectionExtensions
{
    public static IServiceCollection AddMetricsCore(this IServiceCollection services)
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
        services.AddSingleton<CoreTicker>();

        // Before the pump and the sources: their start waits for the checkpoint to be restored.
        services.AddHostedService(provider => provider.GetRequiredService<CheckpointService>());
        services.AddHostedService<MetricsPump>();
        services.AddHostedService(provider => provider.GetRequiredService<CoreTicker>());
        services.AddHostedService<DemoSimulator>();
        return services;
    }
}
