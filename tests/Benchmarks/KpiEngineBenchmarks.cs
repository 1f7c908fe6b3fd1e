using BenchmarkDotNet.Attributes;
using Wallboard.Ingest.Model;
using Wallboard.Metrics;
using Wallboard.Metrics.Calendar;
using Wallboard.Metrics.Engine;

namespace Wallboard.Benchmarks;

/// <summary>
/// The metrics core on one core. One operation is one event. The engine is warmed with the first
/// week (queues, agents, slots and dictionaries grown), then measured on the next three days, so
/// Allocated shows the steady state.
/// </summary>
/// <remarks>
/// <see cref="Forgetting"/> off keeps every interval, as `wallboard kpi` does: what is allocated
/// then is the counters themselves (a new slot per logged-in agent each minute at 1m). On, the
/// engine forgets old intervals every hour of event time as the server does, the history engine
/// (15m) two days behind the newest event, the live engine (1m) 26 hours: that is how the server's
/// engines run, and the forgetting is measured with the events.
/// </remarks>
[MemoryDiagnoser]
[WarmupCount(2)]
[IterationCount(10)]
[InvocationCount(1, 1)]
public class KpiEngineBenchmarks
{
    private const int WarmUpEvents = 1_000_000;
    private const int MeasuredEvents = 500_000;
    private const long Hour = 3_600_000L;

    private ContactEvent[] _warmUp = [];
    private ContactEvent[] _measured = [];
    private KpiEngine _engine = null!;
    private long _retentionMs;
    private long _nextForgetMs;

    [Params("15m", "1m")]
    public string Interval { get; set; } = "15m";

    [Params(false, true)]
    public bool Forgetting { get; set; }

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

        // MetricsCore's LiveRetentionMs and HistoryRetentionMs.
        _retentionMs = !Forgetting ? long.MaxValue : Interval == "1m" ? 26 * Hour : 48 * Hour;
    }

    [IterationSetup(Target = nameof(Apply))]
    public void WarmEngine()
    {
        _engine = new KpiEngine(new KpiOptions { TimeZone = "Asia/Shanghai", Interval = IntervalLength.Parse(Interval) });
        _nextForgetMs = long.MinValue;
        foreach (ref readonly var e in _warmUp.AsSpan())
        {
            _engine.Accept(e);
            ForgetWhenDue();
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
            ForgetWhenDue();
        }

        return _engine.WatermarkMs;
    }

    private void ForgetWhenDue()
    {
        if (_retentionMs != long.MaxValue && _engine.WatermarkMs >= _nextForgetMs)
        {
            _engine.ForgetIntervalsBefore(_engine.WatermarkMs - _retentionMs);
            _nextForgetMs = _engine.WatermarkMs + Hour;
        }
    }
}
