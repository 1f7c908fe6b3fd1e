using Wallboard.Hub.Cluster;
using Wallboard.Hub.History;
using Wallboard.Hub.Live;
using Wallboard.Hub.Operations;
using Wallboard.Hub.Reports;
using Wallboard.Hub.Staffing;

namespace Wallboard.Hub.Hosting;

/// <summary>The composition root of <c>wallboard serve</c>.</summary>
internal static class WallboardHost
{
    /// <param name="args">ASP.NET Core arguments (<c>--urls</c>, configuration keys).</param>
    /// <param name="configure">Lets tests and the load test replace services (the clock) before the host is built.</param>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        // appsettings.json ships beside the executable: found from any working directory (a service runs from /).
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        // Decided before anything is registered: a cluster's hubs run no local core (docs/cluster.md).
        var cluster = ClusterOptions.IsEnabled(builder.Configuration);
        builder.AddOperations();
        builder.Services.AddDataFolder();
        builder.Services.AddMetricsCore(runsCore: !cluster);
        builder.AddLiveWallboard();
        builder.Services.AddHistory(builder.Configuration).AddHistoryRecording(runsCore: !cluster);
        builder.Services.AddReports(builder.Configuration);
        builder.Services.AddCluster(cluster);
        configure?.Invoke(builder);

        var app = builder.Build();
        // Before anything reads its options: every owned section against its options type (Operations/WallboardOptions.cs).
        ConfigurationCheck.ThrowIfInvalid(app.Configuration, app.Services.GetServices<OwnedSection>());
        // Every section's validators at once, before a service reads one section's options and fails alone.
        app.Services.GetService<Microsoft.Extensions.Options.IStartupValidator>()?.Validate();
        // Created and checked now, so a folder this user cannot write stops the start with one line.
        _ = app.Services.GetRequiredService<DataFolder>();
        app.MapOperations();
        app.MapLiveWallboard();
        app.MapHistoryApi();
        app.MapReports();
        app.MapForecastApi();
        return app;
    }
}
