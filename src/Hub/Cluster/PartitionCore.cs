using System.Diagnostics;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using Wallboard.Hub.Durability;
using Wallboard.Hub.History;
using Wallboard.Hub.Hosting;
using Wallboard.Hub.Names;
using Wallboard.Ingest.Model;
using Wallboard.Metrics.History;
using Wallboard.Metrics.Live;

namespace Wallboard.Hub.Cluster;

/// <summary>What /healthz shows of a partition whose core this hub runs.</summary>
/// <param name="Partition">The partition.</param>
/// <param name="Position">The id of the last stream entry applied.</param>
/// <param name="EventsApplied">Events applied since this hub took the core over (those of the checkpoint restored not included).</param>
/// <param name="EntriesUnreadable">Stream entries passed over because they could not be read.</param>
/// <param name="TakenOverAt">When this hub took the core over (ISO 8601).</param>
/// <param name="TakeOverMilliseconds">How long taking over took: checkpoint restored and the stream read to its end.</param>
/// <param name="Ticks">Ticks of the core since it was taken over.</param>
/// <param name="HistoryPending">History points taken from the core and not yet written.</param>
/// <param name="Checkpoint">The partition's checkpoints.</param>
internal sealed record RunningPartition(
    string Partition, string? Position, long EventsApplied, long EntriesUnreadable, string TakenOverAt, double TakeOverMilliseconds, long Ticks, int HistoryPending, CheckpointHealth Checkpoint);

/// <summary>The services a partition's core is built from, resolved once.</summary>
internal sealed record PartitionServices(
    IOptions<ClusterOptions> Cluster,
    IOptions<MetricsOptions> Metrics,
    IOptions<DurabilityOptions> Durability,
    IOptions<Staffing.StaffingOptions> Staffing,
    IOptions<HistoryOptions> History,
    Staffing.RotaSource Rota,
    DirectoryService Directory,
    IKpiHistoryStore Store,
    ClusterEventLog Log,
    ClusterConnections Connections,
    ClusterKeys Keys,
    ClusterView View,
    StatePaths Paths,
    Operations.WallboardMetrics Counters,
    TimeProvider Time,
    ILoggerFactory Loggers);

/// <summary>
/// The metrics core of one partition while this hub holds its lock: the server's own pieces — a
/// <see cref="MetricsCore"/>, its <see cref="CheckpointService"/> (saving to PostgreSQL on the lock's
/// session), its <see cref="CoreTicker"/> and <see cref="HistoryTickWriter"/> — fed from the
/// partition's Redis stream instead of the ingest channel. Taking over restores the partition's
/// checkpoint and reads the stream from the position it includes: each entry is applied once, with
/// its id as the position, under the core's one lock.
/// </summary>
internal sealed partial class PartitionCore : IAsyncDisposable
{
    /// <summary>Entries read from the stream at once (a batch is one HTTP request or one poll of a file, up to 512 events).</summary>
    private const int ReadCount = 64;

    private static readonly TimeSpan IdlePoll = TimeSpan.FromSeconds(1);

    private readonly string _partition;
    private readonly LockSession _session;
    private readonly PartitionServices _services;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _appended = new(0, int.MaxValue);
    private readonly IdInterner _names = new();
    private MetricsCore? _core;
    private CheckpointService? _checkpoints;
    private HistoryTickWriter? _history;
    private CoreTicker? _ticker;
    private ChannelMessageQueue? _notifications;
    private Task _reading = Task.CompletedTask;
    private long _unreadable;
    private DateTimeOffset _takenOverAt;
    private double _takeOverMilliseconds;

    public PartitionCore(string partition, LockSession session, PartitionServices services)
    {
        _partition = partition;
        _session = session;
        _services = services;
        _logger = services.Loggers.CreateLogger<PartitionCore>();
    }

    public string Partition => _partition;

    public LockSession Session => _session;

    /// <summary>The source name under which the core keeps its position in the stream.</summary>
    public string Source => "stream:" + _partition;

    public RunningPartition Health => new(
        _partition,
        _core?.PositionOf(Source),
        _core?.EventsApplied ?? 0,
        Interlocked.Read(ref _unreadable),
        _takenOverAt.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
        _takeOverMilliseconds,
        _ticker?.Ticks ?? 0,
        _history?.Pending ?? 0,
        _checkpoints?.Health ?? new CheckpointHealth(true, false, 0, null, 0, 0, 0, 0));

    /// <summary>Restores the checkpoint, reads the stream up to its end, then ticks: the partition is live on this hub.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var services = _services;
        _takenOverAt = services.Time.GetUtcNow();
        var core = _core = new MetricsCore(
            services.Metrics,
            services.Durability,
            new DeadLetters(Path.Combine(services.Paths.Folder, $"dead-letters-{_partition}.ndjson"), services.Durability.Value.DeadLetterMaxBytes, services.Time),
            services.Staffing,
            services.Rota);
        core.UseDirectory(services.Directory.Current);
        services.Directory.Changed += core.UseDirectory;

