using Wallboard.Ingest.Model;

namespace Wallboard.Hub.Hosting;

/// <summary>
/// Events of one source, handed to the core as a whole, with where the source stands once they are
/// applied: a tail's position after its last line, or an HTTP request's idempotency key and answer.
/// The core applies a batch and records its position under one lock, so a checkpoint never holds a
/// position without the events before it, nor events without their position.
/// </summary>
internal sealed class IngestBatch
{
    private readonly ContactEvent[] _events;
    private readonly TaskCompletionSource<long> _applied = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public IngestBatch(ContactEvent[] events, int count)
    {
        ArgumentNullException.ThrowIfNull(events);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, events.Length);
        _events = events;
        Count = count;
    }

    public int Count { get; }

    public ReadOnlySpan<ContactEvent> Events => _events.AsSpan(0, Count);

    /// <summary>The source whose position this batch moves (e.g. <c>queue_log:/var/log/asterisk/queue_log</c>), or null.</summary>
    public string? Source { get; init; }

    /// <summary>The source's position once this batch is applied, in the source's own text form.</summary>
    public string? Position { get; init; }

    /// <summary>The HTTP request's <c>Idempotency-Key</c>, or null.</summary>
    public string? IdempotencyKey { get; init; }

    /// <summary>The answer given to the request, kept with its key to answer a retry the same way.</summary>
    public string? Answer { get; init; }

    /// <summary>When the batch was received (Unix ms), for the age of its idempotency key.</summary>
    public long ReceivedAtMs { get; init; }

    /// <summary>Completes with the batch's sequence number once the core has applied it.</summary>
    public Task<long> Applied => _applied.Task;

    public void MarkApplied(long sequence) => _applied.TrySetResult(sequence);

    public void Abandon(Exception reason) => _applied.TrySetException(reason);
}
