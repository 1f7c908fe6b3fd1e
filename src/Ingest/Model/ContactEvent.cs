namespace Wallboard.Ingest.Model;

/// <summary>
/// One normalized call or agent event. A value type so that parsers can hand millions of them to
/// the metrics core without allocating; identifiers are pooled strings, so equal ids from one
/// parser are usually the same instance.
/// </summary>
/// <remarks>
/// The call id and the customer also come as 64-bit keys (<see cref="IdKey"/>), worked out when the
/// event is made: a parser has the text in the cache then, while the metrics core, on another core
/// and later, would miss it on every call event (each call id and caller number is a string of its
/// own somewhere in the heap).
/// Durations are whole milliseconds and <see langword="null"/> when the source does not give
/// them, so that "unknown" is never confused with zero (a call answered before its first ring
/// has a ring time of 0; a call from an old Asterisk has none).
/// </remarks>
public readonly record struct ContactEvent
{
    // Durations are kept as plain longs with a bit each for "known" rather than as long?: that makes
    // the event 120 bytes instead of 160, and every event is copied into a batch and read by the core
    // on the other core, so its size is memory traffic on the hot path.
    private readonly long _waitMs;
    private readonly long _talkMs;
    private readonly long _ringMs;
    private readonly long _holdMs;
    private readonly long _wrapUpMs;
    private readonly KnownDurations _known;
    private readonly string _callId;
    private readonly string? _customer;

    /// <summary>What happened.</summary>
    public required ContactEventKind Kind { get; init; }

    /// <summary>When it happened, as Unix time in milliseconds (UTC).</summary>
    public required long UnixTimeMs { get; init; }

    /// <summary>The call's id (queue_log callid, CDR uniqueid, the JSON call_id); empty for agent events.</summary>
    public string CallId
    {
        get => _callId;
        init => (_callId, CallKey) = (value, IdKey.Of(value));
    }

    /// <summary>The <see cref="IdKey"/> of <see cref="CallId"/>.</summary>
    public ulong CallKey { get; private init; }

    /// <summary><see cref="CallId"/> with its key, from an interner that keeps the two together (no hashing again).</summary>
    internal InternedId InternedCallId
    {
        get => new(_callId, CallKey);
        init => (_callId, CallKey) = (value.Text, value.Key);
    }

    /// <summary>The queue (or the empty string when none applies, e.g. queue_log's NONE).</summary>
    public string Queue { get; init; }

    /// <summary>The agent (queue member interface or agent id); empty when none applies.</summary>
    public string Agent { get; init; }

    /// <summary>Time the caller waited in the queue before this event.</summary>
    public long? WaitMs
    {
        get => Read(_waitMs, KnownDurations.Wait);
        init => (_waitMs, _known) = (value.GetValueOrDefault(), Mark(_known, KnownDurations.Wait, value.HasValue));
    }

    /// <summary>Talk time of an answered call.</summary>
    public long? TalkMs
    {
        get => Read(_talkMs, KnownDurations.Talk);
        init => (_talkMs, _known) = (value.GetValueOrDefault(), Mark(_known, KnownDurations.Talk, value.HasValue));
    }

    /// <summary>Ring time at the agent.</summary>
    public long? RingMs
    {
        get => Read(_ringMs, KnownDurations.Ring);
        init => (_ringMs, _known) = (value.GetValueOrDefault(), Mark(_known, KnownDurations.Ring, value.HasValue));
    }

    /// <summary>Hold time of the call (a source that reports holds gives it on resume or at the end).</summary>
    public long? HoldMs
    {
        get => Read(_holdMs, KnownDurations.Hold);
        init => (_holdMs, _known) = (value.GetValueOrDefault(), Mark(_known, KnownDurations.Hold, value.HasValue));
    }

    /// <summary>After-call work (wrap-up) time.</summary>
    public long? WrapUpMs
    {
        get => Read(_wrapUpMs, KnownDurations.WrapUp);
        init => (_wrapUpMs, _known) = (value.GetValueOrDefault(), Mark(_known, KnownDurations.WrapUp, value.HasValue));
    }

    /// <summary>A pause reason, a disposition outcome or the key pressed to leave a queue.</summary>
    public string? Reason { get; init; }

    /// <summary>The outbound or callback campaign.</summary>
    public string? Campaign { get; init; }

    /// <summary>The customer: caller id on inbound calls, the dialled customer on outbound ones.</summary>
    public string? Customer
    {
        get => _customer;
        init => (_customer, CustomerKey) = (value, IdKey.Of(value));
    }

    /// <summary>The <see cref="IdKey"/> of <see cref="Customer"/>; 0 when there is none.</summary>
    public ulong CustomerKey { get; private init; }

    /// <summary>A customer given by its key alone, <see cref="Customer"/> left null: from a reader whose sink tells customers apart by key only.</summary>
    internal ulong CustomerKeyWithoutText
    {
        init => (_customer, CustomerKey) = (null, value);
    }

    /// <summary>The result of an outbound attempt.</summary>
    public OutboundResult Result { get; init; }

    /// <summary>A disposition that converted (a sale, a renewal, an accepted offer).</summary>
    public bool Converted { get; init; }

    /// <summary>A disposition recorded as a complaint; it counts against the agent's call-volume target.</summary>
    public bool Complaint { get; init; }

    private long? Read(long value, KnownDurations duration) => (_known & duration) != 0 ? value : null;

    private static KnownDurations Mark(KnownDurations known, KnownDurations duration, bool isKnown) =>
        isKnown ? known | duration : known & ~duration;

    [Flags]
    private enum KnownDurations : byte
    {
        None = 0,
        Wait = 1,
        Talk = 2,
        Ring = 4,
        Hold = 8,
        WrapUp = 16,
    }
}
