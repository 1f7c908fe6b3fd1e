using System.ComponentModel.DataAnnotations;

namespace Wallboard.Hub.Durability;

/// <summary>Configuration section <c>Durability</c>: how often the core's checkpoint is saved, and HTTP idempotency keys.</summary>
internal sealed class DurabilityOptions
{
    public const string Section = "Durability";

    /// <summary>
    /// How often a checkpoint is saved while events arrive. A crash costs nothing either way (the
    /// sources are read again from the saved positions); a longer period means more to read again
    /// at start. An HTTP batch does not wait for it: its answer comes with the next checkpoint, which
    /// is saved at once.
    /// </summary>
    [Range(0.1, 3600)]
    public double CheckpointSeconds { get; set; } = 5;

    /// <summary>How many idempotency keys of HTTP batches are remembered (the most recent).</summary>
    [Range(1, 10_000_000)]
    public int IdempotencyKeys { get; set; } = 100_000;

    /// <summary>How long an idempotency key is remembered: a client retrying later than this is counted again.</summary>
    [Range(0.01, 24 * 365)]
    public double IdempotencyKeyHours { get; set; } = 24;

    /// <summary>Where events that threw inside the core are kept, at most this many bytes (then only counted).</summary>
    [Range(0, 1L << 40)]
    public long DeadLetterMaxBytes { get; set; } = 16L << 20;

    /// <summary>
    /// For the crash test only: a pause in the middle of writing a checkpoint, so that a kill lands
    /// inside the write. 0 (the default) in production.
    /// </summary>
    [Range(0, 60_000)]
    public int TestWritePauseMilliseconds { get; set; }
}
