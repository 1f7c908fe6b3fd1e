namespace Wallboard.Ingest.Cdr;

/// <summary>
/// One row of Asterisk's <c>Master.csv</c>: the 16 standard columns, then the optional ones that
/// <c>cdr_csv</c> appends when <c>loguniqueid</c>/<c>loguserfield</c> are on (and newer versions' extras).
/// </summary>
/// <remarks>
/// Times keep the PBX's UTC offset at that instant, so they are exact instants that still print as
/// the local wall-clock times an operator sees in the file.
/// </remarks>
public sealed record CdrRecord
{
    public string AccountCode { get; init; } = "";

    public string Src { get; init; } = "";

    public string Dst { get; init; } = "";

    public string DContext { get; init; } = "";

    /// <summary>The caller id as Asterisk writes it, e.g. <c>"Alice" &lt;201&gt;</c>.</summary>
    public string CallerId { get; init; } = "";

    public string Channel { get; init; } = "";

    public string DstChannel { get; init; } = "";

    public string LastApp { get; init; } = "";

    public string LastData { get; init; } = "";

    public required DateTimeOffset Start { get; init; }

    /// <summary>When the call was answered; <see langword="null"/> for unanswered calls.</summary>
    public DateTimeOffset? Answer { get; init; }

    public required DateTimeOffset End { get; init; }

    /// <summary>Seconds from start to end.</summary>
    public int Duration { get; init; }

    /// <summary>Seconds from answer to end.</summary>
    public int BillSec { get; init; }

    /// <summary>ANSWERED, NO ANSWER, BUSY, FAILED or CONGESTION.</summary>
    public string Disposition { get; init; } = "";

    public string AmaFlags { get; init; } = "";

    public string? UniqueId { get; init; }

    public string? UserField { get; init; }

    public string? PeerAccount { get; init; }

    public string? LinkedId { get; init; }

    public long? Sequence { get; init; }
}