        var cluster = services.Cluster.Value;
        var store = new PostgreSqlCheckpointStore(_session, cluster.Name, _partition, cluster.NodeName, TrimAsync);
        _checkpoints = new CheckpointService(
            core, store, services.Durability, Options.Create(new SourcesOptions { Demo = false }), services.Time, services.Loggers.CreateLogger<CheckpointService>());
        await _checkpoints.StartAsync(cancellationToken).ConfigureAwait(false);

        // Told of each append, so an entry is read at once; the idle poll covers a notice lost while Redis was away.
        _notifications = await services.Connections.Redis.GetSubscriber().SubscribeAsync(RedisChannel.Literal(services.Keys.Appended(_partition))).ConfigureAwait(false);
        _notifications.OnMessage(_ => _appended.Release());

        var replayed = await CatchUpAsync(cancellationToken).ConfigureAwait(false);
        _history = new HistoryTickWriter(
            new FencedHistoryStore(services.Store, _session), core, services.History, services.Time, services.Counters, services.Loggers.CreateLogger<HistoryTickWriter>());
        _ticker = new CoreTicker(
            core, [_history, new SnapshotPublisher(core, this, services)], services.Metrics, services.Time, services.Loggers.CreateLogger<CoreTicker>());
        await _ticker.StartAsync(cancellationToken).ConfigureAwait(false);
        _reading = Task.Run(() => ReadAsync(_stop.Token), CancellationToken.None);
        _takeOverMilliseconds = Math.Round(Stopwatch.GetElapsedTime(started).TotalMilliseconds, 1);
        Log.Running(_logger, _partition, core.Restored ? core.Sequence - replayed : 0, replayed, _takeOverMilliseconds);
    }

    /// <summary>Hands the partition over: the last entries applied, history written, a checkpoint saved, then the lock released.</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await WaitReadingAsync().ConfigureAwait(false);
        if (_ticker is not null)
        {
            await _ticker.StopAsync(CancellationToken.None).ConfigureAwait(false);
        }

        if (_history is not null)
        {
            await _history.StopAsync(CancellationToken.None).ConfigureAwait(false);
        }

        if (_checkpoints is not null)
        {
            await _checkpoints.StopAsync(CancellationToken.None).ConfigureAwait(false);
        }

        await DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// The lock was lost (its session failed): stops at once, writing nothing — the hub that takes
    /// over restores the last checkpoint and writes history from there.
    /// </summary>
    public async Task AbandonAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await WaitReadingAsync().ConfigureAwait(false);
        if (_ticker is not null)
        {
            await _ticker.StopAsync(CancellationToken.None).ConfigureAwait(false);
        }

        Log.Abandoned(_logger, _partition);
        await DisposeAsync().ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (_core is not null)
        {
            _services.Directory.Changed -= _core.UseDirectory;
        }

        if (_notifications is not null)
        {
            try
            {
                await _notifications.UnsubscribeAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                // Redis is away; the subscription goes with the connection.
            }
        }

        _ticker?.Dispose();
        _history?.Dispose();
        _checkpoints?.Dispose();
        await _session.DisposeAsync().ConfigureAwait(false);
        _stop.Dispose();
        _appended.Dispose();
    }

    private async Task WaitReadingAsync()
    {
        try
        {
            await _reading.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }
    }

    /// <summary>Applies every entry after the checkpoint's position; returns how many.</summary>
    private async Task<long> CatchUpAsync(CancellationToken cancellationToken)
    {
        long applied = 0;
        while (true)
        {
            var read = await ApplyNextAsync(cancellationToken).ConfigureAwait(false);
            applied += read;
            if (read < ReadCount)
            {
                return applied;
            }
        }
    }

    private async Task ReadAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (await ApplyNextAsync(stoppingToken).ConfigureAwait(false) < ReadCount)
                {
                    await _appended.WaitAsync(IdlePoll, stoppingToken).ConfigureAwait(false);

                    // The read that follows takes every entry appended so far: the notices of those are spent.
                    while (_appended.Wait(0, CancellationToken.None))
                    {
                    }
                }
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                Log.ReadFailed(_logger, _partition, ex.Message);
                await Task.Delay(IdlePoll, _services.Time, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Reads the next entries of the stream and applies each as one batch, its id as the position.</summary>
    private async Task<int> ApplyNextAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var core = _core!;
        var entries = await _services.Log.ReadAsync(_partition, core.PositionOf(Source), ReadCount).ConfigureAwait(false);
        foreach (var entry in entries)
        {
            ContactEvent[] events;
            try
            {
                events = EventCodec.Decode(entry.Events, _names);
            }
            catch (Exception ex) when (ex is InvalidDataException or EndOfStreamException or IOException)
            {
                // Passed over, not retried for ever: the position moves past it.
                Interlocked.Increment(ref _unreadable);
                Log.Unreadable(_logger, _partition, entry.Id, entry.Source, ex.Message);
                events = [];
            }

            core.Apply(new IngestBatch(events, events.Length) { Source = Source, Position = entry.Id });
        }

        return entries.Count;
    }

    private async Task TrimAsync(Checkpoint checkpoint)
    {
        if (checkpoint.Positions.TryGetValue(Source, out var position))
        {
            try
            {
                await _services.Log.TrimAsync(_partition, position, TimeSpan.FromHours(_services.Cluster.Value.StreamRetentionHours)).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                // Trimmed at the next checkpoint.
                Log.ReadFailed(_logger, _partition, ex.Message);
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1520, Level = LogLevel.Information, Message = "Partition {Partition}: running its core here (checkpoint of batch {Sequence} restored, {Replayed} stream entries replayed, {Milliseconds} ms)")]
        public static partial void Running(ILogger logger, string partition, long sequence, long replayed, double milliseconds);

        [LoggerMessage(EventId = 1521, Level = LogLevel.Warning, Message = "Partition {Partition}: reading its stream failed ({Reason}); trying again")]
        public static partial void ReadFailed(ILogger logger, string partition, string reason);

        [LoggerMessage(EventId = 1522, Level = LogLevel.Error, Message = "Partition {Partition}: stream entry {Id} from {Source} cannot be read ({Reason}); passed over")]
        public static partial void Unreadable(ILogger logger, string partition, string id, string source, string reason);

        [LoggerMessage(EventId = 1523, Level = LogLevel.Warning, Message = "Partition {Partition}: its lock was lost; the core stopped here without saving (the hub that takes over restores the last checkpoint)")]
        public static partial void Abandoned(ILogger logger, string partition);
    }
}

