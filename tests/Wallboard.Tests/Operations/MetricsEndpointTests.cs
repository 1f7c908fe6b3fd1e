using System.Globalization;
using System.Net;
using Wallboard.Tests.Live;
using static Wallboard.Tests.Live.LiveServer;

namespace Wallboard.Tests.Operations;

/// <summary>
/// The server's meter is found by name by every OpenTelemetry host in the process, so a test that
/// reads exact counts runs alone, after the parallel ones.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MeteredHost
{
    public const string Name = "metered host";
}

/// <summary><c>/metrics</c>: Prometheus text from OpenTelemetry, checked by Debian's promtool, for admins only.</summary>
[Collection(MeteredHost.Name)]
public sealed class MetricsEndpointTests
{
    public const string Promtool = "/usr/bin/promtool";
    private const string Admin = "admin-key-0123456789", Viewer = "viewer-key-0123456789", Ingest = "ingest-key-0123456789";

    private static readonly Dictionary<string, string> Keys = new()
    {
        ["Access:Admin:0"] = Admin,
        ["Access:Viewer:0"] = Viewer,
        ["Access:Ingest:0"] = Ingest,
    };

    [Fact]
    public async Task MetricsCountEventsRejectsScreensPushesAndHistoryAndPassPromtool()
    {
        await using var server = await LiveServer.StartAsync(Keys, ("sales.json", TestDashboards.Sales));
        // Two events and one malformed line; the newest event is 50 s old on the server's clock.
        await server.PostQueueLogAsync(
            Lines(
                QueueLog(60, "c1", "sales", "NONE", "ENTERQUEUE", string.Empty, "13800000001", 1),
                "abc|c2|sales|NONE|ENTERQUEUE||1|1",
                QueueLog(50, "c1", "sales", "SIP/1001", "CONNECT", 10, "c1-b", 2)),
            Ingest);
        await using var screen = await server.ConnectAsync(Viewer);
        await screen.JoinAsync("sales-floor");
        await server.TickAsync();
        // History is written beside the tick, not inside it.
        await server.Service<Wallboard.Hub.History.HistoryTickWriter>().Writing;

        var text = await ScrapeAsync(server, Admin);

        var (exit, promtoolSays) = await PromtoolCheckAsync(text);
        Assert.True(exit == 0 && promtoolSays.Length == 0, $"promtool check metrics: exit {exit}: {promtoolSays}");
        Assert.Equal(2, Value(text, "wallboard_ingest_events_total", "source=\"queue-log\""));
        Assert.Equal(1, Value(text, "wallboard_ingest_rejected_total", "source=\"queue-log\""));
        Assert.Equal(1, Value(text, "wallboard_screens_connected"));
        Assert.Equal(50, Value(text, "wallboard_engine_lag_seconds"));
        Assert.Equal(0, Value(text, "wallboard_ingest_backlog"));
        Assert.True(Value(text, "wallboard_screens_push_duration_seconds_count") >= 1);
        // The first tick writes the interval of the call: one queue point and one agent point.
        Assert.Equal(2, Value(text, "wallboard_history_points_written_total"));
        Assert.Equal(0, Value(text, "wallboard_history_spool_size_bytes"));
        Assert.Contains("http_server_request_duration_seconds_bucket", text, StringComparison.Ordinal);

        // The server sees the screen go a moment after the client closes: scrape until it has.
        await screen.DisposeAsync();
        var connected = 1.0;
        for (var scrape = 0; scrape < 200 && connected != 0; scrape++)
        {
            connected = Value(await ScrapeAsync(server, Admin), "wallboard_screens_connected");
        }

        Assert.Equal(0, connected);
    }

    [Fact]
    public async Task MetricsAreForTheAdminRoleOnly()
    {
        await using var server = await LiveServer.StartAsync(Keys);

        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(server, null));
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(server, Viewer));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(server, Admin));
    }

    /// <summary>promtool's verdict on a scrape: its exit status and whatever it printed (nothing when the text is clean).</summary>
    internal static async Task<(int Exit, string Output)> PromtoolCheckAsync(string metrics)
    {
        if (!File.Exists(Promtool))
        {
            throw new InvalidOperationException($"{Promtool} is missing: install the Debian package prometheus (.ci/install-test-deps.sh installs it).");
        }

        var (exit, output) = await ExternalProcess.RunAsync(Promtool, ["check", "metrics"], LiveServer.Timeout, input: metrics);
        return (exit, output.Trim());
    }

    /// <summary>The value of the one series of <paramref name="name"/> whose labels contain <paramref name="label"/>.</summary>
    internal static double Value(string metrics, string name, string label = "")
    {
        var line = Assert.Single(metrics.Split('\n'), line => line.StartsWith(name + "{", StringComparison.Ordinal) && line.Contains(label, StringComparison.Ordinal));
        return double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
    }

    private static async Task<string> ScrapeAsync(LiveServer server, string key)
    {
        using var http = server.Http(key);
        using var response = await http.GetAsync(new Uri("metrics", UriKind.Relative));
        response.EnsureSuccessStatusCode();
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        return await response.Content.ReadAsStringAsync();
    }

    private static async Task<HttpStatusCode> StatusAsync(LiveServer server, string? key)
    {
        using var http = server.Http(key);
        using var response = await http.GetAsync(new Uri("metrics", UriKind.Relative));
        return response.StatusCode;
    }
}
