using Wallboard.Hub.Hosting;
using Wallboard.Ingest.Model;

namespace Wallboard.Hub.Live.Ingest;

/// <summary>Collects the events a synchronous reader produces, to be handed to the core as one batch afterwards.</summary>
internal sealed class BufferSink : IContactEventSink
{
    public List<ContactEvent> Events { get; } = [];

    public void Accept(in ContactEvent contactEvent) => Events.Add(contactEvent);

    /// <summary>The events as a batch that moves <paramref name="source"/> to <paramref name="position"/>.</summary>
    public IngestBatch ToBatch(string? source, string? position) =>
        new([.. Events], Events.Count) { Source = source, Position = position };
}
