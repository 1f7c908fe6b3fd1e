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

    /// <summary>
    /// The bands a queue-table cell gets when the layout gives none take the KPI's direction too, and
    /// their red lies beyond their amber on the bad side: a service level of 70 % misses a target of
    /// 80 %, a longest wait of 60 s one of 30 s.
    /// </summary>
    [Fact]
    public void TheProductsDefaultBandsTurnRedOnTheBadSideOfTheirKpi()
    {
        Assert.True(KpiCatalog.DefaultThresholds.Count >= 8);
        foreach (var (kpi, bands) in KpiCatalog.DefaultThresholds)
        {
            var direction = Wallboard.Metrics.Targets.KpiDirections.Of(kpi);
            Assert.True(direction is not null, $"{kpi} has default bands but no direction");
            Assert.Equal(direction == Wallboard.Metrics.Targets.KpiDirection.LowerIsBetter ? "above" : "below", bands.Direction);
            Assert.True(Wallboard.Metrics.Targets.KpiTarget.For(kpi, bands.Amber!.Value).Misses(bands.Red), $"{kpi}: red {bands.Red} is not worse than amber {bands.Amber}");
        }
    }
}
