using System.Globalization;
using System.Text;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Wallboard.Hub.Hosting;
using Wallboard.Hub.Live.Dashboards;
using Wallboard.Hub.Live.Screens;

namespace Wallboard.Tests.Live;

/// <summary>
/// The real host (<see cref="WallboardHost.Build"/>) on Kestrel at 127.0.0.1:0, demo off, on a
/// fake clock that stands still unless a test moves it; ticks are driven by hand.
/// </summary>
internal sealed class LiveServer : IAsyncDisposable
{
    /// <summary>2026-05-04 10:00 in Asia/Shanghai (02:00 UTC): every event of the tests is "today".</summary>
    public static readonly DateTimeOffset Now = new(2026, 5, 4, 2, 0, 0, TimeSpan.Zero);

    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    private readonly string _root;
    private readonly IReadOnlyDictionary<string, string>? _settings;
    private readonly Action<WebApplicationBuilder>? _configure;

    private LiveServer(WebApplication app, FakeTimeProvider time, string root, string dashboards, IReadOnlyDictionary<string, string>? settings, Action<WebApplicationBuilder>? configure)
    {
        App = app;
        Time = time;
        _root = root;
        _settings = settings;
        _configure = configure;
        DashboardFolder = dashboards;
        BaseAddress = TestHost.BaseAddressOf(app);
    }

    /// <summary>The folder every file of this server is under (kept across <see cref="RestartAsync"/>).</summary>
    public string Root => _root;

    public WebApplication App { get; }

    public FakeTimeProvider Time { get; }

    public Uri BaseAddress { get; }

    /// <summary>A folder named <c>dashboards</c> so errors read <c>dashboards/file.json</c>.</summary>
    public string DashboardFolder { get; }

    public static long UnixSeconds(int secondsBeforeNow) => Now.ToUnixTimeSeconds() - secondsBeforeNow;

    public static Task<LiveServer> StartAsync(IReadOnlyDictionary<string, string>? settings = null, params (string File, string Json)[] dashboards) =>
        StartAsync(settings, configure: null, dashboards);

    /// <param name="settings">Configuration keys, after the fixture's.</param>
    /// <param name="configure">Replaces services (a store) before the host is built.</param>
    /// <param name="dashboards">Dashboard files to write.</param>
    public static async Task<LiveServer> StartAsync(IReadOnlyDictionary<string, string>? settings, Action<WebApplicationBuilder>? configure, params (string File, string Json)[] dashboards)
    {
        var root = Path.Combine(Path.GetTempPath(), "wallboard-live-" + Guid.NewGuid().ToString("N"));
        var folder = Path.Combine(root, "dashboards");
        Directory.CreateDirectory(folder);
        foreach (var (file, json) in dashboards)
        {
            await File.WriteAllTextAsync(Path.Combine(folder, file), json);
        }

        return await StartInAsync(root, settings, configure, new FakeTimeProvider(Now));
    }

    /// <summary>
    /// Stops this server as a service manager would (SIGTERM: the host's graceful stop) and starts a
    /// new one on the same folder and settings, its clock where this one's stood.
    /// </summary>
    public async Task<LiveServer> RestartAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
        return await StartInAsync(_root, _settings, _configure, new FakeTimeProvider(Time.GetUtcNow()));
    }

    private static async Task<LiveServer> StartInAsync(string root, IReadOnlyDictionary<string, string>? settings, Action<WebApplicationBuilder>? configure, FakeTimeProvider time)
    {
        var args = TestHost.Arguments(root, "Asia/Shanghai", settings);
        var app = WallboardHost.Build([.. args], builder =>
        {
            builder.Services.AddSingleton<TimeProvider>(time);
            configure?.Invoke(builder);
        });
        await app.StartAsync();
        return new LiveServer(app, time, root, Path.Combine(root, "dashboards"), settings, configure);
    }

    public T Service<T>()
        where T : notnull => App.Services.GetRequiredService<T>();

    public HttpClient Http(string? key = null) => TestHost.Client(BaseAddress, key);

    /// <summary>Posts queue_log lines and waits until the core has applied every event of the server so far.</summary>
    public async Task<IngestAnswer> PostQueueLogAsync(string lines, string? key = null)
    {
        using var http = Http(key);
        using var content = new StringContent(lines, Encoding.UTF8, "text/plain");
        using var response = await http.PostAsync(new Uri("api/ingest/queue-log", UriKind.Relative), content);
        response.EnsureSuccessStatusCode();
        var answer = (await System.Net.Http.Json.HttpContentJsonExtensions.ReadFromJsonAsync<IngestAnswer>(response.Content))!;
        await WhenAllAppliedAsync();
        return answer;
    }

    public Task WhenAllAppliedAsync() =>
        Service<MetricsCore>().WhenAppliedAsync(Service<IngestChannel>().Accepted).WaitAsync(Timeout);

    /// <summary>One tick of the core: what a second of the ticker's timer does.</summary>
    public Task TickAsync() => Service<CoreTicker>().TickAsync(CancellationToken.None);

    public Task<ScreenClient> ConnectAsync(string? key = null) => ScreenClient.ConnectAsync(BaseAddress, key);

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }

    public static string Lines(params string[] lines) => string.Join('\n', lines) + "\n";

    public static string QueueLog(int secondsBeforeNow, string call, string queue, string agent, string verb, params object[] data) =>
        string.Create(CultureInfo.InvariantCulture, $"{UnixSeconds(secondsBeforeNow)}|{call}|{queue}|{agent}|{verb}|{string.Join('|', data)}");
}

