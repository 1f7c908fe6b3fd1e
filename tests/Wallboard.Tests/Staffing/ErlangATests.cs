using Wallboard.Metrics.Staffing;

namespace Wallboard.Tests.Staffing;

public sealed class ErlangATests
{
    [Theory]
    [InlineData(360, 180, 120, 20, 18)]
    [InlineData(360, 180, 120, 20, 22)]
    [InlineData(360, 180, 60, 10, 12)]
    [InlineData(200, 240, 300, 30, 10)]
    [InlineData(600, 120, 45, 15, 25)]
    [InlineData(50, 300, 90, 20, 1)]
    [InlineData(900, 300, 200, 0, 60)]
    public void MatchesAStraightforwardChainSummedTermByTermWithTheTaggedWaitByUniformisation(
        double perHour, double aht, double patience, double threshold, int agents)
    {
        var traffic = new QueueTraffic(perHour, aht, patience, threshold);
        var figures = StaffingCalculator.Evaluate(StaffingModel.ErlangA, traffic, agents);
        var reference = Reference(perHour / 3600, 1 / aht, 1 / patience, agents, threshold);

        Assert.Equal(reference.Wait, figures.ProbabilityOfWait, 10);
        Assert.Equal(reference.ServiceLevel, figures.ServiceLevel, 9);
        Assert.Equal(reference.Abandon, figures.AbandonRate, 10);
        Assert.Equal(reference.Occupancy, figures.Occupancy, 10);
    }

    [Theory]
    [InlineData(360, 180, 120, 20)]
    [InlineData(3_600, 200, 60, 20)]
    [InlineData(7_200, 180, 100, 15)]
    public void AbandonRateEqualsPatienceRateTimesMeanQueueOverArrivals(double perHour, double aht, double patience, double threshold)
    {
        // Flow balance of the chain: θ·E[Q] = λ·P(abandon). The reference sums E[Q] directly.
        var agents = (int)(perHour / 3600 * aht * 0.95);
        var traffic = new QueueTraffic(perHour, aht, patience, threshold);
        var figures = StaffingCalculator.Evaluate(StaffingModel.ErlangA, traffic, agents);
        var reference = Reference(perHour / 3600, 1 / aht, 1 / patience, agents, threshold, tagged: false);

        Assert.Equal(reference.MeanQueue / patience / (perHour / 3600), figures.AbandonRate, 9);
        Assert.Equal(reference.Abandon, figures.AbandonRate, 9);
    }

    [Fact]
    public void EndlessPatienceConvergesToErlangC()
    {
        var c = StaffingCalculator.Evaluate(StaffingModel.ErlangC, new QueueTraffic(360, 180, null, 20), 22);
        var a = StaffingCalculator.Evaluate(StaffingModel.ErlangA, new QueueTraffic(360, 180, QueueTraffic.MaxPatienceSeconds, 20), 22);

        Assert.Equal(c.ServiceLevel, a.ServiceLevel, 3);
        Assert.Equal(c.ProbabilityOfWait, a.ProbabilityOfWait, 3);
        // A day's patience still trims the longest waits: ASA is within 1 % (12.42 against 12.51 s).
        Assert.InRange(a.AsaSeconds!.Value, c.AsaSeconds!.Value * 0.99, c.AsaSeconds!.Value);
    }

    [Fact]
    public void FromOneToFiveThousandAgentsEveryFigureIsAProbability()
    {
        // e^{−(Nμ+θ)T} underflows a double from about 6,700 agents at 20 s / 180 s; the chain's
        // largest weights overflow one once the queue is overloaded. Neither may show.
        foreach (var agents in new[] { 1, 2, 10, 100, 1_000, 2_500, 4_000, 5_000 })
        {
            foreach (var load in new[] { 0.5, 0.9, 1.0, 1.1, 1.5 })
            {
                foreach (var (aht, threshold) in new[] { (180.0, 20.0), (30.0, 120.0) })
                {
                    var perHour = agents * load * 3600 / aht;
                    var figures = StaffingCalculator.Evaluate(StaffingModel.ErlangA, new QueueTraffic(perHour, aht, 90, threshold), agents);
                    foreach (var value in new[] { figures.ServiceLevel, figures.ProbabilityOfWait, figures.AbandonRate, figures.Occupancy })
                    {
                        Assert.True(value is >= 0 and <= 1, $"{agents} agents, load {load}, aht {aht}: {figures}");
                    }

                    Assert.True(figures.AsaSeconds is { } asa && double.IsFinite(asa) && asa >= 0, $"{agents} agents, load {load}: {figures}");
                    if (load >= 1.1)
                    {
                        // Overloaded, the surplus gives up: a fraction of at least 1 − 1/load abandons.
                        Assert.True(figures.AbandonRate >= 1 - (1 / load) - 1e-9, $"{agents} agents, load {load}: {figures}");
                    }
                }
            }
        }

        // 4,900 Erlangs of callers with two minutes' patience: at this size 80/20 is met below the
        // load (the efficiency-driven regime: the queue drains in about 16 s and 13 % give up).
        var required = StaffingCalculator.AgentsRequired(StaffingModel.ErlangA, new QueueTraffic(88_200, 200, 120, 20), 0.8);
        Assert.InRange(required.Agents, 4_000, 4_900);
        Assert.InRange(required.AbandonRate, 0.1, 0.2);
        Assert.True(StaffingCalculator.AgentsRequired(StaffingModel.ErlangA, new QueueTraffic(88_200, 200, 120, 20), 0.8, maxOccupancy: 0.95).Agents > 4_900);
        Assert.True(StaffingCalculator.Evaluate(StaffingModel.ErlangA, new QueueTraffic(88_200, 200, 120, 20), required.Agents - 1).ServiceLevel < 0.8);
    }

