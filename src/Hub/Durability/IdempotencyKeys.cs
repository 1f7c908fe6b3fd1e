namespace Wallboard.Hub.Durability;

/// <summary>
/// The idempotency keys of HTTP batches applied, with their answers: a client that retries a batch
/// (it got no answer because the server went down) gets the same answer and the batch is not
/// counted again. Bounded by count and age, oldest dropped first. Not thread-safe: the core's lock
/// guards it.
/// </summary>
internal sealed class IdempotencyKeys(int maxKeys, long maxAgeMs)
{
    private readonly Dictionary<string, IdempotencyRecord> _byKey = new(StringComparer.Ordinal);
    private readonly Queue<IdempotencyRecord> _order = new();

    public int Count => _byKey.Count;

    public void Add(string key, string answer, long sequence, long receivedAtMs)
    {
        var record = new IdempotencyRecord(key, answer, sequence, receivedAtMs);
        _byKey[key] = record;
        _order.Enqueue(record);
        while (_order.Count > 0 && (_byKey.Count > maxKeys || _order.Peek().ReceivedAtMs < receivedAtMs - maxAgeMs || !ReferenceEquals(_byKey.GetValueOrDefault(_order.Peek().Key), _order.Peek())))
        {
            var oldest = _order.Dequeue();
            if (ReferenceEquals(_byKey.GetValueOrDefault(oldest.Key), oldest))
            {
                _byKey.Remove(oldest.Key);
            }
        }
    }

    public (string Answer, long Sequence)? Find(string key) =>
        _byKey.TryGetValue(key, out var record) ? (record.Answer, record.Sequence) : null;

    /// <summary>The keys, oldest first, for a checkpoint.</summary>
    public List<IdempotencyRecord> ToList() => [.. _order.Where(record => ReferenceEquals(_byKey.GetValueOrDefault(record.Key), record))];
}
