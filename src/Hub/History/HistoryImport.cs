using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Wallboard.Ingest.Model;
using Wallboard.Metrics.Counters;
using Wallboard.Metrics.Engine;
using Wallboard.Metrics.History;

namespace Wallboard.Hub.History;

/// <summary>
/// <c>wallboard import</c>'s way into the store: events pass through to a 15-minute engine, and
/// every so many events (<see cref="DefaultDrainEvery"/>) the intervals changed since the last time go to a writer
/// on another thread, so the store works while the files are still being read. An interval changed
/// again later (a call still open, a session still running) is simply written again: the store
/// replaces it.
/// </summary>
/// <remarks>
/// Reading into the engine and writing to SQLite each took about half of an import's time; one
/// after the other they added up. The batches are bounded (<see cref="BatchesInFlight"/>), so a
/// store slower than the reading holds the reading back instead of filling memory.
/// </remarks>
internal sealed class HistoryImport : IContactEventSink
{
    /// <summary>Events between hand-overs to the writer: a week of a large centre, a few hundred thousand points.</summary>
    /// <remarks>Every 262,144 events, with the points of each hand-over spread over every agent, the writes cost 30 % more CPU.</remarks>
    public const int DefaultDrainEvery = 1 << 20;

    private const int BatchesInFlight = 2;

    private readonly KpiEngine _engine;
    private readonly IKpiHistoryStore _store;
    private readonly Channel<Drained> _batches = Channel.CreateBounded<Drained>(
        new BoundedChannelOptions(BatchesInFlight) { SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.Wait });

    private readonly Task _writing;
    private readonly int _drainEvery;
    private int _sinceDrain;

    /// <param name="engine">The 15-minute engine the events are counted in.</param>
    /// <param name="store">Where the intervals go.</param>
    /// <param name="drainEvery">Events between hand-overs to the writer.</param>
    public HistoryImport(KpiEngine engine, IKpiHistoryStore store, int drainEvery = DefaultDrainEvery)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(drainEvery, 1);
        ArgumentNullException.ThrowIfNull(store);
        _engine = HistoryWriter.FifteenMinute(engine);
        _store = store;
        _drainEvery = drainEvery;
        _writing = Task.Run(WriteBatchesAsync);
    }

    /// <summary>Points handed to the store so far, counting an interval written again each time.</summary>
    public long PointsWritten { get; private set; }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Accept(in ContactEvent contactEvent)
    {
        _engine.Accept(contactEvent);
        if (++_sinceDrain == _drainEvery)
        {
            _sinceDrain = 0;
            Drain();
        }
    }

    /// <summary>
    /// After the last event (and the engine's open sessions closed): writes what changed since the
    /// last hand-over with the engine's watermark, and waits for every write.
    /// </summary>
    /// <returns>The number of intervals stored (each once, however often it was written).</returns>
    /// <exception cref="Exception">What the store threw for a batch.</exception>
    public async Task<long> CompleteAsync(CancellationToken cancellationToken)
    {
        Drain();
        _batches.Writer.TryComplete();
        await _writing.WaitAsync(cancellationToken).ConfigureAwait(false);
        if (_engine.WatermarkMs != long.MinValue)
        {
            await _store.WriteAsync([], _engine.WatermarkMs, cancellationToken).ConfigureAwait(false);
        }

        return (long)_engine.Queues.Count + _engine.Agents.Count + _engine.Campaigns.Count;
    }

    /// <summary>Stops the writer after a failed read; what was written stays (a later import replaces it).</summary>
    public async Task AbandonAsync()
    {
        _batches.Writer.TryComplete();
        try
        {
            await _writing.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The import already failed for its own reason, which is the one to report.
        }
    }

    private void Drain()
    {
        // Only the engine's own work here, on its thread: sorting the slots into the store's key
        // order and turning them into rows is the writer's (it took 5 % of an import's CPU here).
        var drained = new Drained(
            _engine.Queues.DrainChanged(), [.. _engine.QueueNames],
            _engine.Agents.DrainChanged(), [.. _engine.AgentNames],
            _engine.Campaigns.DrainChanged(), [.. _engine.CampaignNames]);
        if (drained.Count == 0)
        {
            return;
        }

        PointsWritten += drained.Count;

        // Blocks this (the engine's) thread while the writer is behind. Once the writer has stopped on
        // an error (which CompleteAsync reports) the channel is closed, and batches are dropped.
        while (!_batches.Writer.TryWrite(drained))
        {
            try
            {
                if (!_batches.Writer.WaitToWriteAsync().AsTask().GetAwaiter().GetResult())
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                return;
            }
        }
    }

    private async Task WriteBatchesAsync()
    {
        // Reused from batch to batch: grown once, they allocate nothing after.
        KeyedRows[] rows = [new(HistoryKind.Queues), new(HistoryKind.Agents), new(HistoryKind.Campaigns)];
        try
        {
            await foreach (var batch in _batches.Reader.ReadAllAsync().ConfigureAwait(false))
            {
                foreach (var block in rows)
                {
                    block.Clear();
                }

                rows[0].AddInKeyOrder(batch.Queues, batch.QueueNames, HistorySchema.CopyTo);
                rows[1].AddInKeyOrder(batch.Agents, batch.AgentNames, HistorySchema.CopyTo);
                rows[2].AddInKeyOrder(batch.Campaigns, batch.CampaignNames, HistorySchema.CopyTo);
                if (_store is SqliteHistoryStore sqlite)
                {
                    await sqlite.WriteAsync(rows, null).ConfigureAwait(false);
                }
                else
                {
                    await _store.WriteAsync([.. rows.SelectMany(block => block.ToPoints())], null).ConfigureAwait(false);
                }
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Nothing more is taken: reading goes on to its end, and CompleteAsync throws this.
            _batches.Writer.TryComplete(ex);
            throw;
        }
    }

    /// <summary>The slots changed since the last hand-over, with the names of their entities then.</summary>
    private sealed record Drained(
        List<(int Entity, long IntervalStart, QueueCounters Value)> Queues,
        string[] QueueNames,
        List<(int Entity, long IntervalStart, AgentCounters Value)> Agents,
        string[] AgentNames,
        List<(int Entity, long IntervalStart, CampaignCounters Value)> Campaigns,
        string[] CampaignNames)
    {
        public int Count => Queues.Count + Agents.Count + Campaigns.Count;
    }
}
