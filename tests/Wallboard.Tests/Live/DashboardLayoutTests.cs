using Wallboard.Hub.Live.Dashboards;

namespace Wallboard.Tests.Live;

/// <summary>The layout parts of the floor screens: tile sizes, table and time-in-state thresholds, the waiting list, rotations.</summary>
public sealed class DashboardLayoutTests
{
    [Fact]
    public void QueueTableBandsAreTheTablesOwnElseTheBoardsTileElseTheProductsDefault()
    {
        const string json = """
            {
              "id": "floor", "name": "Floor", "queues": ["support"],
              "tiles": [
                { "id": "sl", "kpi": "service_level", "window": "today", "format": "percent", "size": "large",
                  "thresholds": { "direction": "below", "amber": 0.9, "red": 0.85 } }
              ],
              "queueTable": { "window": "today", "kpis": ["service_level", "longest_wait_seconds", "abandon_rate", "offered", "agents_available"],
                              "thresholds": { "abandon_rate": { "direction": "above", "amber": 0.03, "red": 0.06 } } },
              "waitingList": {}
            }
            """;
        var board = DashboardParser.Parse("dashboards/floor.json", json, out var errors)!;
        Assert.Empty(errors);
        var bands = board.QueueTable!.Thresholds;
        Assert.Equal(new Thresholds("below", 0.9, 0.85), bands["service_level"]);        // the tile's
        Assert.Equal(new Thresholds("above", 0.03, 0.06), bands["abandon_rate"]);        // the table's own
        Assert.Equal(new Thresholds("above", 30, 60), bands["longest_wait_seconds"]);    // the default
        Assert.False(bands.ContainsKey("offered"));                                       // none: volumes have no target
        Assert.False(bands.ContainsKey("agents_available"));
        // The waiting list colours waits as the table colours the longest wait; 20 calls unless told.
        Assert.Equal(new WaitingList(20, new Thresholds("above", 30, 60)), board.WaitingList);
        Assert.Equal((TileSizes.Large, 0), (board.Tiles[0].Size, board.Tiles[0].Title.Count));
    }

    [Fact]
    public void TimeInStateBandsAreTheLayoutsPerStateAndPauseReasonOverTheDefaults()
    {
        const string json = """
            {
              "id": "agents", "name": "Agents", "queues": ["support"],
              "agentBoard": {
                "thresholds": { "wrap_up": { "amber": 45, "red": 90 }, "available": { "red": 1800 } },
                "pauseReasons": { "午餐": { "amber": 2700, "red": 3600 } },
                "figures": ["attempts", "conversions"], "pageSeconds": 15
              }
            }
            """;
        var board = DashboardParser.Parse("dashboards/agents.json", json, out var errors)!.AgentBoard!;
        Assert.Empty(errors);
        Assert.Equal(new Thresholds("above", 45, 90), board.Thresholds["wrap_up"]);
        Assert.Equal(new Thresholds("above", null, 1800), board.Thresholds["available"]);
        Assert.Equal(new Thresholds("above", 600, 1200), board.Thresholds["on_call"]);   // default
        Assert.Equal(new Thresholds("above", 15, 30), board.Thresholds["ringing"]);      // default
        Assert.Equal(new Thresholds("above", 2700, 3600), board.PauseReasons["午餐"]);
        Assert.Equal(["attempts", "conversions"], board.Figures);
        Assert.Equal(15, board.PageSeconds);
    }

    [Fact]
    public void MistakesInTheNewPartsAreReportedWithTheirPaths()
    {
        const string json = """
            {
              "id": "bad", "name": "Bad", "queues": ["support"],
              "tiles": [ { "id": "a", "kpi": "offered", "window": "today", "size": "huge" } ],
              "queueTable": { "window": "today", "kpis": ["offered"], "thresholds": { "asa_seconds": { "direction": "above", "red": 40 } } },
              "waitingList": { "max": 0 },
              "agentBoard": {
                "thresholds": { "on_break": { "amber": 60 }, "paused": { "amber": 900, "red": 600 } },
                "figures": ["sales"], "pageSeconds": 1
              }
            }
            """;
        Assert.Null(DashboardParser.Parse("dashboards/bad.json", json, out var errors));
        Assert.Equal(
            [
                "dashboards/bad.json: $.tiles[0].size: 'huge' is not a size (small, medium, large)",
                "dashboards/bad.json: $.queueTable.thresholds.asa_seconds: 'asa_seconds' is not one of the table's kpis",
                "dashboards/bad.json: $.agentBoard.thresholds.paused: amber (900 s) must not be after red (600 s)",
                "dashboards/bad.json: $.agentBoard.thresholds.on_break: 'on_break' is not an agent state",
                "dashboards/bad.json: $.agentBoard.figures[0]: 'sales' is not an agent figure (handled, attempts, connected, conversions)",
                "dashboards/bad.json: $.agentBoard.pageSeconds: must be a whole number of seconds from 3 to 600, got 1",
                "dashboards/bad.json: $.waitingList.max: must be a whole number from 1 to 200, got 0",
            ],
            errors.Select(error => error.ToString()));
    }

    [Fact]
    public void ARotationNamesItsPagesAndNothingElse()
    {
        var rotation = DashboardParser.Parse("dashboards/wall.json", """
            { "id": "wall", "name": "Wall", "rotation": { "seconds": 20, "pages": ["inbound-floor", "floor-agents"] } }
            """, out var errors)!;
        Assert.Empty(errors);
        Assert.Equal(20, rotation.Rotation!.Seconds);
        Assert.Equal(["inbound-floor", "floor-agents"], rotation.Rotation.Pages);
        Assert.Empty(rotation.Tiles);

        Assert.Null(DashboardParser.Parse("dashboards/wall.json", """
            { "id": "wall", "name": "Wall", "queues": ["sales"], "rotation": { "seconds": 2, "pages": ["wall"] } }
            """, out errors));
        Assert.Equal(
            [
                "dashboards/wall.json: $.queues: a rotation shows other dashboards and has nothing of its own; move it to one of its pages",
                "dashboards/wall.json: $.rotation.seconds: must be a whole number of seconds from 5 to 3600, got 2",
                "dashboards/wall.json: $.rotation.pages: name at least two dashboards to show in turn",
                "dashboards/wall.json: $.rotation.pages[0]: a rotation cannot show itself",
            ],
            errors.Select(error => error.ToString()));
    }

    [Fact]
    public void ARotationPageThatIsNoDashboardIsReportedAndTheRotationKept()
    {
        var folder = Directory.CreateTempSubdirectory("wallboard-rotation-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(folder, "support.json"), TestDashboards.Support);
            File.WriteAllText(Path.Combine(folder, "wall.json"), """
                { "id": "wall", "name": "Wall", "rotation": { "pages": ["support-floor", "suport-floor"] } }
                """);
            var catalog = new DashboardCatalog(
                Microsoft.Extensions.Options.Options.Create(new DashboardsOptions { Path = folder, BuiltIn = false }),
                TimeProvider.System,
                Microsoft.Extensions.Logging.Abstractions.NullLogger<DashboardCatalog>.Instance);

            Assert.True(catalog.TryGet("wall", out var wall));
            Assert.Equal(30, wall.Rotation!.Seconds);
            var error = Assert.Single(catalog.Errors);
            Assert.Equal(Path.GetFileName(folder) + "/wall.json: $.rotation.pages[1]: there is no dashboard 'suport-floor'", error.ToString());
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
