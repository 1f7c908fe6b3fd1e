using BenchmarkDotNet.Attributes;
using Wallboard.Ingest.Model;
using Wallboard.Metrics;
using Wallboard.Metrics.Calendar;
using Wallboard.Metrics.Engine;

namespace Wallboard.Benchmarks;

/// <summary>
/// The metrics core on one core. One operation is one event. The engine is warmed with the first
/// week (queues, agents, slots and dictionaries grown), then measured on the second, so Allocated
/// shows the steady state: what remains is the slot of each new call and new intervals.
/// </summary>
[MemoryDiagnoser]
[WarmupCount(2)]
[IterationCount(10)]
[InvocationCount(1, 1)]
public class KpiEngineBenchmarks
{
    private const int WarmUpEvents = 1_000_000;
    private const int MeasuredEvents = 500_000;

    private ContactEvent[] _warmUp = [];
    private ContactEvent[] _measured = [];
    private KpiEngine _engine = null!;

    [Params("15m", "1m")]
    public string Interval { get; set; } = "15m";

    [GlobalSetup]
    public void Setup()
    {
        var events = SimulatedTraffic.Events(SimulatedTraffic.Days(14));
        if (events.Length < WarmUpEvents + MeasuredEvents)
        {
            throw new InvalidOperationException($"the simulation gave {events.Length} events; more are needed");
        }

        _warmUp = events[..WarmUpEvents];
        _measured = events[WarmUpEvents..(WarmUpEvents + MeasuredEvents)];
    }

    [IterationSetup(Target = nameof(Apply))]
    public void WarmEngine()
    {
        _engine = new KpiEngine(new KpiOptions { TimeZone = "Asia/Shanghai", Interval = IntervalLength.Parse(Interval) });
        foreach (var e in _warmUp)
        {
            _engine.Accept(e);
        }
    }

    [Benchmark(OperationsPerInvoke = MeasuredEvents)]
    public long Apply()
    {
        // By reference into the array, as MergedSources hands its batches to the core (a copy of each
        // 120-byte event into a local is no part of the core's work).
        var events = _measured;
        for (var i = 0; i < events.Length; i++)
        {
            _engine.Accept(events[i]);
        }

        return _engine.WatermarkMs;
    }
}
