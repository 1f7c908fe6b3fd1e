namespace Wallboard.Hub.Hosting;

/// <summary>The composition root of <c>wallboard serve</c>.</summary>
internal static class WallboardHost
{
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.Services.AddMetricsCore();

        var app = builder.Build();
        app.MapGet("/healthz", (MetricsCore core) => TypedResults.Ok(new { status = "ready", events = core.EventsApplied }));
        return app;
    }
}
