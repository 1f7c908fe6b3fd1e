using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Options;
using Wallboard.Hub.Hosting;
using Wallboard.Hub.Live.Access;
using Wallboard.Hub.Live.Dashboards;
using Wallboard.Hub.Live.Ingest;
using Wallboard.Hub.Live.Screens;
using Wallboard.Hub.Operations;

namespace Wallboard.Hub.Live;

/// <summary>Configuration section <c>Web</c>: the floor page's folder.</summary>
internal sealed class WebOptions
{
    public const string Section = "Web";

    /// <summary>A folder that replaces the page shipped beside the executable; empty for the shipped one.</summary>
    public string? Path { get; set; }

    public string Folder => string.IsNullOrWhiteSpace(Path) ? ContentPaths.BuiltIn("web") : ContentPaths.Configured(Path);
}

/// <summary>The live wallboard: access, dashboards, the screens' hub, ingest, the live API and the page.</summary>
internal static class LiveWallboardExtensions
{
    /// <summary>Where the demo listens when no URL is configured.</summary>
    public const string DefaultUrl = "http://127.0.0.1:5000";

    public static WebApplicationBuilder AddLiveWallboard(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddWallboardAccess();
        services.AddWallboardOptions<DashboardsOptions>(DashboardsOptions.Section);
        services.AddWallboardOptions<IngestOptions>(IngestOptions.Section);
        services.AddWallboardOptions<AlertsOptions>(AlertsOptions.Section);
        services.AddSingleton<IValidateOptions<AlertsOptions>, AlertsOptionsValidator>();
        services.AddWallboardOptions<WebOptions>(WebOptions.Section);
        services.AddHttpClient(AlertWebhook.ClientName);

        services.AddSingleton<DashboardCatalog>();
        services.AddHostedService(provider => provider.GetRequiredService<DashboardCatalog>());
        services.AddSingleton<BroadcastStore>();
        services.AddSingleton<AlertWebhook>();
        services.AddHostedService(provider => provider.GetRequiredService<AlertWebhook>());
        services.AddSingleton<Staffing.ForecastStrip>();
        services.AddHostedService(provider => provider.GetRequiredService<Staffing.ForecastStrip>());
        services.AddSingleton<LiveBroadcaster>();
        services.AddSingleton<ICoreTickSubscriber>(provider => provider.GetRequiredService<LiveBroadcaster>());
        services.AddSingleton<IngestServices>();
        services.AddSingleton<ISourceLog, CoreSourceLog>();
        services.AddSingleton<FileSources>();
        services.AddHostedService(provider => provider.GetRequiredService<FileSources>());
        services.AddHostedService<StartupCheck>();
        services.AddSignalR(options =>
        {
            // Screens only call JoinDashboard; nothing they send needs more.
            options.MaximumReceiveMessageSize = 4 * 1024;
        });

        if (string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey]) && !builder.Configuration.GetSection("Kestrel:Endpoints").Exists())
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        // Request-start lines carry the query string, and screens send their key as access_token
        // there: keep those lines out of the log whatever the configured levels.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", level => level >= LogLevel.Warning);

        // Checked before anything binds: Kestrel listens on every configured address before the
        // hosted services' start (StartupCheck) could refuse, so an open demo would be reachable on
        // 0.0.0.0 for a moment.
        var access = builder.Configuration.GetSection(AccessOptions.Section).Get<AccessOptions>() ?? new AccessOptions();
        if (!access.HasKeys && LoopbackGuard.NonLoopback(LoopbackGuard.ConfiguredAddresses(builder.Configuration)) is { Count: > 0 } open)
        {
            throw new InsecureBindException(StartupCheck.RefusalMessage(open));
        }

        return builder;
    }

    public static WebApplication MapLiveWallboard(this WebApplication app)
    {
        var web = app.Services.GetRequiredService<IOptions<WebOptions>>().Value.Folder;
        if (Directory.Exists(web))
        {
            var files = new PhysicalFileProvider(web);
            app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
            app.UseStaticFiles(new StaticFileOptions { FileProvider = files });
        }

        // SignalR closes its connections when the application starts stopping, and screens reconnect at
        // once: one that got in after that kept the web host waiting the whole shutdown timeout (30 s).
        var stopping = app.Lifetime.ApplicationStopping;
        app.Use((context, next) =>
        {
            if (stopping.IsCancellationRequested && context.Request.Path.StartsWithSegments("/hubs", StringComparison.Ordinal))
            {
                context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                return Task.CompletedTask;
            }

            return next(context);
        });
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapHub<WallboardHub>("/hubs/wallboard", options =>
        {
            // What waits for one screen is bounded: beyond it, that screen's writes wait, not the others'.
            options.ApplicationMaxBufferSize = 64 * 1024;
            options.TransportMaxBufferSize = 256 * 1024;
        });
        app.MapIngest();
        app.MapLiveApi();
        return app;
    }
}

