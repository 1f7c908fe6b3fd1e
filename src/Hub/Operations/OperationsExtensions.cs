using Microsoft.Extensions.Logging.Console;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using Wallboard.Hub.Live.Access;

namespace Wallboard.Hub.Operations;

/// <summary>The operator's view: <c>/metrics</c>, logs as a service writes them, readiness under systemd.</summary>
internal static class OperationsExtensions
{
    public const string MetricsPath = "/metrics";

    public static WebApplicationBuilder AddOperations(this WebApplicationBuilder builder)
    {
        var services = builder.Services;

        // Under systemd (Type=notify) the service is ready once the host has started; elsewhere this does nothing.
        services.AddSystemd();

        // AddSystemd makes the console write journald's format; a format chosen in configuration
        // (Logging:Console:FormatterName = json, for a log collector) still wins.
        var configuration = builder.Configuration;
        services.PostConfigure<ConsoleLoggerOptions>(options =>
        {
            if (configuration["Logging:Console:FormatterName"] is { Length: > 0 } formatter)
            {
                options.FormatterName = formatter;
            }
        });

        services.AddSingleton<WallboardMetrics>();
        services.AddSingleton<ServerGauges>();
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("wallboard", serviceVersion: BuildInfo.Version))
            .WithMetrics(metrics => metrics
                .AddMeter(WallboardMetrics.MeterName)
                .AddAspNetCoreInstrumentation()
                // Every scrape reads the figures as they are now (Prometheus scrapes every 15 s or so; nothing to save).
                .AddPrometheusExporter(options => options.ScrapeResponseCacheDurationMilliseconds = 0));
        return builder;
    }

    /// <summary>
    /// <c>/metrics</c> in Prometheus' text format, for the admin role (with no keys configured the
    /// server is a demo on loopback, where every caller holds every role).
    /// </summary>
    public static WebApplication MapOperations(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        _ = app.Services.GetRequiredService<ServerGauges>();
        app.MapPrometheusScrapingEndpoint(MetricsPath).RequireAuthorization(WallboardPolicies.Admin);
        return app;
    }
}
