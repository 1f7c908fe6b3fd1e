using Microsoft.Extensions.Options;
using Wallboard.Hub.Names;
using Wallboard.Ingest.Model;
using Wallboard.Metrics.Calendar;
using Wallboard.Metrics.Counters;
using Wallboard.Metrics.Engine;
using Wallboard.Metrics.Live;
using Wallboard.Metrics.Staffing;
using Wallboard.Hub.Staffing;
using Wallboard.Metrics.Names;

namespace Wallboard.Hub.Hosting;

/// <summary>
/// The server's metrics core: a one-minute engine for the live windows and a 15-minute engine
/// whose intervals are written to history. One lock guards both; the ingest loop holds it per
/// batch and the ticker per tick, so the engines stay single-threaded without a thread of their own.
/// </summary>
internal sealed class MetricsCore
{
    /// <summary>Live windows reach back at most to yesterday's shift start; two days of minutes is enough.</summary>
    private const long LiveRetentionMs = 2 * 86_400_000L;

    /// <summary>
    /// History intervals are written at every tick, so the history engine needs to keep only those late
    /// events may still reach: two days of event time behind the newest event. Without forgetting, it
    /// grew by 5 MB a day for 1,200 agents. An event later than that is dropped and counted
    /// (/healthz: history.lateUpdatesDropped) rather than overwrite a stored interval with a partial one.
    /// </summary>
    private const long HistoryRetentionMs = 2 * 86_400_000L;

    private readonly Lock _lock = new();
    private readonly KpiEngine _live;
    private readonly KpiEngine _history;
    private readonly LiveOptions _liveOptions;

    // The configured definitions, under any directory's overrides: a queue dropped from the directory goes back to them.
    private readonly Wallboard.Metrics.KpiOptions _configured;
    private NameDirectory _names = NameDirectory.Empty;
    private long _nextPruneMs = long.MinValue;
    private volatile LiveSnapshot _latest = LiveSnapshot.Empty;
    private readonly List<(long Count, TaskCompletionSource Done)> _waiters = [];

    private readonly LiveStaffing _staffing;
    private readonly RotaSource? _rota;

    /// <param name="options">The definitions.</param>
    /// <param name="staffing">How agents required are worked out; the defaults when omitted.</param>
    /// <param name="rota">The rota in force, for agents scheduled and adherence; none when omitted.</param>
    /// <param name="directory">Display names, teams and the queues' service-level overrides; none when omitted.</param>
    public MetricsCore(IOptions<MetricsOptions> options, IOptions<StaffingOptions>? staffing = null, RotaSource? rota = null, DirectoryService? directory = null)
    {
        var value = options.Value;
        _live = new KpiEngine(value.ToKpiOptions(IntervalLength.OneMinute));
        _history = new KpiEngine(value.ToKpiOptions(IntervalLength.FifteenMinutes));
        _liveOptions = value.ToLiveOptions();
        _staffing = new LiveStaffing((staffing?.Value ?? new StaffingOptions()).ToPolicy());
        _rota = rota;
        _configured = _history.Options;
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
    public long WatermarkMs => _live.WatermarkMs;

    public long EventsApplied { get; private set; }

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

    /// <summary>Applies a batch of events to both engines.</summary>
    public void Apply(ReadOnlySpan<ContactEvent> batch)
    {
        lock (_lock)
        {
            foreach (ref readonly var contactEvent in batch)
            {
                _live.Accept(contactEvent);
                _history.Accept(contactEvent);
            }

            EventsApplied += batch.Length;
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Count <= EventsApplied)
                {
                    _waiters[i].Done.TrySetResult();
                    _waiters.RemoveAt(i);
                }
            }
        }
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
            _live.FlushOpenSessions(nowMs);
            _history.FlushOpenSessions(nowMs);
            _staffing.Rota = rota ?? Rota.Empty;
            var snapshot = _staffing.Apply(_live, LiveView.Build(_live, nowMs, _liveOptions, _names), _liveOptions);
            var changes = new IntervalChanges(
                Named(_history.Queues.DrainChanged(), _history.QueueNames),
                Named(_history.Agents.DrainChanged(), _history.AgentNames),
                Named(_history.Campaigns.DrainChanged(), _history.CampaignNames));
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
