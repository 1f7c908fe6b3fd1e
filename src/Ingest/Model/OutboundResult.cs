namespace Wallboard.Ingest.Model;

/// <summary>How an outbound attempt ended.</summary>
public enum OutboundResult : byte
{
    /// <summary>Not an outbound attempt.</summary>
    None,

    /// <summary>A person answered.</summary>
    Connected,

    /// <summary>Nobody answered.</summary>
    NoAnswer,

    /// <summary>The line was busy.</summary>
    Busy,

    /// <summary>The call could not be placed (congestion, bad number, channel unavailable).</summary>
    Failed,
}
