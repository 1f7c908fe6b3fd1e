using Wallboard.Ingest.Model;

namespace Wallboard.Hub.Live.Ingest;

/// <summary>Collects the events a synchronous reader produces, to be published to the channel afterwards.</summary>
internal sealed class BufferSink : IContactEventSink
{
    public List<ContactEvent> Events { get; } = [];

    public void Accept(in ContactEvent contactEvent) => Events.Add(contactEvent);

    public async ValueTask PublishAsync(Hosting.IngestChannel channel, CancellationToken cancellationToken)
    {
        foreach (var contactEvent in Events)
        {
            await channel.PublishAsync(contactEvent, cancellationToken).ConfigureAwait(false);
        }

        Events.Clear();
    }
}
