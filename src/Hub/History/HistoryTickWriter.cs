using Microsoft.Extensions.Options;
using Wallboard.Hub.Hosting;
using Wallboard.Metrics.Live;
using Wallboard.Metrics.History;

namespace Wallboard.Hub.History;

/// <summary>
/// Writes the core's changed 15-minute intervals to the history store every
/// <c>History:FlushSeconds</c>, so history is never more than one refresh behind. The write runs
/// beside the ticks, never inside one: a store that hangs (InfluxDB stopped, a locked SQLite file)
/// leaves the screens' pushes on time, and the next write waits until it returns. Points stay
/// pending in the core until the store confirms them (newest counters win), and the checkpoint
/// carries them across a restart.
/// </summary>
internal sealed partial class HistoryTickWriter(
    IKpiHistoryStore store,
    MetricsCore core,
    IOptions<HistoryOptions> options,
    TimeProvider time,
    Operations.WallboardMetrics metrics,
    ILogger<HistoryTickWriter> logger) : ICoreTickSubscriber, IHostedService, IDisposable
{
    private long _nextWriteMs = long.MinValue;
    private Task _writing = Task.CompletedTask;
    private long _pointsWritten;

    // A tick and the host's shutdown may both start a write; one runs at a time.
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>Points written since start.</summary>
    public long PointsWritten => Interlocked.Read(ref _pointsWritten);

    /// <summary>Points waiting for the next write.</summary>
    public int Pending => core.HistoryPending;

    /// <summary>The write in progress, or a completed task (tests wait on it after a tick).</summary>
    public Task Writing => _writing;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => _gate.Dispose();

    /// <summary>
    /// On shutdown, waits for a write in progress and writes everything pending at once: what the
    /// checkpoint would otherwise carry to the next start.
    /// </summary>
    /// <remarks>
    /// The host's token is not passed on: it is spent when the services stopped before this one used
    /// up the shutdown timeout (open screen connections can), and giving up then would fail the stop.
    /// The stores bound their own writes (SQLite's busy timeout; InfluxDB's HTTP timeout, then the spool).
    /// </remarks>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _writing.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // A write cancelled as the ticks stopped (it logs any other failure itself); its points are still pending.
        }

        await WriteAsync(CancellationToken.None).ConfigureAwait(false);
    }

    /// <summary>Starts a write when one is due and none is running; never waits for the store.</summary>
    public ValueTask OnTickAsync(LiveSnapshot snapshot, IntervalChanges changes, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        if (now >= _nextWriteMs && _writing.IsCompleted && core.HistoryPending > 0)
        {
            _nextWriteMs = now + (options.Value.FlushSeconds * 1000L);
            _writing = Task.Run(() => WriteAsync(cancellationToken), CancellationToken.None);
        }

        return ValueTask.CompletedTask;
    }

    private async Task WriteAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            var (points, version, watermark) = core.TakeHistory();
            if (points.Count == 0)
            {
                return;
            }

            try
            {
                await store.WriteAsync(points, watermark, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Log.WriteFailed(logger, points.Count, ex);
                metrics.HistoryWriteFailed();
                return;
            }

            core.HistoryWritten(version);
            Interlocked.Add(ref _pointsWritten, points.Count);
            metrics.HistoryWritten(points.Count);
        }
        finally
        {
            _gate.Release();
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 400, Level = LogLevel.Warning, Message = "History write of {Points} points failed; they stay pending")]
        public static partial void WriteFailed(ILogger logger, int points, Exception exception);
    }
}

/// <summary>
/// Before the core takes its first event, loads the intervals of the last hours back from the
/// store, so a restart adds to what was stored instead of overwriting it with partial counts.
/// </summary>
internal sealed class HistorySeeder(IKpiHistoryStore store, TimeProvider time) : ICoreInitializer
{
    /// <summary>How far back a late event may still land after a restart.</summary>
    private const long SeedHorizonMs = 6 * 3_600_000L;

    public async Task InitializeAsync(MetricsCore core, CancellationToken cancellationToken)
    {
        if (core.Restored)
        {
            // The checkpoint brought the engine back whole; stored intervals would only be older.
            return;
        }

        var from = time.GetUtcNow().ToUnixTimeMilliseconds() - SeedHorizonMs;
        var points = await HistoryWriter.LoadOpenIntervalsAsync(store, from, cancellationToken).ConfigureAwait(false);
        core.SeedHistory(engine => HistoryWriter.Seed(engine, points));
    }
}
