using Microsoft.Extensions.Options;
using Wallboard.Hub.Durability;
using Wallboard.Hub.Names;
using Wallboard.Hub.Staffing;
using Wallboard.Ingest.Model;
using Wallboard.Metrics.Calendar;
using Wallboard.Metrics.Counters;
using Wallboard.Metrics.Engine;
using Wallboard.Metrics.History;
using Wallboard.Metrics.Live;
using Wallboard.Metrics.Names;
using Wallboard.Metrics.Persistence;
using Wallboard.Metrics.Staffing;

namespace Wallboard.Hub.Hosting;

/// <summary>
/// The server's metrics core: a one-minute engine for the live windows and a 15-minute engine
/// whose intervals are written to history. One lock guards both; the ingest loop holds it per
/// batch and the ticker per tick, so the engines stay single-threaded without a thread of their own.
/// </summary>
/// <remarks>
/// Everything a restart needs is held here under that lock, so that one capture is consistent: the
/// engines, each source's position after the last batch applied, the idempotency keys of HTTP
/// batches, and the history points taken from the engine but not yet confirmed written.
/// </remarks>
internal sealed class MetricsCore : ILiveFigures
{
    /// <summary>
    /// How far back the live engine keeps its minutes: the longest window, "today" on a 25-hour day
    /// of a DST change or "shift" back to yesterday's start, plus the hour between prunes. Two days
    /// were kept before, half of them never read, and a large centre's minutes are most of its checkpoint.
    /// </summary>
    private const long LiveRetentionMs = 26 * 3_600_000L;

    /// <summary>
    /// History intervals are written at every tick, so the history engine needs to keep only those late
    /// events may still reach: two days of event time behind the newest event. Without forgetting, it
    /// grew by 5 MB a day for 1,200 agents. An event later than that is dropped and counted
    /// (/healthz: history.lateUpdatesDropped) rather than overwrite a stored interval with a partial one.
    /// </summary>
    private const long HistoryRetentionMs = 2 * 86_400_000L;

    private const int StateVersion = 1;

    private readonly Lock _lock = new();
    private readonly MetricsOptions _options;
    private readonly LiveOptions _liveOptions;
    private readonly DeadLetters _deadLetters;
    private readonly LiveStaffing _staffing;
    private readonly RotaSource? _rota;

    // The configured definitions, under any directory's overrides: a queue dropped from the directory goes back to them.
    private readonly Wallboard.Metrics.KpiOptions _configured;
    private NameDirectory _names = NameDirectory.Empty;
    private KpiEngine _live;
    private KpiEngine _history;
    private long _nextPruneMs = long.MinValue;
    private volatile LiveSnapshot _latest = LiveSnapshot.Empty;
    private readonly List<(long Count, TaskCompletionSource Done)> _waiters = [];

    private readonly Dictionary<string, string> _positions = new(StringComparer.Ordinal);
    private readonly IdempotencyKeys _keys;
    private readonly Dictionary<(HistoryKind Kind, string Id, long Start), (HistoryPoint Point, long Version)> _historyPending = [];
    private long _historyVersion;
    private long _sequence;
    private long _quarantined;

    /// <param name="options">The definitions.</param>
    /// <param name="durability">Idempotency keys kept; the defaults when omitted.</param>
    /// <param name="deadLetters">Where an event that throws goes; nowhere when omitted.</param>
    /// <param name="staffing">How agents required are worked out; the defaults when omitted.</param>
    /// <param name="rota">The rota in force, for agents scheduled and adherence; none when omitted.</param>
    /// <param name="directory">Display names, teams and the queues' service-level overrides; none when omitted.</param>
    public MetricsCore(
        IOptions<MetricsOptions> options,
        IOptions<DurabilityOptions>? durability = null,
        DeadLetters? deadLetters = null,
        IOptions<StaffingOptions>? staffing = null,
        RotaSource? rota = null,
        DirectoryService? directory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _configured = _options.ToKpiOptions(IntervalLength.FifteenMinutes);
        _live = NewEngine(IntervalLength.OneMinute);
        _history = NewEngine(IntervalLength.FifteenMinutes);
        _liveOptions = _options.ToLiveOptions();
        _deadLetters = deadLetters ?? DeadLetters.None;
        var keys = durability?.Value ?? new DurabilityOptions();
        _keys = new IdempotencyKeys(keys.IdempotencyKeys, (long)(keys.IdempotencyKeyHours * 3_600_000));
        _staffing = new LiveStaffing((staffing?.Value ?? new StaffingOptions()).ToPolicy());
        _rota = rota;
        if (directory is not null)
        {
            UseDirectory(directory.Current);
            directory.Changed += UseDirectory;
        }
    }

