using Wallboard.Ingest.Model;

namespace Wallboard.Ingest.Pipeline;

/// <summary>A run of events handed from a reader thread to the consumer in one channel write.</summary>
internal sealed class EventBatch(int capacity)
{
    public ContactEvent[] Events { get; } = new ContactEvent[capacity];

    public int Count { get; set; }
}
