using System.Diagnostics;
using Microsoft.Extensions.Options;
using Wallboard.Hub.Hosting;

namespace Wallboard.Hub.Durability;

/// <summary>What /healthz shows of checkpoints.</summary>
/// <param name="Enabled">False in demo mode, whose simulator starts over at each start.</param>
/// <param name="Restored">Whether the engines were restored from a checkpoint at start.</param>
/// <param name="Sequence">Batches applied up to the last checkpoint saved.</param>
/// <param name="SavedAt">When the last checkpoint was saved (ISO 8601 UTC), or null.</param>
/// <param name="Bytes">Its size.</param>
/// <param name="CaptureMilliseconds">How long the core was held to capture it.</param>
/// <param name="WriteMilliseconds">How long writing and flushing it took.</param>
/// <param name="Failures">Saves that failed since start (the next one is tried at the next period).</param>
internal sealed record CheckpointHealth(bool Enabled, bool Restored, long Sequence, string? SavedAt, long Bytes, double CaptureMilliseconds, double WriteMilliseconds, long Failures);

/// <summary>
/// Saves the core's checkpoint every <c>Durability:CheckpointSeconds</c> while batches arrive, at
/// once when an HTTP batch waits for its answer, and at shutdown; restores it at start, before the
/// core takes an event and before any source is read. An HTTP batch is answered only once a saved
/// checkpoint includes it, so an answered batch is never lost.
/// </summary>
internal sealed partial class CheckpointService(
    MetricsCore core,
    ICheckpointStore store,
    IOptions<DurabilityOptions> options,
    IOptions<SourcesOptions> sources,
    TimeProvider time,
    ILogger<CheckpointService> logger) : BackgroundService
{
    private readonly Lock _lock = new();
    private readonly SemaphoreSlim _wake = new(0, int.MaxValue);
    private readonly SemaphoreSlim _saving = new(1, 1);
    private readonly List<(long Sequence, TaskCompletionSource Done)> _waiters = [];
    private readonly MemoryStream _buffer = new();
    private long _durable;
    private long _failures;
    private CheckpointHealth? _last;

    /// <summary>Checkpoints are off in demo mode: the simulator plays its day again at each start.</summary>
    public bool Enabled => !sources.Value.DemoEnabled;

    public CheckpointHealth Health
    {
        get
        {
            lock (_lock)
            {
                return (_last ?? new CheckpointHealth(Enabled, core.Restored, _durable, null, 0, 0, 0, 0)) with { Restored = core.Restored, Failures = _failures };
            }
        }
    }

    /// <summary>Restores the last checkpoint before the other services start (the pump, the sources).</summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        if (Enabled)
        {
            var checkpoint = await store.LoadAsync(cancellationToken).ConfigureAwait(false);
            if (checkpoint is not null)
            {
                if (core.Restore(checkpoint, out var problem))
                {
                    Log.Restored(logger, checkpoint.Sequence, checkpoint.Positions.Count, checkpoint.Keys.Count);
                }
                else
                {
                    Log.EnginesNotRestored(logger, problem ?? "unknown");
                }

                lock (_lock)
                {
                    _durable = checkpoint.Sequence;
                }
            }
        }

        await base.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Completes once a saved checkpoint includes the batch of <paramref name="sequence"/> (at once when checkpoints are off).</summary>
    public Task WhenDurableAsync(long sequence, CancellationToken cancellationToken)
    {
        if (!Enabled)
        {
            return Task.CompletedTask;
        }

        lock (_lock)
        {
            if (_durable >= sequence)
            {
                return Task.CompletedTask;
            }

            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((sequence, done));
            _wake.Release();
            return done.Task.WaitAsync(cancellationToken);
        }
    }

    /// <summary>Saves a checkpoint now if anything was applied since the last one; public to tests.</summary>
    public async Task SaveAsync(CancellationToken cancellationToken)
    {
        await _saving.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (core.Sequence == Volatile.Read(ref _durable))
            {
                // Nothing applied since: the saved checkpoint is as good (ticks move nothing a restart needs).
                return;
            }

            var started = Stopwatch.GetTimestamp();
            _buffer.SetLength(0);
            var checkpoint = core.Capture(time.GetUtcNow().ToUnixTimeMilliseconds(), _buffer);
            var captured = Stopwatch.GetElapsedTime(started);
            await store.SaveAsync(checkpoint, cancellationToken).ConfigureAwait(false);
            var written = Stopwatch.GetElapsedTime(started) - captured;
            List<TaskCompletionSource> done = [];
            lock (_lock)
            {
                _durable = Math.Max(_durable, checkpoint.Sequence);
                for (var i = _waiters.Count - 1; i >= 0; i--)
                {
                    if (_waiters[i].Sequence <= _durable)
                    {
                        done.Add(_waiters[i].Done);
                        _waiters.RemoveAt(i);
                    }
                }

                _last = new CheckpointHealth(
                    true, core.Restored, checkpoint.Sequence,
                    DateTimeOffset.FromUnixTimeMilliseconds(checkpoint.SavedAtMs).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture),
                    store is FileCheckpointStore file ? file.LastBytes : checkpoint.CoreState.Length,
                    Math.Round(captured.TotalMilliseconds, 3), Math.Round(written.TotalMilliseconds, 3), _failures);
            }

            foreach (var waiter in done)
            {
                waiter.TrySetResult();
            }
        }
        finally
        {
            _saving.Release();
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        if (!Enabled)
        {
            return;
        }

        try
        {
            // Whatever the pump applied before it stopped; the sources read the rest again at the next start.
            await SaveAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.SaveFailed(logger, ex);
        }

        lock (_lock)
        {
            foreach (var (_, done) in _waiters)
            {
                done.TrySetException(new OperationCanceledException("the server is stopping; the batch was not saved and is counted when it is sent again"));
            }

            _waiters.Clear();
        }
    }

    public override void Dispose()
    {
        _wake.Dispose();
        _saving.Dispose();
        _buffer.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!Enabled)
        {
            return;
        }

        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.CheckpointSeconds), time);
        var tick = timer.WaitForNextTickAsync(stoppingToken).AsTask();
        var wake = _wake.WaitAsync(stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            var woke = await Task.WhenAny(tick, wake).ConfigureAwait(false);
            if (woke.IsCanceled || stoppingToken.IsCancellationRequested)
            {
                return;
            }

            if (woke == tick)
            {
                if (!await tick.ConfigureAwait(false))
                {
                    return;
                }

                tick = timer.WaitForNextTickAsync(stoppingToken).AsTask();
            }
            else
            {
                wake = _wake.WaitAsync(stoppingToken);
            }

            try
            {
                await SaveAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // A disk that is full or gone must not stop the server: the last saved checkpoint stands.
                Interlocked.Increment(ref _failures);
                Log.SaveFailed(logger, ex);
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 901, Level = LogLevel.Information, Message = "Restored the checkpoint of batch {Sequence}: {Positions} source positions, {Keys} idempotency keys")]
        public static partial void Restored(ILogger logger, long sequence, int positions, int keys);

        [LoggerMessage(EventId = 902, Level = LogLevel.Warning, Message = "The checkpoint's engines could not be restored ({Problem}); the sources resume at their saved positions and history is reloaded from the store")]
        public static partial void EnginesNotRestored(ILogger logger, string problem);

        [LoggerMessage(EventId = 903, Level = LogLevel.Error, Message = "Saving a checkpoint failed; retrying at the next period")]
        public static partial void SaveFailed(ILogger logger, Exception exception);
    }
}
