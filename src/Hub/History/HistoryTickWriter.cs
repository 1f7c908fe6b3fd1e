using Microsoft.Extensions.Options;
using Wallboard.Hub.Hosting;
using Wallboard.Metrics.Live;
using Wallboard.Metrics.History;

namespace Wallboard.Hub.History;

/// <summary>
/// Writes the core's changed 15-minute intervals to the history store every
/// <c>History:FlushSeconds</c>, so history is never more than one refresh behind. Changes that
/// could not be written stay pending (newest counters win) and go with the next write.
/// </summary>
internal sealed partial class HistoryTickWriter(
    IKpiHistoryStore store,
    MetricsCore core,
    IOptions<HistoryOptions> options,
    TimeProvider time,
    Operations.WallboardMetrics metrics,
    ILogger<HistoryTickWriter> logger) : ICoreTickSubscriber, IHostedService, IDisposable
{
    private readonly Dictionary<(HistoryKind Kind, string Id, long Start), HistoryPoint> _pending = [];
    private long _nextWriteMs = long.MinValue;

    // The ticker and the host's shutdown may both be here at once.
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>Points written since start.</summary>
    public long PointsWritten { get; private set; }

    /// <summary>Points waiting for the next write.</summary>
    public int Pending => _pending.Count;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => _gate.Dispose();

    /// <summary>
    /// On shutdown, takes what changed since the last tick and writes everything pending at once:
    /// the tails have already saved their offsets, so these changes would otherwise never come back.
    /// </summary>
    /// <remarks>
    /// The host's token is not passed on: it is spent when the services stopped before this one used
    /// up the shutdown timeout (open screen connections can), and giving up then would lose the last
    /// changes for good, and fail the stop. The stores bound their own writes (SQLite's busy
    /// timeout; InfluxDB's HTTP timeout, then the spool).
    /// </remarks>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            var (_, changes) = core.Tick(time.GetUtcNow().ToUnixTimeMilliseconds());
            _nextWriteMs = long.MinValue;
            await WriteAsync(changes, CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask OnTickAsync(LiveSnapshot snapshot, IntervalChanges changes, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await WriteAsync(changes, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task WriteAsync(IntervalChanges changes, CancellationToken cancellationToken)
    {
        foreach (var change in changes.Queues)
        {
            Add(HistoryPoint.Queue(change.Id, change.IntervalStartMs, change.Counters));
        }

        foreach (var change in changes.Agents)
        {
            Add(HistoryPoint.Agent(change.Id, change.IntervalStartMs, change.Counters));
        }

        foreach (var change in changes.Campaigns)
        {
            Add(HistoryPoint.Campaign(change.Id, change.IntervalStartMs, change.Counters));
        }

        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        if (_pending.Count == 0 || now < _nextWriteMs)
        {
            return;
        }

        _nextWriteMs = now + (options.Value.FlushSeconds * 1000L);
        var points = _pending.Values.ToList();
        var watermark = core.WatermarkMs;
        try
        {
            await store.WriteAsync(points, watermark == long.MinValue ? null : watermark, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.WriteFailed(logger, points.Count, ex);
            metrics.HistoryWriteFailed();
            return;
        }

        _pending.Clear();
        PointsWritten += points.Count;
        metrics.HistoryWritten(points.Count);
    }

    private void Add(HistoryPoint point) => _pending[(point.Kind, point.Id, point.IntervalStartMs)] = point;

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
        var from = time.GetUtcNow().ToUnixTimeMilliseconds() - SeedHorizonMs;
        var points = await HistoryWriter.LoadOpenIntervalsAsync(store, from, cancellationToken).ConfigureAwait(false);
        core.SeedHistory(engine => HistoryWriter.Seed(engine, points));
    }
}
