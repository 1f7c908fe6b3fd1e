using Wallboard.Hub.Live.Dashboards;

namespace Wallboard.Tests.Live;

/// <summary>A tile's thresholds take the direction of its KPI (Metrics.Targets.KpiDirections), the one the reports use.</summary>
public sealed class DashboardThresholdDirectionTests
{
    private static string Board(string tiles) => $$"""
        {
          "id": "floor",
          "name": { "en": "Floor" },
          "queues": ["sales"],
          "tiles": [ {{tiles}} ]
        }
        """;

    [Fact]
    public void AKpiWithADirectionImpliesIt()
    {
        var dashboard = DashboardParser.Parse("dashboards/floor.json", Board("""
            { "id": "abandon", "title": "Abandon", "kpi": "abandon_rate", "window": "today", "thresholds": { "amber": 0.05, "red": 0.08 } },
            { "id": "sl", "title": "SL", "kpi": "service_level", "window": "today", "thresholds": { "amber": 0.8, "red": 0.7 } }
            """), out var errors);

        Assert.Empty(errors);
        Assert.Equal("above", dashboard!.Tiles[0].Thresholds!.Direction);
        Assert.Equal("below", dashboard.Tiles[1].Thresholds!.Direction);
    }

    [Fact]
    public void ADirectionThatTurnsRedOnTheGoodSideIsRefused()
    {
        Assert.Null(DashboardParser.Parse("dashboards/floor.json", Board("""
            { "id": "abandon", "title": "Abandon", "kpi": "abandon_rate", "window": "today", "thresholds": { "direction": "below", "amber": 0.05, "red": 0.03 } }
            """), out var errors));

        Assert.Equal(
            "dashboards/floor.json: $.tiles[0].thresholds.direction: 'below' turns red on the good side: abandon_rate is better lower, so its direction is 'above'",
            Assert.Single(errors).ToString());
    }

    [Fact]
    public void AKpiWithoutADirectionMustGiveOne()
    {
        Assert.Null(DashboardParser.Parse("dashboards/floor.json", Board("""
            { "id": "offered", "title": "Offered", "kpi": "offered", "window": "today", "thresholds": { "amber": 100, "red": 200 } }
            """), out var errors));

        Assert.Equal(
            "dashboards/floor.json: $.tiles[0].thresholds.direction: 'offered' is neither better higher nor lower: give 'direction' ('above' or 'below')",
            Assert.Single(errors).ToString());
    }
}
