using BenchmarkDotNet.Attributes;
using Wallboard.Metrics.Staffing;

namespace Wallboard.Benchmarks;

/// <summary>
/// <c>agents_required</c> for 500 queues, what the live core does once per cadence. One operation
/// is all 500 queues. Traffic is drawn once (seeded): 20 to 600 calls an hour, 2 to 7 minutes
/// handling, 1 to 5 minutes patience, 80 % within 20 s — 1 to about 70 agents a queue.
/// </summary>
[MemoryDiagnoser]
public class StaffingBenchmarks
{
    private const int Queues = 500;
    private readonly QueueTraffic[] _traffic = new QueueTraffic[Queues];

    [Params(StaffingModel.ErlangA, StaffingModel.ErlangC)]
    public StaffingModel Model { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(500);
        for (var i = 0; i < Queues; i++)
        {
            _traffic[i] = new QueueTraffic(20 + (580 * random.NextDouble()), 120 + (300 * random.NextDouble()), 60 + (240 * random.NextDouble()), 20);
        }
    }

    [Benchmark]
    public int AgentsRequiredFor500Queues()
    {
        var total = 0;
        foreach (ref readonly var traffic in _traffic.AsSpan())
        {
            total += StaffingCalculator.AgentsRequired(Model, traffic, 0.8, 0.95).Agents;
        }

        return total;
    }
}
