using System.Net;
using System.Net.Http.Json;
using System.Text;
using Microsoft.Extensions.Options;
using Wallboard.Hub.Hosting;
using Wallboard.Hub.Live.Access;

namespace Wallboard.Tests.Live;

/// <summary>Keys per role: each endpoint wants its role; no keys means loopback only.</summary>
public sealed class AccessTests
{
    private const string ViewerKey = "viewer-key-0123456789";
    private const string IngestKey = "ingest-key-0123456789";
    private const string SupervisorKey = "supervisor-key-0123456789";
    private const string AnalystKey = "analyst-key-0123456789";
    private const string AdminKey = "admin-key-0123456789";

    private static readonly string[] SalesFloor = ["sales-floor"];

    private static readonly Dictionary<string, string> Keys = new()
    {
        ["Access:Viewer:0"] = ViewerKey,
        ["Access:Ingest:0"] = IngestKey,
        ["Access:Supervisor:0"] = SupervisorKey,
        ["Access:Analyst:0"] = AnalystKey,
        ["Access:Admin:0"] = AdminKey,
    };

    [Theory]
    [InlineData("GET", "api/live/queues", null, HttpStatusCode.Unauthorized)]
    [InlineData("GET", "api/live/queues", "wrong-key-0123456789", HttpStatusCode.Unauthorized)]
    [InlineData("GET", "api/live/queues", IngestKey, HttpStatusCode.Forbidden)]
    [InlineData("GET", "api/live/queues", ViewerKey, HttpStatusCode.OK)]
    [InlineData("GET", "api/live/agents", AnalystKey, HttpStatusCode.OK)]
    [InlineData("GET", "api/dashboards", SupervisorKey, HttpStatusCode.OK)]
    [InlineData("GET", "healthz", null, HttpStatusCode.Unauthorized)]
    [InlineData("GET", "healthz", AdminKey, HttpStatusCode.OK)]
    [InlineData("POST", "api/ingest/queue-log", null, HttpStatusCode.Unauthorized)]
    [InlineData("POST", "api/ingest/queue-log", ViewerKey, HttpStatusCode.Forbidden)]
    [InlineData("POST", "api/ingest/queue-log", IngestKey, HttpStatusCode.OK)]
    [InlineData("POST", "api/events", SupervisorKey, HttpStatusCode.Forbidden)]
    [InlineData("POST", "api/events", AdminKey, HttpStatusCode.OK)]
    [InlineData("POST", "api/broadcasts", ViewerKey, HttpStatusCode.Forbidden)]
    [InlineData("POST", "api/broadcasts", IngestKey, HttpStatusCode.Forbidden)]
    [InlineData("POST", "api/broadcasts", SupervisorKey, HttpStatusCode.Created)]
    public async Task EachEndpointWantsItsRole(string method, string path, string? key, HttpStatusCode expected)
    {
        await using var server = await LiveServer.StartAsync(Keys, ("sales.json", TestDashboards.Sales));
        using var http = server.Http(key);
        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(path, UriKind.Relative));
        if (method == "POST")
        {
            request.Content = path == "api/broadcasts"
                ? JsonContent.Create(new { text = "Team meeting at 11", dashboards = SalesFloor, expiresInMinutes = 5, severity = "info" })
                : new StringContent(string.Empty, Encoding.UTF8, "text/plain");
        }

