using Wallboard.Metrics.Staffing;

namespace Wallboard.Tests.Staffing;

/// <summary>
/// Erlang A against a discrete-event simulation of M/M/N+M written here: Poisson arrivals,
/// exponential handling and patience, N agents, first come first served. Each case runs 300,000
/// arrivals in 20 batches; the model must fall within four standard errors of the batch means.
/// </summary>
public sealed class ErlangASimulationTests
{
    [Theory]
    [InlineData(360, 180, 120, 20, 18, 1)]
    [InlineData(360, 180, 120, 20, 21, 2)]
    [InlineData(1_800, 240, 60, 15, 110, 3)]
    [InlineData(600, 300, 90, 30, 40, 4)]
    public void ServiceLevelAbandonRateAndAsaAreWithinSamplingErrorOfASimulation(
        double perHour, double aht, double patience, double threshold, int agents, int seed)
    {
        var model = StaffingCalculator.Evaluate(StaffingModel.ErlangA, new QueueTraffic(perHour, aht, patience, threshold), agents);
        var batches = Simulate(perHour / 3600, 1 / aht, 1 / patience, agents, threshold, seed, arrivalsPerBatch: 15_000, batchCount: 20);

        AssertWithin(batches.Select(b => b.ServiceLevel), model.ServiceLevel, "service level");
        AssertWithin(batches.Select(b => b.AbandonRate), model.AbandonRate, "abandon rate");
        AssertWithin(batches.Select(b => b.Waited), model.ProbabilityOfWait, "probability of wait");
        AssertWithin(batches.Select(b => b.Asa), model.AsaSeconds!.Value, "ASA");
    }

    private static void AssertWithin(IEnumerable<double> samples, double expected, string what)
    {
        var values = samples.ToArray();
        var mean = values.Average();
        var standardError = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Length - 1) / values.Length);
        Assert.True(
            Math.Abs(mean - expected) <= (4 * standardError) + 1e-9,
            $"{what}: model {expected:F5}, simulation {mean:F5} ± {standardError:F5}");
    }

    private sealed record Batch(double ServiceLevel, double AbandonRate, double Waited, double Asa);

    /// <summary>The chain simulated event by event; outcomes are counted in the batch of the call's arrival.</summary>
    private static List<Batch> Simulate(double lambda, double mu, double theta, int agents, double threshold, int seed, int arrivalsPerBatch, int batchCount)
    {
        var random = new Random(seed);
        var warmUp = arrivalsPerBatch;
        var totalArrivals = warmUp + (arrivalsPerBatch * batchCount);
        var within = new long[batchCount];
        var abandoned = new long[batchCount];
        var waited = new long[batchCount];
        var answered = new long[batchCount];
        var answeredWait = new double[batchCount];
        var queue = new List<(double Arrival, int Batch)>();
        var busy = 0;
        var now = 0.0;
        var arrivals = 0;
        while (arrivals < totalArrivals || queue.Count > 0)
        {
            var arrivalRate = arrivals < totalArrivals ? lambda : 0;
            var total = arrivalRate + (busy * mu) + (queue.Count * theta);
            now += -Math.Log(1 - random.NextDouble()) / total;
            var u = random.NextDouble() * total;
            if (u < arrivalRate)
            {
                var batch = arrivals < warmUp ? -1 : (arrivals - warmUp) / arrivalsPerBatch;
                arrivals++;
                if (busy < agents)
                {
                    busy++;
                    if (batch >= 0)
                    {
                        within[batch]++;
                        answered[batch]++;
                    }
                }
                else
                {
                    queue.Add((now, batch));
                    if (batch >= 0)
                    {
                        waited[batch]++;
                    }
                }
            }
            else if (u < arrivalRate + (busy * mu))
            {
                busy--;
                if (queue.Count > 0)
                {
                    var (arrival, batch) = queue[0];
                    queue.RemoveAt(0);
                    busy++;
                    if (batch >= 0)
                    {
                        var wait = now - arrival;
                        answered[batch]++;
                        answeredWait[batch] += wait;
                        if (wait <= threshold)
                        {
                            within[batch]++;
                        }
                    }
                }
            }
            else
            {
                var index = random.Next(queue.Count);
                var batch = queue[index].Batch;
                queue.RemoveAt(index);
                if (batch >= 0)
                {
                    abandoned[batch]++;
                }
            }
        }

        return [.. Enumerable.Range(0, batchCount).Select(b => new Batch(
            (double)within[b] / arrivalsPerBatch,
            (double)abandoned[b] / arrivalsPerBatch,
            (double)waited[b] / arrivalsPerBatch,
            answeredWait[b] / answered[b]))];
    }
}
