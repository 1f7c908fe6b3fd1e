using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Wallboard.Hub.Durability;
using Wallboard.Hub.Hosting;
using Wallboard.Ingest.Simulation;

namespace Wallboard.Benchmarks;

/// <summary>
/// The server's checkpoint for a large centre: 1,200 agents (the default centre ×40) after three
/// simulated days, so both engines hold what they keep in steady state (two days of minutes, two
/// days of quarter-hours). One operation is one whole checkpoint: the capture under the core's lock,
/// the capture plus the file written and flushed, or the file read back into a new core.
/// </summary>
[MemoryDiagnoser]
[WarmupCount(1)]
[IterationCount(5)]
public class CheckpointBenchmarks : IDisposable
{
    private readonly MemoryStream _buffer = new();
    private string _folder = string.Empty;
    private MetricsCore _core = null!;
    private FileCheckpointStore _store = null!;

    [GlobalSetup]
    public void Setup()
    {
        _folder = Directory.CreateTempSubdirectory("wallboard-checkpoint-bench-").FullName;
        _core = NewCore();
        var options = new SimulationOptions
        {
            Seed = 42,
            Start = new DateTimeOffset(2026, 11, 2, 0, 0, 0, TimeSpan.FromHours(8)),
            Duration = TimeSpan.FromDays(3),
            TimeZone = "Asia/Shanghai",
        }.ScaledBy(40);
        var events = SimulatedTraffic.Events(options);
        for (var i = 0; i < events.Length; i += 512)
        {
            _core.Apply(events.AsSpan(i, Math.Min(512, events.Length - i)));
        }

        _core.Tick(events[^1].UnixTimeMs);
        _store = new FileCheckpointStore(Path.Combine(_folder, "checkpoint.bin"), TimeProvider.System, TimeSpan.Zero, NullLogger<FileCheckpointStore>.Instance);
        var checkpoint = _core.Capture(0, _buffer);
        _store.SaveAsync(checkpoint, CancellationToken.None).GetAwaiter().GetResult();
        Console.WriteLine($"// {options.AgentCount} agents, {events.Length:N0} events over 3 days: core state {checkpoint.CoreState.Length:N0} bytes, checkpoint file {_store.LastBytes:N0} bytes");
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_folder, recursive: true);

    public void Dispose()
    {
        _buffer.Dispose();
        _store?.Dispose();
        GC.SuppressFinalize(this);
    }

    [Benchmark]
    public long Capture()
    {
        _buffer.SetLength(0);
        return _core.Capture(0, _buffer).CoreState.Length;
    }

    [Benchmark]
    public async Task<long> CaptureAndSave()
    {
        _buffer.SetLength(0);
        await _store.SaveAsync(_core.Capture(0, _buffer), CancellationToken.None);
        return _store.LastBytes;
    }

    [Benchmark]
    public async Task<bool> LoadAndRestore()
    {
        var checkpoint = await _store.LoadAsync(CancellationToken.None);
        return NewCore().Restore(checkpoint!, out _);
    }

    private static MetricsCore NewCore() => new(Options.Create(new MetricsOptions { TimeZone = "Asia/Shanghai" }));
}
