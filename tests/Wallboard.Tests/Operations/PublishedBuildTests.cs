using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Wallboard.Hub.Operations;

namespace Wallboard.Tests.Operations;

/// <summary>
/// The published build as a user installs it: run from <c>/</c> (as a service is), not from the
/// repository; it used to answer 404 at <c>/</c> and find no dashboards there.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class PublishedBuildTests(PublishedBuild build) : IClassFixture<PublishedBuild>
{
    [Fact]
    public async Task RunFromTheRootFolderItServesThePageItsGlossaryAndTheLayoutsAndLogsJson()
    {
        var data = build.NewFolder("data");
        await using var server = await build.StartAsync("/", "--Storage:DataPath=" + data, "--Sources:Demo=false");
        using var http = new HttpClient { BaseAddress = await server.Address.Task };

        using var page = await http.GetAsync(new Uri("/", UriKind.Relative));
        var html = await page.Content.ReadAsStringAsync();
        using var script = await http.GetAsync(new Uri("js/main.js", UriKind.Relative));
        using var glossary = await http.GetAsync(new Uri("i18n/glossary.json", UriKind.Relative));
        var dashboards = await http.GetFromJsonAsync<JsonElement>(new Uri("api/dashboards", UriKind.Relative));
        var health = await http.GetFromJsonAsync<JsonElement>(new Uri("healthz", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("<html", html, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        // The page imports its strings as a JSON module, which the browser takes only as application/json.
        Assert.Equal((HttpStatusCode.OK, "application/json"), (glossary.StatusCode, glossary.Content.Headers.ContentType?.MediaType));
        Assert.Equal(
            ["floor-agents", "floor-wall", "inbound-floor", "outbound-sales", "supervisor-overview"],
            dashboards.GetProperty("dashboards").EnumerateArray().Select(board => board.GetProperty("id").GetString()));
        Assert.Equal(0, dashboards.GetProperty("errors").GetArrayLength());
        Assert.Equal("ready", health.GetProperty("status").GetString());
        Assert.Equal((BuildInfo.Version, BuildInfo.Commit), (health.GetProperty("version").GetString(), health.GetProperty("commit").GetString()));

        // Its data went to the data folder, and every log line is one JSON object.
        Assert.True(File.Exists(Path.Combine(data, "history.db")));
        var lines = server.Log.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.NotEmpty(lines);
        Assert.All(lines, line => Assert.Equal(JsonValueKind.Object, JsonDocument.Parse(line).RootElement.ValueKind));
    }

    [Fact]
    public async Task ThePublishedBuildNamesItsVersionAndCommit()
    {
        var (exit, output) = await build.RunToEndAsync("/", unprivileged: false, "--version");

        Assert.Equal(0, exit);
        Assert.Equal(BuildInfo.Line, output.Trim());
        Assert.Matches(CommandLineTests.VersionLine(), output.Trim());
    }

    /// <summary>A history file the service user may not write (left by root, say): one line that says which and why, exit 2.</summary>
    [Fact]
    public async Task AHistoryFileThatCannotBeWrittenStopsTheStartWithOneLine()
    {
        // The folders are writable: only the file is not.
        var database = Path.Combine(build.NewFolder("history", writableByAll: true), "history.db");
        await File.WriteAllBytesAsync(database, []);
        File.SetUnixFileMode(database, UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        var data = Path.Combine(build.NewFolder("writable", writableByAll: true), "data");

        var (exit, output) = await build.RunToEndAsync("/", unprivileged: true, "serve", "--urls", "http://127.0.0.1:0", "--Storage:DataPath=" + data, "--History:SqlitePath=" + database);

        Assert.Equal(2, exit);
        var line = Assert.Single(output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"wallboard: History:SqlitePath: {database} cannot be opened for writing by this user", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ADataFolderThatCannotBeWrittenStopsTheStartWithOneLine()
    {
        var parent = build.NewFolder("locked");
        var data = Path.Combine(parent, "data");
        Directory.CreateDirectory(data);
        // Owned by root (or read-only for this user): the service user may read but not write it.
        File.SetUnixFileMode(data, UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        (int, string) result;
        try
        {
            result = await build.RunToEndAsync("/", unprivileged: true, "serve", "--urls", "http://127.0.0.1:0", "--Storage:DataPath=" + data);
        }
        finally
        {
            File.SetUnixFileMode(data, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        var (exit, output) = result;

        Assert.Equal(2, exit);
        var line = Assert.Single(output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"wallboard: Storage:DataPath: the folder {data} cannot be written by this user", line, StringComparison.Ordinal);
    }
}
