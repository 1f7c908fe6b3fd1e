using System.Diagnostics;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Wallboard.Hub.Cluster;
using Wallboard.Hub.Hosting;
using Wallboard.Tests.Live;

namespace Wallboard.Tests.Cluster;

/// <summary>
/// A hub of a cluster: the real host (<see cref="WallboardHost.Build"/>) on Kestrel at a free port
/// of 127.0.0.1, on the test's Redis and PostgreSQL, its clock a <see cref="FakeTimeProvider"/> the
/// hubs of a test share (a tick of every core is the test moving it a cadence on).
/// </summary>
internal sealed class ClusterHub : IAsyncDisposable
{
    /// <summary>How long a test waits for something another hub, Redis or PostgreSQL does.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    private readonly string _root;

    private ClusterHub(WebApplication app, string root, string node)
    {
        App = app;
        _root = root;
        Node = node;
        BaseAddress = TestHost.BaseAddressOf(app);
    }

    public WebApplication App { get; }

    public string Node { get; }

    /// <summary>The hub's data folder (Storage:DataPath): its kept reports are under <c>reports</c>.</summary>
    public string DataFolder => Path.Combine(_root, "data");

    public Uri BaseAddress { get; }

    public ClusterNode Cluster => App.Services.GetRequiredService<ClusterNode>();

    /// <param name="node">The hub's name (Cluster:Node).</param>
    /// <param name="cluster">Cluster:Name, Redis and PostgreSQL of the test.</param>
    /// <param name="time">The clock the test's hubs share.</param>
    /// <param name="settings">Configuration keys, after the fixture's.</param>
    /// <param name="dashboards">Dashboard files to write.</param>
    public static Task<ClusterHub> StartAsync(
        string node,
        (string Name, string Redis, string PostgreSql) cluster,
        FakeTimeProvider time,
        IReadOnlyDictionary<string, string>? settings = null,
        params (string File, string Json)[] dashboards) =>
        StartAsync(node, cluster, time, settings, configure: null, dashboards);

    /// <param name="node">The hub's name (Cluster:Node).</param>
    /// <param name="cluster">Cluster:Name, Redis and PostgreSQL of the test.</param>
    /// <param name="time">The clock the test's hubs share.</param>
    /// <param name="settings">Configuration keys, after the fixture's.</param>
    /// <param name="configure">Replaces services before the host is built.</param>
    /// <param name="dashboards">Dashboard files to write.</param>
    public static async Task<ClusterHub> StartAsync(
        string node,
        (string Name, string Redis, string PostgreSql) cluster,
        FakeTimeProvider time,
        IReadOnlyDictionary<string, string>? settings,
        Action<WebApplicationBuilder>? configure,
        params (string File, string Json)[] dashboards)
    {
        var root = Path.Combine(Path.GetTempPath(), "wallboard-cluster-" + node + "-" + Guid.NewGuid().ToString("N"));
        var folder = Path.Combine(root, "dashboards");
        Directory.CreateDirectory(folder);
        foreach (var (file, json) in dashboards)
        {
            await File.WriteAllTextAsync(Path.Combine(folder, file), json);
        }

        var args = TestHost.Arguments(
            root,
            "Asia/Shanghai",
            settings,
            "--Cluster:Name=" + cluster.Name,
            "--Cluster:Node=" + node,
            "--Cluster:Redis=" + cluster.Redis,
            "--Cluster:PostgreSql=" + cluster.PostgreSql);
        var app = WallboardHost.Build([.. args], builder =>
        {
            builder.Services.AddSingleton<TimeProvider>(time);
            configure?.Invoke(builder);
        });
        await app.StartAsync();
        return new ClusterHub(app, root, node);
    }

    public T Service<T>()
        where T : notnull => App.Services.GetRequiredService<T>();

    public HttpClient Http() => TestHost.Client(BaseAddress, null);

    /// <summary>Posts queue_log lines (to <paramref name="partition"/> when named); the answer's status and body.</summary>
    public async Task<(System.Net.HttpStatusCode Status, string Body)> PostQueueLogAsync(string lines, string? partition = null, string? key = null)
    {
        using var http = Http();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("api/ingest/queue-log" + (partition is null ? string.Empty : "?partition=" + partition), UriKind.Relative))
        {
            Content = new StringContent(lines, Encoding.UTF8, "text/plain"),
        };
        if (key is not null)
        {
            request.Headers.Add("Idempotency-Key", key);
        }

        using var response = await http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Waits until this hub runs <paramref name="partition"/>'s core.</summary>
    public Task WaitRunningAsync(string partition) =>
        Until(() => Cluster.Runs(partition), $"{Node} to run the core of {partition}");

    /// <summary>Waits until the core of <paramref name="partition"/>, which this hub runs, has applied <paramref name="events"/> events.</summary>
    public Task WaitAppliedAsync(string partition, long events) =>
        Until(
            () => Cluster.Health.Running.Any(running => running.Partition == partition && running.EventsApplied >= events),
            $"{Node}'s core of {partition} to apply {events} events");

    /// <summary>A screen connected to this hub.</summary>
    public Task<ScreenClient> ConnectScreenAsync() => ScreenClient.ConnectAsync(BaseAddress, key: null);

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }

    /// <summary>Polls <paramref name="condition"/> (what another hub or server does has no event to wait on here) up to <see cref="Timeout"/>.</summary>
    public static async Task Until(Func<bool> condition, string what)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(Timeout.TotalSeconds * Stopwatch.Frequency);
        while (!condition())
        {
            Assert.True(Stopwatch.GetTimestamp() < deadline, $"timed out after {Timeout.TotalSeconds} s waiting for {what}");
            await Task.Delay(TimeSpan.FromMilliseconds(20), TimeProvider.System);
        }
    }

    /// <summary>Polls <paramref name="condition"/> up to <see cref="Timeout"/>.</summary>
    public static async Task Until(Func<Task<bool>> condition, string what)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(Timeout.TotalSeconds * Stopwatch.Frequency);
        while (!await condition())
        {
            Assert.True(Stopwatch.GetTimestamp() < deadline, $"timed out after {Timeout.TotalSeconds} s waiting for {what}");
            await Task.Delay(TimeSpan.FromMilliseconds(20), TimeProvider.System);
        }
    }
}
