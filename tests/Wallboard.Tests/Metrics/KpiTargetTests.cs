using Wallboard.Metrics.Targets;

namespace Wallboard.Tests.Metrics;

/// <summary>Targets take their direction from the one table of KPIs.</summary>
public sealed class KpiTargetTests
{
    [Theory]
    [InlineData("abandon_rate", 0.092, TargetStanding.AboveWorse)] // 9.2 % against 5.0 %: the example
    [InlineData("abandon_rate", 0.03, TargetStanding.BelowBetter)]
    [InlineData("abandon_rate", 0.05, TargetStanding.On)]
    [InlineData("service_level", 0.715, TargetStanding.BelowWorse)]
    [InlineData("service_level", 0.85, TargetStanding.AboveBetter)]
    [InlineData("asa_seconds", 0.03, TargetStanding.BelowBetter)]
    public void AValueIsJudgedByItsKpisDirection(string kpi, double value, TargetStanding expected)
    {
        var target = KpiTarget.For(kpi, kpi == "service_level" ? 0.8 : 0.05);

        Assert.Equal(expected, target.Judge(value));
        Assert.Equal(expected is TargetStanding.AboveWorse or TargetStanding.BelowWorse, target.Misses(value));
    }

    [Fact]
    public void NoValueStandsNowhere()
    {
        Assert.Equal(TargetStanding.None, KpiTarget.For("service_level", 0.8).Judge(null));
        Assert.False(KpiTarget.For("service_level", 0.8).Misses(null));
    }

    [Fact]
    public void AVolumeHasNoDirectionAndTakesNoTarget()
    {
        Assert.Null(KpiDirections.Of("offered"));
        var error = Assert.Throws<ArgumentException>(() => KpiTarget.For("offered", 100));
        Assert.Contains("'offered' has no direction", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(KpiDirection.HigherIsBetter, 0.05, 1)]
    [InlineData(KpiDirection.HigherIsBetter, -0.05, -1)]
    [InlineData(KpiDirection.LowerIsBetter, 0.05, -1)]
    [InlineData(KpiDirection.LowerIsBetter, -0.05, 1)]
    [InlineData(KpiDirection.LowerIsBetter, 0.0, 0)]
    public void AChangeIsAnImprovementInTheKpisDirection(KpiDirection direction, double change, int expected) =>
        Assert.Equal(expected, KpiTarget.Improvement(direction, change));
}
