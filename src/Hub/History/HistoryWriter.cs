using Wallboard.Metrics.Calendar;
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
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(store);
        if (engine.Options.Interval != IntervalLength.FifteenMinutes)
        {
            throw new ArgumentException($"history stores 15-minute intervals; the engine runs at {engine.Options.Interval}", nameof(engine));
        }

        _engine = engine;
        _store = store;
    }

    /// <summary>Points written since this writer was created.</summary>
    public long PointsWritten { get; private set; }

    /// <summary>Writes the slots changed since the last call, with the engine's event-time watermark.</summary>
    /// <returns>The number of points written.</returns>
    public async Task<int> WriteChangedAsync(CancellationToken cancellationToken = default)
    {
        var points = new List<HistoryPoint>();
        foreach (var (entity, start, value) in _engine.Queues.DrainChanged())
        {
            points.Add(HistoryPoint.Queue(_engine.QueueNames[entity], start, value));
        }

        foreach (var (entity, start, value) in _engine.Agents.DrainChanged())
        {
            points.Add(HistoryPoint.Agent(_engine.AgentNames[entity], start, value));
        }

        foreach (var (entity, start, value) in _engine.Campaigns.DrainChanged())
        {
            points.Add(HistoryPoint.Campaign(_engine.CampaignNames[entity], start, value));
        }

        if (points.Count == 0)
        {
            return 0;
        }

        // A failed write leaves these slots drained; the caller retries by rewriting everything still open (WriteAllAsync) or lets InfluxDB's spool keep them.
        await _store.WriteAsync(points, _engine.WatermarkMs == long.MinValue ? null : _engine.WatermarkMs, cancellationToken).ConfigureAwait(false);
        PointsWritten += points.Count;
        return points.Count;
    }

    /// <summary>Writes every slot the engine holds (a batch import, or a retry after a failed write), in batches.</summary>
    public async Task<long> WriteAllAsync(int batchSize = 20_000, IProgress<long>? progress = null, CancellationToken cancellationToken = default)
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
    public async Task<int> SeedOpenIntervalsAsync(long fromMs, CancellationToken cancellationToken = default)
    {
        var seeded = 0;
        foreach (var point in await _store.QueryAsync(HistoryKind.Queues, null, fromMs, long.MaxValue, cancellationToken).ConfigureAwait(false))
        {
            _engine.Queues.Seed(_engine.QueueId(point.Id), point.IntervalStartMs, point.QueueCounters);
            seeded++;
        }

        foreach (var point in await _store.QueryAsync(HistoryKind.Agents, null, fromMs, long.MaxValue, cancellationToken).ConfigureAwait(false))
        {
            _engine.Agents.Seed(_engine.AgentId(point.Id), point.IntervalStartMs, point.AgentCounters);
            seeded++;
        }

        foreach (var point in await _store.QueryAsync(HistoryKind.Campaigns, null, fromMs, long.MaxValue, cancellationToken).ConfigureAwait(false))
        {
            _engine.Campaigns.Seed(_engine.CampaignId(point.Id), point.IntervalStartMs, point.CampaignCounters);
            seeded++;
        }

        return seeded;
    }

    private long TotalSlots() => (long)_engine.Queues.Count + _engine.Agents.Count + _engine.Campaigns.Count;

    private IEnumerable<HistoryPoint> AllPoints()
    {
        foreach (var (entity, start, value) in _engine.Queues.All())
        {
            yield return HistoryPoint.Queue(_engine.QueueNames[entity], start, value);
        }

        foreach (var (entity, start, value) in _engine.Agents.All())
        {
            yield return HistoryPoint.Agent(_engine.AgentNames[entity], start, value);
        }

        foreach (var (entity, start, value) in _engine.Campaigns.All())
        {
            yield return HistoryPoint.Campaign(_engine.CampaignNames[entity], start, value);
        }
    }
}
