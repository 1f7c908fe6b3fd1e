using System.Net.Http.Json;
using Wallboard.Hub.Live.Dashboards;

namespace Wallboard.Tests.Live;

/// <summary>Dashboard files are validated with their JSON paths; a bad edit keeps the last good layout.</summary>
public sealed class DashboardTests
{
    [Fact]
    public void TheSampleInboundFloorIsValid()
    {
        var path = Path.Combine(RepositoryPaths.RepositoryRoot, "dashboards", "inbound-floor.json");
        var dashboard = DashboardParser.Parse("dashboards/inbound-floor.json", File.ReadAllText(path), out var errors);
        Assert.Empty(errors);
        Assert.Equal("inbound-floor", dashboard!.Id);
    }

    [Fact]
    public void EveryRepositoryDashboardIsValid()
    {
        foreach (var path in Directory.GetFiles(Path.Combine(RepositoryPaths.RepositoryRoot, "dashboards"), "*.json"))
        {
            DashboardParser.Parse(Path.GetFileName(path), File.ReadAllText(path), out var errors);
            Assert.Empty(errors);
        }
    }

    [Fact]
    public void EveryMistakeIsReportedWithItsPath()
    {
        const string json = """
            {
              "id": "Bad Id",
              "name": { "en": "Broken" },
              "queues": ["sales", "support"],
              "groups": { "hotline": ["sales", "billing"] },
              "tiles": [
                { "id": "a", "title": "A", "kpi": "offered", "window": "today" },
                { "id": "a", "title": "B", "kpi": "calls_waiting", "window": "today" },
                { "id": "c", "title": "C", "kpi": "sevice_level", "window": "today" },
                { "id": "d", "title": "D", "kpi": "service_level", "window": "last45", "format": "percentage", "queues": ["vip"],
                  "thresholds": { "direction": "below", "amber": 0.7, "red": 0.8 } },
                { "id": "e", "title": "E", "kpi": "conversion_rate", "window": "today" },
                { "id": "f", "title": "F", "kpi": "offered", "window": "today", "colour": "red" }
              ],
              "agentBoard": { "states": ["on_break"] }
            }
            """;
        Assert.Null(DashboardParser.Parse("dashboards/bad.json", json, out var errors));
        Assert.Equal(
            [
                "dashboards/bad.json: $.id: 'Bad Id' must be lower-case letters, digits, '-' or '_'",
                "dashboards/bad.json: $.groups.hotline[1]: 'billing' is not one of the board's queues",
                "dashboards/bad.json: $.tiles[1].window: 'calls_waiting' is a live figure; its window is 'live'",
                "dashboards/bad.json: $.tiles[1].id: 'a' is used by another tile",
                "dashboards/bad.json: $.tiles[2].kpi: 'sevice_level' is not a KPI",
                "dashboards/bad.json: $.tiles[3].window: 'last45' is not a window (live, last15, last30, last60, shift, today)",
                "dashboards/bad.json: $.tiles[3].format: 'percentage' is not a format (number, percent, duration, decimal)",
                "dashboards/bad.json: $.tiles[3].queues[0]: 'vip' is neither a queue nor a group of this board",
                "dashboards/bad.json: $.tiles[3].thresholds: amber (0.7) must not be below red (0.8) when direction is 'below'",
                "dashboards/bad.json: $.tiles[4].campaigns: 'conversion_rate' needs campaigns, on the tile or the board",
                "dashboards/bad.json: $.tiles[5].colour: is not a known property (id, title, kpi, window, queues, campaigns, format, target, thresholds, size)",
                "dashboards/bad.json: $.agentBoard.states[0]: 'on_break' is not an agent state",
            ],
            errors.Select(error => error.ToString()));
    }

