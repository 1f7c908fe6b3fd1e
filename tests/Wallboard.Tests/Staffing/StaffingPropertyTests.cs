using Wallboard.Metrics.Staffing;

namespace Wallboard.Tests.Staffing;

/// <summary>
/// Properties over seeded random traffic (the seed is in the failure message): more calls, longer
/// calls or a higher target never need fewer agents, and every agent added raises the service level.
/// </summary>
public sealed class StaffingPropertyTests
{
    private const int Cases = 250;

    public static TheoryData<StaffingModel> Models => [StaffingModel.ErlangC, StaffingModel.ErlangA];

    [Theory]
    [MemberData(nameof(Models))]
    public void RequiredAgentsNeverDecreaseWhenArrivalsAhtOrTargetGrow(StaffingModel model)
    {
        var random = new Random(14);
        for (var i = 0; i < Cases; i++)
        {
            var traffic = RandomTraffic(random);
            var target = 0.3 + (0.69 * random.NextDouble());
            var grow = 1 + (random.NextDouble() * 0.3);
            var required = Required(model, traffic, target);
            var context = $"case {i}: {traffic}, target {target:F3}, ×{grow:F3}";

            Assert.True(Required(model, traffic with { ArrivalsPerHour = traffic.ArrivalsPerHour * grow }, target) >= required, "arrivals " + context);
            Assert.True(Required(model, traffic with { AhtSeconds = traffic.AhtSeconds * grow }, target) >= required, "aht " + context);
            Assert.True(Required(model, traffic, Math.Min(0.999, target + (0.2 * random.NextDouble()))) >= required, "target " + context);
        }
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void ServiceLevelRisesWithEveryAgentAdded(StaffingModel model)
    {
        var random = new Random(15);
        for (var i = 0; i < Cases / 5; i++)
        {
            var traffic = RandomTraffic(random);
            var last = Required(model, traffic, 0.95) + 3;
            var previous = -1.0;
            for (var agents = 1; agents <= last; agents++)
            {
                var figures = StaffingCalculator.Evaluate(model, traffic, agents);
                Assert.True(figures.ServiceLevel >= previous - 1e-12, $"case {i}: {traffic}, {agents} agents: {figures.ServiceLevel} after {previous}");
                previous = figures.ServiceLevel;
            }

            Assert.True(previous > 0.95, $"case {i}: {traffic}");
        }
    }

    [Fact]
    public void RequiredAgentsAreTheFewestThatMeetTheTarget()
    {
        var random = new Random(16);
        foreach (var model in new[] { StaffingModel.ErlangC, StaffingModel.ErlangA })
        {
            for (var i = 0; i < Cases; i++)
            {
                var traffic = RandomTraffic(random);
                var target = 0.5 + (0.49 * random.NextDouble());
                var required = StaffingCalculator.AgentsRequired(model, traffic, target);
                Assert.True(required.ServiceLevel >= target);
                if (required.Agents > 1)
                {
                    Assert.True(StaffingCalculator.Evaluate(model, traffic, required.Agents - 1).ServiceLevel < target, $"{model} case {i}: {traffic}, {target}");
                }
            }
        }
    }

    private static int Required(StaffingModel model, QueueTraffic traffic, double target) =>
        StaffingCalculator.AgentsRequired(model, traffic, target).Agents;

    /// <summary>1 to 3,000 calls an hour, 30 s to 15 min handling, 10 s to 10 min patience, 0 to 60 s threshold.</summary>
    private static QueueTraffic RandomTraffic(Random random) => new(
        Math.Exp(random.NextDouble() * Math.Log(3_000)),
        30 + (random.NextDouble() * 870),
        10 + (random.NextDouble() * 590),
        Math.Round(random.NextDouble() * 60));
}