internal sealed record IngestAnswer(long Accepted, long Rejected, long Ignored, long Unknown, IReadOnlyList<IngestAnswerError> Errors);

internal sealed record IngestAnswerError(long Line, string Message);

/// <summary>A screen: a hub connection whose pushed messages are queued per message name.</summary>
internal sealed class ScreenClient : IAsyncDisposable
{
    public ScreenClient(HubConnection connection)
    {
        Connection = connection;
        connection.On<TileValue[]>("tiles", tiles => Tiles.Writer.TryWrite(tiles));
        connection.On<QueueRow[]>("queues", rows => Queues.Writer.TryWrite(rows));
        connection.On<AgentRow[]>("agents", rows => Agents.Writer.TryWrite(rows));
        connection.On<string[]>("agentsRemoved", agents => Removed.Writer.TryWrite(agents));
        connection.On<BroadcastMessage?>("broadcast", message => Broadcasts.Writer.TryWrite(message));
        connection.On<AlertMessage>("alert", alert => Alerts.Writer.TryWrite(alert));
        connection.On<Dashboard>("layout", dashboard => Layouts.Writer.TryWrite(dashboard));
        connection.On<WaitingCall[]>("waiting", calls => Waiting.Writer.TryWrite(calls));
    }

    public HubConnection Connection { get; }

    public Channel<TileValue[]> Tiles { get; } = Channel.CreateUnbounded<TileValue[]>();

    public Channel<QueueRow[]> Queues { get; } = Channel.CreateUnbounded<QueueRow[]>();

    public Channel<AgentRow[]> Agents { get; } = Channel.CreateUnbounded<AgentRow[]>();

    public Channel<string[]> Removed { get; } = Channel.CreateUnbounded<string[]>();

    public Channel<BroadcastMessage?> Broadcasts { get; } = Channel.CreateUnbounded<BroadcastMessage?>();

    public Channel<AlertMessage> Alerts { get; } = Channel.CreateUnbounded<AlertMessage>();

    public Channel<Dashboard> Layouts { get; } = Channel.CreateUnbounded<Dashboard>();

    public Channel<WaitingCall[]> Waiting { get; } = Channel.CreateUnbounded<WaitingCall[]>();

    /// <summary>A screen connected to the server at <paramref name="baseAddress"/>, with an API key when one is given.</summary>
    public static async Task<ScreenClient> ConnectAsync(Uri baseAddress, string? key)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(baseAddress, "hubs/wallboard"), options =>
            {
                if (key is not null)
                {
                    options.AccessTokenProvider = () => Task.FromResult<string?>(key);
                }
            })
            .Build();
        var client = new ScreenClient(connection);
        await connection.StartAsync().WaitAsync(LiveServer.Timeout);
        return client;
    }

    public static Task<T> NextAsync<T>(Channel<T> channel) => channel.Reader.ReadAsync().AsTask().WaitAsync(LiveServer.Timeout);

    public Task<DashboardState> JoinAsync(string dashboardId) =>
        Connection.InvokeAsync<DashboardState>("JoinDashboard", dashboardId).WaitAsync(LiveServer.Timeout);

    public ValueTask DisposeAsync() => Connection.DisposeAsync();
}

/// <summary>Dashboards used by the tests.</summary>
internal static class TestDashboards
{
    public const string Sales = """
        {
          "id": "sales-floor",
          "name": { "en": "Sales floor", "zh-CN": "销售大厅" },
          "queues": ["sales"],
          "tiles": [
            { "id": "offered", "title": "Offered today", "kpi": "offered", "window": "today", "format": "number" },
            { "id": "sl", "title": "Service level today", "kpi": "service_level", "window": "today", "format": "percent", "target": 0.8,
              "thresholds": { "direction": "below", "amber": 0.8, "red": 0.7 } },
            { "id": "waiting", "title": "Calls waiting", "kpi": "calls_waiting", "window": "live", "format": "number",
              "thresholds": { "direction": "above", "amber": 3, "red": 6 } },
            { "id": "asa", "title": "ASA today", "kpi": "asa_seconds", "window": "today", "format": "duration" },
            { "id": "abandon-rate", "title": "Abandon rate today", "kpi": "abandon_rate", "window": "today", "format": "percent" }
          ],
          "queueTable": { "window": "today", "kpis": ["calls_waiting", "offered", "service_level"] },
          "agentBoard": { "teams": [], "states": ["available", "ringing", "on_call", "wrap_up", "paused"] }
        }
        """;

    public const string Support = """
        {
          "id": "support-floor",
          "name": "Support floor",
          "queues": ["support"],
          "tiles": [
            { "id": "support-offered", "title": "Offered today", "kpi": "offered", "window": "today" }
          ]
        }
        """;
}