    [Fact]
    public void BrokenJsonIsReportedWithItsLine()
    {
        Assert.Null(DashboardParser.Parse("dashboards/x.json", "{\n  \"id\": \"x\",\n  \"name\": \n}", out var errors));
        var error = Assert.Single(errors);
        Assert.Equal("dashboards/x.json", error.File);
        Assert.StartsWith("not valid JSON (line 4)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnInvalidEditKeepsTheLastGoodLayoutAndAValidOneIsPushed()
    {
        await using var server = await LiveServer.StartAsync(null, ("sales.json", TestDashboards.Sales));
        await using var screen = await server.ConnectAsync();
        await screen.JoinAsync("sales-floor");
        var catalog = server.Service<DashboardCatalog>();
        var file = Path.Combine(server.DashboardFolder, "sales.json");

        // A typo in the third tile's KPI: reported with file, path and message; the board stays.
        await File.WriteAllTextAsync(file, TestDashboards.Sales.Replace("\"kpi\": \"calls_waiting\"", "\"kpi\": \"sevice_level\"", StringComparison.Ordinal));
        Assert.False(catalog.Refresh());
        var error = Assert.Single(catalog.Errors);
        Assert.Equal("dashboards/sales.json: $.tiles[2].kpi: 'sevice_level' is not a KPI", error.ToString());
        Assert.True(catalog.TryGet("sales-floor", out var kept));
        Assert.Equal("calls_waiting", kept.Tiles[2].Kpi);
        using var http = server.Http();
        var list = await http.GetFromJsonAsync<DashboardList>(new Uri("api/dashboards", UriKind.Relative));
        Assert.Equal("sales-floor", Assert.Single(list!.Dashboards).Id);
        Assert.Equal("$.tiles[2].kpi", Assert.Single(list.Errors).Path);

        // Fixed, with a new title: the error is gone and screens get the new layout and all its tiles.
        await File.WriteAllTextAsync(file, TestDashboards.Sales.Replace("Sales floor", "Sales floor 2", StringComparison.Ordinal));
        Assert.True(catalog.Refresh());
        Assert.Empty(catalog.Errors);
        await server.TickAsync();
        Assert.Equal("Sales floor 2", (await ScreenClient.NextAsync(screen.Layouts)).Name["en"]);
        Assert.Equal(5, (await ScreenClient.NextAsync(screen.Tiles)).Length);
    }

    [Fact]
    public async Task TheFolderIsWatchedOnTheClock()
    {
        await using var server = await LiveServer.StartAsync(null, ("sales.json", TestDashboards.Sales));
        await File.WriteAllTextAsync(Path.Combine(server.DashboardFolder, "support.json"), TestDashboards.Support);
        var catalog = server.Service<DashboardCatalog>();
        Assert.False(catalog.TryGet("support-floor", out _));

        // The poll runs on the fake clock (default every 2 s); advance until it has looked.
        for (var i = 0; i < 100 && !catalog.TryGet("support-floor", out _); i++)
        {
            server.Time.Advance(TimeSpan.FromSeconds(2));
            await Task.Yield();
        }

        Assert.True(catalog.TryGet("support-floor", out _));
    }

    /// <summary>
    /// The layouts ship beside the executable (here: the test's build output, as in a published
    /// build); a user's folder adds dashboards and replaces a built-in one by its id.
    /// </summary>
    [Fact]
    public void AUsersFolderAddsToTheBuiltInDashboardsAndReplacesOneByItsId()
    {
        var folder = Directory.CreateTempSubdirectory("wallboard-user-dashboards-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(folder, "inbound-floor.json"), TestDashboards.Sales.Replace("\"sales-floor\"", "\"inbound-floor\"", StringComparison.Ordinal).Replace("\"Sales floor\"", "\"Our inbound floor\"", StringComparison.Ordinal));
            File.WriteAllText(Path.Combine(folder, "support.json"), TestDashboards.Support);

            var both = Catalog(new DashboardsOptions { Path = folder });
            var userOnly = Catalog(new DashboardsOptions { Path = folder, BuiltIn = false });
            var builtIn = Catalog(new DashboardsOptions());

            Assert.Equal(["floor-agents", "floor-wall", "inbound-floor", "outbound-sales", "supervisor-overview", "support-floor"], both.Current.Keys.Order(StringComparer.Ordinal));
            Assert.Equal("Our inbound floor", both.Current["inbound-floor"].Name["en"]);
            Assert.Empty(both.Errors);
            Assert.Equal(["inbound-floor", "support-floor"], userOnly.Current.Keys.Order(StringComparer.Ordinal));
            Assert.Equal(["floor-agents", "floor-wall", "inbound-floor", "outbound-sales", "supervisor-overview"], builtIn.Current.Keys.Order(StringComparer.Ordinal));
            Assert.Equal("Inbound service floor", builtIn.Current["inbound-floor"].Name["en"]);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void TwoFilesWithOneIdInTheUsersFolderAreStillAnError()
    {
        var folder = Directory.CreateTempSubdirectory("wallboard-user-dashboards-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(folder, "a.json"), TestDashboards.Support);
            File.WriteAllText(Path.Combine(folder, "b.json"), TestDashboards.Support);

            var catalog = Catalog(new DashboardsOptions { Path = folder, BuiltIn = false });

            var error = Assert.Single(catalog.Errors);
            Assert.Equal("'support-floor' is already the id of " + Path.GetFileName(folder) + "/a.json", error.Message);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static DashboardCatalog Catalog(DashboardsOptions options) =>
        new(Microsoft.Extensions.Options.Options.Create(options), TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger<DashboardCatalog>.Instance);

    private sealed record DashboardList(List<Summary> Dashboards, List<ErrorEntry> Errors);

    private sealed record Summary(string Id);

    private sealed record ErrorEntry(string File, string Path, string Message);
}