    /// <summary>Takes a directory's names for the snapshots and its service-level thresholds for calls from now on.</summary>
    public void UseDirectory(NameDirectory names)
    {
        ArgumentNullException.ThrowIfNull(names);
        lock (_lock)
        {
            _names = names;
            var targets = names.QueueTargets(_configured);
            _live.ApplyQueueTargets(targets);
            _history.ApplyQueueTargets(targets);
        }
    }

    /// <summary>The latest snapshot; readers on any thread take it without locking.</summary>
    public LiveSnapshot Latest => _latest;

    /// <summary>Time of the latest event applied (Unix ms), for source lag.</summary>
    public long WatermarkMs
    {
        get
        {
            lock (_lock)
            {
                return _live.WatermarkMs;
            }
        }
    }

    /// <summary>Events applied since this process started.</summary>
    public long EventsApplied { get; private set; }

    /// <summary>Batches applied since the first start (kept in the checkpoint): what a checkpoint covers.</summary>
    public long Sequence
    {
        get
        {
            lock (_lock)
            {
                return _sequence;
            }
        }
    }

    /// <summary>Whether the engines were restored from a checkpoint at start.</summary>
    public bool Restored { get; private set; }

    /// <summary>Events that threw inside the core and went to the dead-letter file instead.</summary>
    public long Quarantined => Interlocked.Read(ref _quarantined);

    /// <summary>Events the engines refused (outside the calendar, names too long, over the caps).</summary>
    public EngineRejections Rejected
    {
        get
        {
            lock (_lock)
            {
                return _live.Rejected;
            }
        }
    }

    /// <summary>Counter updates the history engine dropped because their interval was older than it keeps.</summary>
    public long HistoryLateUpdatesDropped
    {
        get
        {
            lock (_lock)
            {
                return _history.TooLate;
            }
        }
    }

    /// <summary>History points taken from the engine and not yet confirmed written.</summary>
    public int HistoryPending
    {
        get
        {
            lock (_lock)
            {
                return _historyPending.Count;
            }
        }
    }

    /// <summary>The position a source reached in the batches applied (restored from the checkpoint at start), or null.</summary>
    public string? PositionOf(string source)
    {
        lock (_lock)
        {
            return _positions.GetValueOrDefault(source);
        }
    }

    /// <summary>The answer kept for an idempotency key and the sequence of its batch, or null when the key is not known.</summary>
    public (string Answer, long Sequence)? AnswerOf(string key)
    {
        lock (_lock)
        {
            return _keys.Find(key);
        }
    }

    /// <summary>Applies a batch of events to both engines (tests and tools; no source position).</summary>
    public void Apply(ReadOnlySpan<ContactEvent> batch) => Apply(new IngestBatch(batch.ToArray(), batch.Length));