    [Fact]
    public void ErlangANeedsPatienceNamedInTheError()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            StaffingCalculator.AgentsRequired(StaffingModel.ErlangA, new QueueTraffic(360, 180, null, 20), 0.8));
        Assert.Contains("patience", error.Message, StringComparison.Ordinal);
    }

    private sealed record ReferenceFigures(double Wait, double ServiceLevel, double Abandon, double Occupancy, double MeanQueue);

    /// <summary>
    /// The chain summed term by term in plain doubles (fine for the small cases here), and the tagged
    /// arrival followed through its phases (k ahead … 0 ahead, served; abandoning at rate θ
    /// throughout) by uniformisation: an independent route to the same numbers.
    /// </summary>
    private static ReferenceFigures Reference(double lambda, double mu, double theta, int agents, double threshold, bool tagged = true)
    {
        var weights = new List<double> { 1 };
        for (var n = 1; ; n++)
        {
            var death = n <= agents ? n * mu : (agents * mu) + ((n - agents) * theta);
            var next = weights[^1] * lambda / death;
            weights.Add(next);
            if (n > agents + 10 && next < 1e-20 * weights.Max())
            {
                break;
            }
        }

        var total = weights.Sum();
        var pi = weights.Select(w => w / total).ToArray();
        var wait = pi.Skip(agents).Sum();
        var meanQueue = pi.Select((p, n) => p * Math.Max(0, n - agents)).Sum();
        var abandon = 0.0;
        var served = 0.0;
        for (var n = agents; n < pi.Length; n++)
        {
            var ahead = n - agents;
            abandon += pi[n] * (ahead + 1) * theta / ((agents * mu) + ((ahead + 1) * theta));
        }

        var withinSl = 1 - wait;
        if (tagged && threshold > 0)
        {
            // p[j] = probability of j calls ahead and not yet gone; served accumulates answers within T.
            var maxAhead = pi.Length - agents;
            var p = new double[maxAhead];
            for (var k = 0; k < maxAhead; k++)
            {
                p[k] = pi[agents + k];
            }

            // Uniformised at the fastest rate: a jump leaves j ahead for j − 1 (or the answer from 0)
            // with probability (Nμ + jθ)/rate, gives up with θ/rate, else stays. An answer at jump m
            // is within T when at least m jumps of the Poisson(rate·T) clock happen by T.
            var rate = (agents * mu) + (maxAhead * theta) + theta;
            var mean = rate * threshold;
            var steps = (int)(mean + (12 * Math.Sqrt(mean)) + 30);
            var pmf = Math.Exp(-mean);
            var atMost = 0.0;
            for (var step = 0; step <= steps; step++)
            {
                var next = new double[maxAhead];
                var servedNow = 0.0;
                for (var j = 0; j < maxAhead; j++)
                {
                    var forward = ((agents * mu) + (j * theta)) / rate;
                    next[j] += p[j] * (1 - forward - (theta / rate));
                    if (j == 0)
                    {
                        servedNow += p[0] * forward;
                    }
                    else
                    {
                        next[j - 1] += p[j] * forward;
                    }
                }

                atMost += pmf;
                pmf *= mean / (step + 1);
                served += servedNow * Math.Max(0, 1 - atMost);
                p = next;
            }

            withinSl += served;
        }

        return new ReferenceFigures(wait, withinSl, abandon, lambda * (1 - abandon) / (agents * mu), meanQueue);
    }
}
