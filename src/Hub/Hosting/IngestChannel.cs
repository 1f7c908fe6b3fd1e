using System.Threading.Channels;
using Microsoft.Extensions.Options;
using Wallboard.Ingest.Model;

namespace Wallboard.Hub.Hosting;

/// <summary>
/// The one bounded queue between every live source and the metrics core. A bounded channel keeps
/// memory flat when the core falls behind: sources that can wait (HTTP ingest, file tails) wait;
/// sources that cannot (the demo simulator) drop and the drops are counted.
/// </summary>
internal sealed class IngestChannel
{
    private readonly Channel<ContactEvent> _channel;
    private long _dropped;
    private long _accepted;

    public IngestChannel(IOptions<MetricsOptions> options)
    {
        _channel = Channel.CreateBounded<ContactEvent>(new BoundedChannelOptions(options.Value.IngestCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    public ChannelReader<ContactEvent> Reader => _channel.Reader;

    /// <summary>Events refused because the core was full.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    public long Accepted => Interlocked.Read(ref _accepted);

    /// <summary>Events waiting for the core.</summary>
    public int Backlog => _channel.Reader.Count;

    /// <summary>Hands an event to the core without waiting; counts it as dropped when the core is full.</summary>
    public bool TryPublish(in ContactEvent contactEvent)
    {
        if (_channel.Writer.TryWrite(contactEvent))
        {
            Interlocked.Increment(ref _accepted);
            return true;
        }

        Interlocked.Increment(ref _dropped);
        return false;
    }

    /// <summary>Hands an event to the core, waiting while it is full.</summary>
    public async ValueTask PublishAsync(ContactEvent contactEvent, CancellationToken cancellationToken)
    {
        await _channel.Writer.WriteAsync(contactEvent, cancellationToken).ConfigureAwait(false);
        Interlocked.Increment(ref _accepted);
    }
}
