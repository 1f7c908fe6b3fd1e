using Wallboard.Metrics.Staffing;

namespace Wallboard.Tests.Staffing;

public sealed class ErlangCTests
{
    /// <summary>
    /// The textbook example (e.g. the Erlang C worked example of call-centre handbooks): 360 calls an
    /// hour, 180 s handling, 80 % within 20 s. a = 18 Erlangs; 21 agents reach 71.6 %, 22 reach 82.2 %.
    /// </summary>
    [Fact]
    public void PublishedExampleNeeds22AgentsForEightyTwentyAt82Point2Percent()
    {
        var traffic = new QueueTraffic(360, 180, null, 20);

        var required = StaffingCalculator.AgentsRequired(StaffingModel.ErlangC, traffic, 0.8);

        Assert.Equal(22, required.Agents);
        Assert.Equal(0.8217, required.ServiceLevel, 4);
        Assert.Equal(0.2781, required.ProbabilityOfWait, 4);
        Assert.Equal(12.51, required.AsaSeconds!.Value, 2);
        Assert.Equal(18.0 / 22, required.Occupancy, 12);
        Assert.Equal(0, required.AbandonRate);
        Assert.Equal(0.7163, StaffingCalculator.Evaluate(StaffingModel.ErlangC, traffic, 21).ServiceLevel, 4);
    }

    [Theory]
    [InlineData(360, 180, 20, 1)]
    [InlineData(360, 180, 20, 19)]
    [InlineData(100, 240, 30, 8)]
    [InlineData(1200, 300, 15, 110)]
    [InlineData(30, 600, 60, 9)]
    [InlineData(2000, 200, 20, 160)]
    public void MatchesTheTextbookFormulaWrittenOutWithFactorials(double perHour, double aht, double threshold, int agents)
    {
        var traffic = new QueueTraffic(perHour, aht, null, threshold);
        var figures = StaffingCalculator.Evaluate(StaffingModel.ErlangC, traffic, agents);

        var a = perHour / 3600 * aht;
        if (agents <= a)
        {
            Assert.Equal(0, figures.ServiceLevel);
            Assert.Equal(1, figures.ProbabilityOfWait);
            Assert.Null(figures.AsaSeconds);
            return;
        }

        // C = (a^N/N! · N/(N−a)) / (Σ_{k<N} a^k/k! + a^N/N! · N/(N−a)), with the terms built one by one.
        var sum = 0.0;
        var term = 1.0;
        for (var k = 0; k < agents; k++)
        {
            sum += term;
            term *= a / (k + 1);
        }

        var top = term * agents / (agents - a);
        var c = top / (sum + top);
        Assert.Equal(c, figures.ProbabilityOfWait, 12);
        Assert.Equal(1 - (c * Math.Exp(-(agents - a) * threshold / aht)), figures.ServiceLevel, 12);
        Assert.Equal(c * aht / (agents - a), figures.AsaSeconds!.Value, 9);
    }

    [Fact]
    public void FiveThousandAgentsStayFiniteAndExact()
    {
        // 4,900 Erlangs: a^N/N! overflows a double long before this; the recursion does not.
        var traffic = new QueueTraffic(88_200, 200, null, 20);
        var required = StaffingCalculator.AgentsRequired(StaffingModel.ErlangC, traffic, 0.8);

        Assert.InRange(required.Agents, 4_901, 5_000);
        Assert.True(required.ServiceLevel >= 0.8);
        Assert.True(StaffingCalculator.Evaluate(StaffingModel.ErlangC, traffic, required.Agents - 1).ServiceLevel < 0.8);
        Assert.True(double.IsFinite(required.AsaSeconds!.Value));

        // Far more agents than traffic: B underflows to zero and nobody waits.
        var idle = StaffingCalculator.Evaluate(StaffingModel.ErlangC, new QueueTraffic(36, 100, null, 20), 5_000);
        Assert.Equal(1, idle.ServiceLevel);
        Assert.Equal(0, idle.ProbabilityOfWait);
    }

    [Fact]
    public void MaximumOccupancyAddsAgentsWhereTheServiceLevelAlone_wouldRunThemHot()
    {
        // 4,000 calls of 180 s an hour = 200 Erlangs; 80/20 needs few spare agents at this size.
        var traffic = new QueueTraffic(4_000, 180, null, 20);
        var bySl = StaffingCalculator.AgentsRequired(StaffingModel.ErlangC, traffic, 0.8);
        var capped = StaffingCalculator.AgentsRequired(StaffingModel.ErlangC, traffic, 0.8, maxOccupancy: 0.85);

        Assert.True(bySl.Occupancy > 0.85);
        Assert.Equal((int)Math.Ceiling(200 / 0.85), capped.Agents);
        Assert.True(capped.Occupancy <= 0.85);
    }

    [Fact]
    public void NoTrafficNeedsNoAgents()
    {
        var required = StaffingCalculator.AgentsRequired(StaffingModel.ErlangC, new QueueTraffic(0, 180, null, 20), 0.8);

        Assert.Equal(0, required.Agents);
        Assert.Equal(1, required.ServiceLevel);
    }

    [Theory]
    [InlineData(-1, 180, 20, 0.8, "arrivals")]
    [InlineData(100, 0, 20, 0.8, "aht")]
    [InlineData(100, 180, -5, 0.8, "sl-threshold")]
    [InlineData(100, 180, 20, 1.0, "sl-target")]
    [InlineData(100, 180, 20, -0.1, "sl-target")]
    public void InvalidInputIsRefusedNamingTheValue(double perHour, double aht, double threshold, double target, string named)
    {
        var error = Assert.Throws<ArgumentException>(() =>
            StaffingCalculator.AgentsRequired(StaffingModel.ErlangC, new QueueTraffic(perHour, aht, null, threshold), target));
        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }
}
