using Wallboard.Metrics.Calendar;
using Wallboard.Metrics.Counters;
using Wallboard.Metrics.Engine;
using Wallboard.Metrics.History;

namespace Wallboard.Hub.History;

/// <summary>
/// Moves a 15-minute <see cref="KpiEngine"/>'s counters into the history store: on each call,
/// the slots changed since the last one (closed intervals once, the open one on every refresh,
/// late events' intervals again). Not thread-safe, like the engine: call it from the loop that
/// owns the engine.
/// </summary>
internal sealed class HistoryWriter
{
    private readonly KpiEngine _engine;
    private readonly IKpiHistoryStore _store;

    public HistoryWriter(KpiEngine engine, IKpiHistoryStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        _engine = FifteenMinute(engine);
        _store = store;
    }

    /// <summary><paramref name="engine"/>, checked to count 15-minute intervals, the only ones history stores.</summary>
    internal static KpiEngine FifteenMinute(KpiEngine engine)
    {
        ArgumentNullException.ThrowIfNull(engine);
        return engine.Options.Interval == IntervalLength.FifteenMinutes
            ? engine
            : throw new ArgumentException($"history stores 15-minute intervals; the engine runs at {engine.Options.Interval}", nameof(engine));
    }

    /// <summary>Points written since this writer was created.</summary>
    public long PointsWritten { get; private set; }

    /// <summary>Writes the slots changed since the last call, with the engine's event-time watermark.</summary>
    /// <returns>The number of points written.</returns>
    public async Task<int> WriteChangedAsync(CancellationToken cancellationToken = default)
    {
        var queues = _engine.Queues.DrainChanged();
        var agents = _engine.Agents.DrainChanged();
        var campaigns = _engine.Campaigns.DrainChanged();
        var points = new List<HistoryPoint>(queues.Count + agents.Count + campaigns.Count);
        points.AddRange(queues.Select(slot => HistoryPoint.Queue(_engine.QueueNames[slot.Entity], slot.IntervalStart, slot.Value)));
        points.AddRange(agents.Select(slot => HistoryPoint.Agent(_engine.AgentNames[slot.Entity], slot.IntervalStart, slot.Value)));
        points.AddRange(campaigns.Select(slot => HistoryPoint.Campaign(_engine.CampaignNames[slot.Entity], slot.IntervalStart, slot.Value)));
        if (points.Count == 0)
        {
            return 0;
        }

        try
        {
            await _store.WriteAsync(points, _engine.WatermarkMs == long.MinValue ? null : _engine.WatermarkMs, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            // Marked changed again (Update changes no value), so the next call writes them with whatever they hold by then.
            foreach (var slot in queues)
            {
                _ = ref _engine.Queues.Update(slot.Entity, slot.IntervalStart);
            }

            foreach (var slot in agents)
            {
                _ = ref _engine.Agents.Update(slot.Entity, slot.IntervalStart);
            }

            foreach (var slot in campaigns)
            {
                _ = ref _engine.Campaigns.Update(slot.Entity, slot.IntervalStart);
            }

            throw;
        }

        PointsWritten += points.Count;
        return points.Count;
    }

    /// <summary>Writes every slot the engine holds (a batch import, or a retry after a failed write), in batches.</summary>
    /// <remarks>
    /// Points go out in the stores' key order (kind, id, interval start), so that each batch fills one
    /// stretch of the SQLite table instead of touching a page per id, and an InfluxDB body holds few series.
    /// </remarks>
    public async Task<long> WriteAllAsync(int batchSize = 50_000, IProgress<long>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        var batch = new List<HistoryPoint>(batchSize);
        long written = 0;
        var watermark = _engine.WatermarkMs == long.MinValue ? (long?)null : _engine.WatermarkMs;
        foreach (var point in AllPoints())
        {
            batch.Add(point);
            if (batch.Count == batchSize)
            {
                await FlushAsync().ConfigureAwait(false);
            }
        }

        await FlushAsync().ConfigureAwait(false);
        _ = _engine.Queues.DrainChanged();
        _ = _engine.Agents.DrainChanged();
        _ = _engine.Campaigns.DrainChanged();
        return written;

        async Task FlushAsync()
        {
            if (batch.Count == 0)
            {
                return;
            }

            // The watermark goes with the last batch only, so a failure part-way does not claim more than was written.
            var last = written + batch.Count == TotalSlots();
            await _store.WriteAsync(batch, last ? watermark : null, cancellationToken).ConfigureAwait(false);
            written += batch.Count;
            PointsWritten += batch.Count;
            progress?.Report(written);
            batch.Clear();
        }
    }

    /// <summary>
    /// After a restart, loads the intervals starting at or after <paramref name="fromMs"/> back into
    /// the engine (without marking them changed), so that events read after the restart add to what
    /// was stored instead of overwriting a stored interval with partial counts.
    /// </summary>
    /// <param name="fromMs">Start of the oldest interval still open, e.g. the start of the current interval, or earlier to cover late events.</param>
    /// <param name="cancellationToken">Stops the queries.</param>
    /// <returns>The number of slots seeded.</returns>
    public async Task<int> SeedOpenIntervalsAsync(long fromMs, CancellationToken cancellationToken = default) =>
        Seed(_engine, await LoadOpenIntervalsAsync(_store, fromMs, cancellationToken).ConfigureAwait(false));

    /// <summary>The stored points of every kind whose interval starts at or after <paramref name="fromMs"/>: what a restarted engine must be seeded with.</summary>
    public static async Task<IReadOnlyList<HistoryPoint>> LoadOpenIntervalsAsync(IKpiHistoryStore store, long fromMs, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        var points = new List<HistoryPoint>();
        foreach (var kind in Enum.GetValues<HistoryKind>())
        {
            points.AddRange(await store.QueryAsync(kind, null, fromMs, long.MaxValue, cancellationToken).ConfigureAwait(false));
        }

        return points;
    }

    /// <summary>
    /// Seeds a 15-minute engine with stored points (<see cref="CounterStore{T}.Seed"/>: not marked
    /// changed). Synchronous, so a host can run it under the lock that owns the engine.
    /// </summary>
    /// <returns>The number of slots seeded.</returns>
    public static int Seed(KpiEngine engine, IEnumerable<HistoryPoint> points)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(points);
        var seeded = 0;
        foreach (var point in points)
        {
            switch (point.Kind)
            {
                case HistoryKind.Queues:
                    engine.Queues.Seed(engine.QueueId(point.Id), point.IntervalStartMs, point.QueueCounters);
                    break;
                case HistoryKind.Agents:
                    engine.Agents.Seed(engine.AgentId(point.Id), point.IntervalStartMs, point.AgentCounters);
                    break;
                default:
                    engine.Campaigns.Seed(engine.CampaignId(point.Id), point.IntervalStartMs, point.CampaignCounters);
                    break;
            }

            seeded++;
        }

        return seeded;
    }

