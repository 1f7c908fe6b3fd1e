namespace Wallboard.Hub.Durability;

/// <summary>
/// One consistent capture of the server: the metrics core's state (an opaque blob), every source's
/// position in the events that state includes, and the idempotency keys of the HTTP batches it
/// includes. A restart restores it and reads each source again from its position.
/// </summary>
/// <param name="Sequence">The number of batches applied up to this capture (grows across restarts).</param>
/// <param name="SavedAtMs">When it was captured (Unix ms, server clock).</param>
/// <param name="CoreState">The core's engines and pending history points.</param>
/// <param name="Positions">Source → position, in each source's own text form (a tail's offset and file fingerprint; later a stream id).</param>
/// <param name="Keys">The idempotency keys remembered.</param>
internal sealed record Checkpoint(
    long Sequence,
    long SavedAtMs,
    ReadOnlyMemory<byte> CoreState,
    IReadOnlyDictionary<string, string> Positions,
    IReadOnlyList<IdempotencyRecord> Keys);

/// <summary>An HTTP batch's idempotency key, the answer it got and the sequence of its batch.</summary>
internal sealed record IdempotencyRecord(string Key, string Answer, long Sequence, long ReceivedAtMs);

/// <summary>
/// Where checkpoints are kept: a file in the data folder today (<see cref="FileCheckpointStore"/>),
/// a database row in a cluster. Saving replaces the previous checkpoint atomically: after a crash
/// at any moment, <see cref="LoadAsync"/> gives a whole checkpoint, the last one saved or the one before.
/// </summary>
internal interface ICheckpointStore
{
    /// <summary>The newest whole checkpoint, or null when none was saved.</summary>
    Task<Checkpoint?> LoadAsync(CancellationToken cancellationToken);

    /// <summary>Saves <paramref name="checkpoint"/>; when this returns, it survives a crash or a power cut.</summary>
    Task SaveAsync(Checkpoint checkpoint, CancellationToken cancellationToken);
}
