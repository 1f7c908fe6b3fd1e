using System.Threading.Channels;
using Microsoft.Extensions.Options;
using Wallboard.Ingest.Model;

namespace Wallboard.Hub.Hosting;

/// <summary>
/// The one bounded queue between every live source and the metrics core. A bounded channel keeps
/// memory flat when the core falls behind: sources that can wait (HTTP ingest, file tails) wait;
/// sources that cannot drop and the drops are counted. It carries batches
/// (<see cref="IngestBatch"/>), each with its source's position, bounded to
/// <c>Metrics:IngestCapacity</c> events in batches of up to <see cref="BatchEvents"/>.
/// </summary>
internal sealed class IngestChannel
{
    /// <summary>The size of the slices sources hand over (a tail's lines per poll): 61 KB of events, under the large-object heap's 85 KB.</summary>
    public const int BatchEvents = 512;

    private readonly Channel<IngestBatch> _channel;
    private long _dropped;
    private long _accepted;
    private long _backlog;

    public IngestChannel(IOptions<MetricsOptions> options)
    {
        _channel = Channel.CreateBounded<IngestBatch>(new BoundedChannelOptions(Math.Max(4, options.Value.IngestCapacity / BatchEvents))
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    public ChannelReader<IngestBatch> Reader => _channel.Reader;

    /// <summary>Events refused because the core was full.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    public long Accepted => Interlocked.Read(ref _accepted);

    /// <summary>Events waiting for the core.</summary>
    public int Backlog => (int)Math.Min(int.MaxValue, Interlocked.Read(ref _backlog));

    /// <summary>Hands a batch to the core without waiting; counts its events as dropped when the core is full.</summary>
    public bool TryPublish(IngestBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (_channel.Writer.TryWrite(batch))
        {
            Interlocked.Add(ref _backlog, batch.Count);
            Interlocked.Add(ref _accepted, batch.Count);
            return true;
        }

        Interlocked.Add(ref _dropped, batch.Count);
        return false;
    }

    /// <summary>Hands a batch to the core, waiting while it is full.</summary>
    public async ValueTask PublishAsync(IngestBatch batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        await _channel.Writer.WriteAsync(batch, cancellationToken).ConfigureAwait(false);
        Interlocked.Add(ref _backlog, batch.Count);
        Interlocked.Add(ref _accepted, batch.Count);
    }

    /// <summary>Hands one event to the core, waiting while it is full (the demo simulator).</summary>
    public ValueTask PublishAsync(ContactEvent contactEvent, CancellationToken cancellationToken) =>
        PublishAsync(new IngestBatch([contactEvent], 1), cancellationToken);

    /// <summary>The pump took a batch off the queue.</summary>
    public void Taken(IngestBatch batch) => Interlocked.Add(ref _backlog, -batch.Count);
}