    private long TotalSlots() => (long)_engine.Queues.Count + _engine.Agents.Count + _engine.Campaigns.Count;

    private IEnumerable<HistoryPoint> AllPoints() =>
        InKeyOrder(_engine.Queues.All(), _engine.QueueNames, HistoryPoint.Queue)
            .Concat(InKeyOrder(_engine.Agents.All(), _engine.AgentNames, HistoryPoint.Agent))
            .Concat(InKeyOrder(_engine.Campaigns.All(), _engine.CampaignNames, HistoryPoint.Campaign));

    /// <summary>The slots of one kind as points in the stores' key order: by id (ordinal), then interval start.</summary>
    internal static IEnumerable<HistoryPoint> InKeyOrder<T>(IEnumerable<(int Entity, long IntervalStart, T Value)> all, IReadOnlyList<string> names, PointOf<T> point)
        where T : unmanaged
    {
        var rank = new int[names.Count];
        var byName = Enumerable.Range(0, names.Count).Order(Comparer<int>.Create((a, b) => string.CompareOrdinal(names[a], names[b]))).ToArray();
        for (var i = 0; i < byName.Length; i++)
        {
            rank[byName[i]] = i;
        }

        var slots = all.ToArray();
        // One long per slot (rank, then interval number) sorted with the slots' indices: primitives
        // only, where sorting the slots themselves moved each one's counters at every swap.
        var keys = new long[slots.Length];
        var order = new int[slots.Length];
        for (var i = 0; i < slots.Length; i++)
        {
            keys[i] = ((long)rank[slots[i].Entity] << 40) | (slots[i].IntervalStart / HistoryPoint.IntervalMs);
            order[i] = i;
        }

        Array.Sort(keys, order);
        foreach (var i in order)
        {
            yield return point(names[slots[i].Entity], slots[i].IntervalStart, slots[i].Value);
        }
    }

    /// <summary>Makes the point of one slot (<see cref="HistoryPoint.Queue"/>, …).</summary>
    internal delegate HistoryPoint PointOf<T>(string id, long intervalStartMs, in T counters);
}