    /// <summary>Applies a batch to both engines and records its source's position and idempotency key, all under one lock.</summary>
    public void Apply(IngestBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        long sequence;
        lock (_lock)
        {
            ApplyEvents(batch.Events, batch.Source);
            if (batch.Source is { } source && batch.Position is { } position)
            {
                _positions[source] = position;
            }

            sequence = ++_sequence;
            if (batch.IdempotencyKey is { } key)
            {
                _keys.Add(key, batch.Answer ?? string.Empty, sequence, batch.ReceivedAtMs);
            }

            EventsApplied += batch.Count;
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Count <= EventsApplied)
                {
                    _waiters[i].Done.TrySetResult();
                    _waiters.RemoveAt(i);
                }
            }
        }

        batch.MarkApplied(sequence);
    }

    /// <summary>Completes once at least <paramref name="count"/> events have been applied (tests and the load test wait on it).</summary>
    public Task WhenAppliedAsync(long count)
    {
        lock (_lock)
        {
            if (EventsApplied >= count)
            {
                return Task.CompletedTask;
            }

            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((count, done));
            return done.Task;
        }
    }

    /// <summary>Loads stored counters of intervals still open into the history engine, so new events add to them.</summary>
    public void SeedHistory(Action<KpiEngine> seed)
    {
        ArgumentNullException.ThrowIfNull(seed);
        lock (_lock)
        {
            seed(_history);
        }
    }

    /// <summary>Accounts open sessions up to now, builds the snapshot and takes the history intervals that changed.</summary>
    public (LiveSnapshot Snapshot, IntervalChanges Changes) Tick(long nowMs)
    {
        // Outside the lock: it may read the rota file.
        var rota = _rota?.Current();
        lock (_lock)
        {
            // The live board counts open sessions up to the clock, so login time grows on screen in a
            // quiet spell; a logout read later takes back what was counted past it. History counts
            // them only up to the newest event: a source catching up after a restart would otherwise
            // write hours of login time up to the clock into stored intervals, then take it back.
            _live.FlushOpenSessions(nowMs);
            if (_history.WatermarkMs != long.MinValue)
            {
                _history.FlushOpenSessions(Math.Min(nowMs, _history.WatermarkMs));
            }

            _staffing.Rota = rota ?? Rota.Empty;
            var snapshot = _staffing.Apply(_live, LiveView.Build(_live, nowMs, _liveOptions, _names), _liveOptions);
            var changes = DrainHistory();
            if (nowMs >= _nextPruneMs)
            {
                // After the drain: what is forgotten has been handed to the history writer.
                _live.ForgetIntervalsBefore(nowMs - LiveRetentionMs);
                if (_history.WatermarkMs != long.MinValue)
                {
                    _history.ForgetIntervalsBefore(_history.WatermarkMs - HistoryRetentionMs);
                }

                _nextPruneMs = nowMs + 3_600_000L;
            }

            _latest = snapshot;
            return (snapshot, changes);
        }
    }

    /// <summary>
    /// Every history point waiting to be written (the intervals changed since the last confirmed
    /// write, taken from the engine now), the version to confirm with, and the event-time watermark.
    /// </summary>
    public (List<HistoryPoint> Points, long Version, long? WatermarkMs) TakeHistory()
    {
        lock (_lock)
        {
            DrainHistory();
            var watermark = _history.WatermarkMs;
            return ([.. _historyPending.Values.Select(pending => pending.Point)], _historyVersion, watermark == long.MinValue ? null : watermark);
        }
    }

    /// <summary>The points of <see cref="TakeHistory"/> with <paramref name="version"/> are stored; those changed since stay pending.</summary>
    public void HistoryWritten(long version)
    {
        lock (_lock)
        {
            foreach (var (key, pending) in _historyPending)
            {
                if (pending.Version <= version)
                {
                    _historyPending.Remove(key);
                }
            }
        }
    }

    /// <summary>
    /// The state of the core now, as one consistent capture: the engines, the history points not yet
    /// written, the batch sequence, every source's position and the idempotency keys.
    /// </summary>
    /// <param name="nowMs">The server clock, recorded as the time of the capture.</param>
    /// <param name="state">Receives the core's state; the checkpoint's <see cref="Checkpoint.CoreState"/> is its buffer (reused by the caller from one capture to the next, so a large centre's state does not go to the large-object heap each time).</param>
    public Checkpoint Capture(long nowMs, MemoryStream state)
    {
        ArgumentNullException.ThrowIfNull(state);
        lock (_lock)
        {
            using (var writer = new StateWriter(state))
            {
                writer.Section("metrics-core");
                writer.Write(StateVersion);
                writer.Write(_sequence);
                _live.WriteState(writer);
                _history.WriteState(writer);
                HistoryPointState.Write(writer, [.. _historyPending.Values.Select(pending => pending.Point)]);
            }

            return new Checkpoint(_sequence, nowMs, state.GetBuffer().AsMemory(0, (int)state.Length), new Dictionary<string, string>(_positions, StringComparer.Ordinal), _keys.ToList());
        }
    }

    /// <summary>
    /// Takes up a checkpoint before the first event: the positions and keys always, the engines when
    /// their state reads back in this build and configuration; else they start empty, false is
    /// returned and <paramref name="problem"/> says why.
    /// </summary>
    public bool Restore(Checkpoint checkpoint, out string? problem)
    {
        problem = null;
        ArgumentNullException.ThrowIfNull(checkpoint);
        lock (_lock)
        {
            if (_sequence != 0 || EventsApplied != 0)
            {
                throw new InvalidOperationException("a checkpoint is restored before the first event only");
            }

            foreach (var (source, position) in checkpoint.Positions)
            {
                _positions[source] = position;
            }

            foreach (var key in checkpoint.Keys)
            {
                _keys.Add(key.Key, key.Answer, key.Sequence, key.ReceivedAtMs);
            }

            _sequence = checkpoint.Sequence;
            var live = NewEngine(IntervalLength.OneMinute);
            var history = NewEngine(IntervalLength.FifteenMinutes);
            List<HistoryPoint> pending;
            using (var state = System.Runtime.InteropServices.MemoryMarshal.TryGetArray(checkpoint.CoreState, out var bytes)
                ? new MemoryStream(bytes.Array!, bytes.Offset, bytes.Count, writable: false)
                : new MemoryStream(checkpoint.CoreState.ToArray(), writable: false))
            using (var reader = new StateReader(state))
            {
                try
                {
                    reader.Section("metrics-core");
                    var version = reader.ReadInt32();
                    if (version != StateVersion)
                    {
                        throw new InvalidDataException($"checkpoint: core state version {version}; this build reads version {StateVersion}");
                    }

                    _ = reader.ReadInt64();
                    live.ReadState(reader);
                    history.ReadState(reader);
                    pending = HistoryPointState.Read(reader);
                }
                catch (Exception ex) when (ex is InvalidDataException or EndOfStreamException)
                {
                    problem = ex.Message;
                    return false;
                }
            }

            _live = live;
            _history = history;
            foreach (var point in pending)
            {
                _historyPending[(point.Kind, point.Id, point.IntervalStartMs)] = (point, ++_historyVersion);
            }

            Restored = true;
            return true;
        }
    }

    /// <summary>An engine of the configured definitions under the directory's service-level overrides.</summary>
    private KpiEngine NewEngine(IntervalLength interval)
    {
        var engine = new KpiEngine(_options.ToKpiOptions(interval));
        engine.ApplyQueueTargets(_names.QueueTargets(_configured));
        return engine;
    }

    private void ApplyEvents(ReadOnlySpan<ContactEvent> events, string? source)
    {
        var i = 0;
        while (i < events.Length)
        {
            try
            {
                for (; i < events.Length; i++)
                {
                    // Names and caps once for both engines: they see the same events, so the same names.
                    ref readonly var contactEvent = ref events[i];
                    if (_live.Admit(contactEvent))
                    {
                        _live.Accept(contactEvent);
                        _history.Accept(contactEvent);
                    }
                }
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // One event that throws must not stop the pump, nor the events after it.
                Interlocked.Increment(ref _quarantined);
                _deadLetters.Add(events[i], source, ex);
                i++;
            }
        }
    }

    /// <summary>Takes the history engine's changed intervals into the pending points, newest counters winning.</summary>
    private IntervalChanges DrainHistory()
    {
        var changes = new IntervalChanges(
            Named(_history.Queues.DrainChanged(), _history.QueueNames),
            Named(_history.Agents.DrainChanged(), _history.AgentNames),
            Named(_history.Campaigns.DrainChanged(), _history.CampaignNames));
        if (changes.IsEmpty)
        {
            return changes;
        }

        var version = ++_historyVersion;
        foreach (var change in changes.Queues)
        {
            Pend(HistoryPoint.Queue(change.Id, change.IntervalStartMs, change.Counters), version);
        }

        foreach (var change in changes.Agents)
        {
            Pend(HistoryPoint.Agent(change.Id, change.IntervalStartMs, change.Counters), version);
        }

        foreach (var change in changes.Campaigns)
        {
            Pend(HistoryPoint.Campaign(change.Id, change.IntervalStartMs, change.Counters), version);
        }

        return changes;
    }

    private void Pend(HistoryPoint point, long version) => _historyPending[(point.Kind, point.Id, point.IntervalStartMs)] = (point, version);

    private static List<IntervalChange<T>> Named<T>(List<(int Entity, long IntervalStart, T Value)> slots, IReadOnlyList<string> names)
        where T : struct =>
        [.. slots.Select(slot => new IntervalChange<T>(names[slot.Entity], slot.IntervalStart, slot.Value))];
}

/// <summary>One 15-minute interval whose counters changed since the last tick.</summary>
internal readonly record struct IntervalChange<T>(string Id, long IntervalStartMs, T Counters)
    where T : struct;

/// <summary>The history intervals that changed since the last tick: what the history store must (re)write.</summary>
internal sealed record IntervalChanges(
    IReadOnlyList<IntervalChange<QueueCounters>> Queues,
    IReadOnlyList<IntervalChange<AgentCounters>> Agents,
    IReadOnlyList<IntervalChange<CampaignCounters>> Campaigns)
{
    public bool IsEmpty => Queues.Count == 0 && Agents.Count == 0 && Campaigns.Count == 0;
}

/// <summary>Runs once before the core takes its first event (e.g. reloading stored intervals).</summary>
internal interface ICoreInitializer
{
    Task InitializeAsync(MetricsCore core, CancellationToken cancellationToken);
}

/// <summary>Receives every tick of the core: the SignalR broadcaster, the history writer, the alerter.</summary>
internal interface ICoreTickSubscriber
{
    ValueTask OnTickAsync(LiveSnapshot snapshot, IntervalChanges changes, CancellationToken cancellationToken);
}