        using var response = await http.SendAsync(request);
        Assert.Equal(expected, response.StatusCode);
    }

    [Fact]
    public async Task TheHubWantsAViewerKey()
    {
        await using var server = await LiveServer.StartAsync(Keys, ("sales.json", TestDashboards.Sales));
        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => server.ConnectAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        var forbidden = await Assert.ThrowsAsync<HttpRequestException>(() => server.ConnectAsync(IngestKey));
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);

        await using var screen = await server.ConnectAsync(ViewerKey);
        Assert.Equal("sales-floor", (await screen.JoinAsync("sales-floor")).Dashboard.Id);
    }

    [Fact]
    public void KeysAreComparedAsHashesAndOnlyAnExactKeyMatches()
    {
        var ring = new ApiKeyRing(Options.Create(new AccessOptions { Viewer = [ViewerKey], Admin = [AdminKey] }), Options.Create(new Wallboard.Hub.History.HistoryOptions()));
        Assert.Equal([WallboardRoles.Viewer], ring.RolesOf(ViewerKey));
        Assert.Equal([WallboardRoles.Admin], ring.RolesOf(AdminKey));
        Assert.Empty(ring.RolesOf("viewer-key-0123456788"));
        Assert.Empty(ring.RolesOf("viewer-key-012345678"));
        Assert.Empty(ring.RolesOf(ViewerKey + "9"));
        Assert.Empty(ring.RolesOf(string.Empty));

        // Only SHA-256 hashes are kept: no field holds a key, so no comparison can stop early on it.
        var fields = typeof(ApiKeyRing).GetFields(System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic);
        Assert.DoesNotContain(fields, field => field.FieldType == typeof(string) || field.FieldType == typeof(string[]));
        var stored = Assert.IsType<(string Role, byte[] Hash)[]>(Assert.Single(fields, field => field.FieldType == typeof((string, byte[])[])).GetValue(ring));
        Assert.All(stored, entry => Assert.Equal(32, entry.Hash.Length));
        Assert.Equal(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(ViewerKey)), stored[0].Hash);
    }

    [Theory]
    [InlineData("http://0.0.0.0:0")]
    [InlineData("http://*:5000")]
    [InlineData("http://+:5000")]
    [InlineData("http://192.168.1.10:5000")]
    [InlineData("http://wallboard.example:5000")]
    public void WithoutKeysTheServerRefusesANonLoopbackAddress(string url)
    {
        var error = Assert.Throws<InsecureBindException>(() => WallboardHost.Build(["--urls", url, "--Sources:Demo=false"]));
        Assert.Contains("loopback only", error.Message, StringComparison.Ordinal);
        Assert.Contains(url, error.Message, StringComparison.Ordinal);
    }

    /// <summary>Refused before the host is built, so nothing ever listens on 0.0.0.0 (the check after binding left it open for a moment).</summary>
    [Fact]
    public void WithoutKeysAKestrelEndpointBeyondLoopbackIsRefusedBeforeAnythingListens()
    {
        var error = Assert.Throws<InsecureBindException>(() => WallboardHost.Build(
            ["--Kestrel:Endpoints:Local:Url=http://127.0.0.1:0", "--Kestrel:Endpoints:Open:Url=http://0.0.0.0:0", "--Sources:Demo=false", "--Logging:LogLevel:Default=None"]));
        Assert.Contains("http://0.0.0.0:0", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("127.0.0.1:0", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithKeysTheServerMayListenEverywhere()
    {
        await using var app = WallboardHost.Build(["--urls", "http://0.0.0.0:0", "--Sources:Demo=false", "--Access:Viewer:0=" + ViewerKey, "--Logging:LogLevel:Default=None"]);
        await app.StartAsync();
        await app.StopAsync();
    }

    [Theory]
    [InlineData("http://127.0.0.1:5000", true)]
    [InlineData("http://localhost:5000", true)]
    [InlineData("http://[::1]:5000", true)]
    [InlineData("https://127.0.0.2:5001", true)]
    [InlineData("http://[::]:5000", false)]
    [InlineData("http://10.0.0.1:5000", false)]
    public void LoopbackIsRecognised(string url, bool loopback) => Assert.Equal(loopback, LoopbackGuard.IsLoopback(url));

    [Fact]
    public void ShortKeysAreRefusedNamingTheKey()
    {
        var result = new AccessOptionsValidator().Validate(null, new AccessOptions { Ingest = ["short"] });
        Assert.True(result.Failed);
        Assert.Contains("Access:Ingest:0", result.FailureMessage, StringComparison.Ordinal);
        Assert.DoesNotContain("short", result.FailureMessage.Replace("at least", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
    }
}