/// <summary>
/// After the server has bound its addresses: refuses to run without keys on anything but loopback
/// (the start fails, so <c>serve</c> exits non-zero), then prints where the wallboard is.
/// </summary>
internal sealed partial class StartupCheck(
    IServer server,
    ApiKeyRing keys,
    IOptions<SourcesOptions> sources,
    IOptions<WebOptions> web,
    DashboardCatalog catalog,
    DataFolder data,
    ILogger<StartupCheck> logger) : IHostedLifecycleService
{
    public static string RefusalMessage(IEnumerable<string> urls) =>
        $"No API keys are configured (section Access), so the wallboard is an open demo and may listen on loopback only, not on {string.Join(", ", urls)}. Configure keys (Access:Viewer, Access:Ingest, …) or listen on 127.0.0.1.";

    public Task StartedAsync(CancellationToken cancellationToken)
    {
        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        if (!keys.HasKeys && LoopbackGuard.NonLoopback(addresses) is { Count: > 0 } open)
        {
            throw new InsecureBindException(RefusalMessage(open));
        }

        var options = sources.Value;
        foreach (var address in addresses)
        {
            var url = address.TrimEnd('/') + "/";
            Log.Address(logger, url);
        }

        if (options.DemoEnabled)
        {
            Log.Demo(logger);
        }
        else
        {
            var list = string.Join(", ", options.QueueLogs.Append(options.Cdr ?? string.Empty).Where(source => source.Length > 0).DefaultIfEmpty("HTTP ingest only"));
            Log.Sources(logger, list);
        }

        var access = keys.HasKeys ? "API keys required" : "no keys configured: loopback only, everything open";
        Log.Access(logger, access);
        Log.Dashboards(logger, catalog.Current.Count, catalog.Folder, catalog.Errors.Count);
        var page = web.Value.Folder;
        if (File.Exists(Path.Combine(page, "index.html")))
        {
            Log.Page(logger, page);
        }
        else
        {
            Log.NoPage(logger, page);
        }

        Log.Data(logger, data.Root);
        return Task.CompletedTask;
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static partial class Log
    {
        [LoggerMessage(EventId = 600, Level = LogLevel.Information, Message = "Wallboard: {Address}")]
        public static partial void Address(ILogger logger, string address);

        [LoggerMessage(EventId = 601, Level = LogLevel.Information, Message = "Demo mode: simulator running")]
        public static partial void Demo(ILogger logger);

        [LoggerMessage(EventId = 602, Level = LogLevel.Information, Message = "Sources: {Sources}")]
        public static partial void Sources(ILogger logger, string sources);

        [LoggerMessage(EventId = 603, Level = LogLevel.Information, Message = "Access: {Access}")]
        public static partial void Access(ILogger logger, string access);

        [LoggerMessage(EventId = 604, Level = LogLevel.Information, Message = "Dashboards: {Count} from {Folder} ({Errors} errors)")]
        public static partial void Dashboards(ILogger logger, int count, string folder, int errors);

        [LoggerMessage(EventId = 605, Level = LogLevel.Information, Message = "Page: {Folder}")]
        public static partial void Page(ILogger logger, string folder);

        [LoggerMessage(EventId = 606, Level = LogLevel.Warning, Message = "No page at {Folder} (no index.html): / answers 404. Set Web:Path, or publish with dotnet publish, which ships web/")]
        public static partial void NoPage(ILogger logger, string folder);

        [LoggerMessage(EventId = 607, Level = LogLevel.Information, Message = "Data: {Folder}")]
        public static partial void Data(ILogger logger, string folder);
    }
}
