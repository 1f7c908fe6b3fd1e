namespace Wallboard.Hub.Hosting;

/// <summary>
/// Where the followed files hand their batches, and where their positions are kept: the core's
/// ingest channel and checkpoint on a single server (<see cref="CoreSourceLog"/>), the partition's
/// Redis stream in a cluster (docs/cluster.md).
/// </summary>
internal interface ISourceLog
{
    /// <summary>The saved position of each source, read once before the sources start; null for a source never read.</summary>
    Task<Func<string, string?>> PositionsAsync(CancellationToken cancellationToken);

    /// <summary>Hands over a batch with its source's position after it, waiting while it cannot be taken.</summary>
    ValueTask PublishAsync(IngestBatch batch, CancellationToken cancellationToken);
}

/// <summary>A single server: batches go to the core, whose checkpoint keeps the positions of the batches it applied.</summary>
internal sealed class CoreSourceLog(IngestChannel channel, MetricsCore core) : ISourceLog
{
    public Task<Func<string, string?>> PositionsAsync(CancellationToken cancellationToken) =>
        Task.FromResult<Func<string, string?>>(core.PositionOf);

    public ValueTask PublishAsync(IngestBatch batch, CancellationToken cancellationToken) => channel.PublishAsync(batch, cancellationToken);
}
