namespace Wallboard.Ingest.Pipeline;

/// <summary>
/// A sink that also takes whole batches, for a reader that fills batches on threads of its own
/// (<see cref="QueueLog.ChunkedQueueLogReader"/>): the batch itself is handed over, where
/// <see cref="Model.IContactEventSink.Accept"/> would copy each 120-byte event once more.
/// </summary>
internal interface IEventBatchSink
{
    /// <summary>An empty batch to fill; any thread may call it.</summary>
    EventBatch RentBatch();

    /// <summary>Hands over a filled batch (not empty), after the events accepted before it; the sink owns it from then on.</summary>
    void AcceptBatch(EventBatch batch);

    /// <summary>Gives back a rented batch that is not handed over; any thread may call it.</summary>
    void ReturnBatch(EventBatch batch);
}
