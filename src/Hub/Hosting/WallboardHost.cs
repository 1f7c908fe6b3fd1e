using Wallboard.Hub.History;
using Wallboard.Hub.Live;
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
        var builder = WebApplication.CreateBuilder(args);
        builder.Services.AddMetricsCore();
        builder.AddLiveWallboard();
        builder.Services.AddHistory(builder.Configuration).AddHistoryRecording();
        builder.Services.AddReports(builder.Configuration);
        configure?.Invoke(builder);

        var app = builder.Build();
        app.MapLiveWallboard();
        app.MapHistoryApi();
        app.MapReports();
        app.MapForecastApi();
        return app;
    }
}