/// <summary>
/// Hands a partition's figures at each tick of its core to this hub's view at once (no trip
/// through Redis for the hub that runs the core), then publishes them for the other hubs, encoded
/// and sent off the ticker's thread: a slow Redis delays only the next publication.
/// </summary>
internal sealed class SnapshotPublisher(MetricsCore core, PartitionCore partition, PartitionServices services) : ICoreTickSubscriber
{
    private Task _publishing = Task.CompletedTask;

    public ValueTask OnTickAsync(LiveSnapshot snapshot, IntervalChanges changes, CancellationToken cancellationToken)
    {
        var published = new PartitionSnapshot(partition.Partition, services.Cluster.Value.NodeName, core.PositionOf(partition.Source), core.EventsApplied, snapshot);
        services.View.Take(published);
        if (_publishing.IsCompleted)
        {
            _publishing = Task.Run(() => PublishAsync(published), CancellationToken.None);
        }

        return ValueTask.CompletedTask;
    }

    private async Task PublishAsync(PartitionSnapshot published)
    {
        try
        {
            var bytes = SnapshotCodec.Encode(published);
            var redis = services.Connections.Redis.GetDatabase();
            // The channel first: the hubs' screens wait on it; the key is for a hub that starts.
            await redis.PublishAsync(RedisChannel.Literal(services.Keys.Snapshots), bytes).ConfigureAwait(false);
            await redis.StringSetAsync(services.Keys.Snapshot(partition.Partition), bytes).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            // Redis is away: the next tick publishes newer figures.
        }
    }
}

/// <summary>
/// The history store as a partition's core writes it: each write first checks that this hub still
/// holds the partition's lock, so a hub cut off from PostgreSQL stops writing before another has
/// written long. Reads go straight through.
/// </summary>
internal sealed class FencedHistoryStore(IKpiHistoryStore inner, LockSession session) : IKpiHistoryStore
{
    public async Task WriteAsync(IReadOnlyList<HistoryPoint> points, long? writtenUpToMs, CancellationToken cancellationToken = default)
    {
        if (!await session.CheckAsync(cancellationToken).ConfigureAwait(false))
        {
            throw new InvalidOperationException("this hub no longer holds the partition's lock; the hub that runs it now writes its history");
        }

        await inner.WriteAsync(points, writtenUpToMs, cancellationToken).ConfigureAwait(false);
    }

    public Task<IReadOnlyList<HistoryPoint>> QueryAsync(HistoryKind kind, IReadOnlyCollection<string>? ids, long fromMs, long toMs, CancellationToken cancellationToken = default) =>
        inner.QueryAsync(kind, ids, fromMs, toMs, cancellationToken);

    public Task<long?> GetWrittenUpToAsync(CancellationToken cancellationToken = default) => inner.GetWrittenUpToAsync(cancellationToken);
}
