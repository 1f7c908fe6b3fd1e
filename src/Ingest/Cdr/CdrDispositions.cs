using Wallboard.Ingest.Model;

namespace Wallboard.Ingest.Cdr;

/// <summary>The disposition strings Asterisk writes, and their outbound results.</summary>
internal static class CdrDispositions
{
    public const string Answered = "ANSWERED";
    public const string NoAnswer = "NO ANSWER";
    public const string Busy = "BUSY";
    public const string Failed = "FAILED";
    public const string Congestion = "CONGESTION";

    public static OutboundResult ToResult(string disposition) => disposition switch
    {
        Answered => OutboundResult.Connected,
        NoAnswer => OutboundResult.NoAnswer,
        Busy => OutboundResult.Busy,
        Failed or Congestion => OutboundResult.Failed,
        _ => OutboundResult.None,
    };

    public static string? FromResult(OutboundResult result) => result switch
    {
        OutboundResult.Connected => Answered,
        OutboundResult.NoAnswer => NoAnswer,
        OutboundResult.Busy => Busy,
        OutboundResult.Failed => Failed,
        _ => null,
    };
}
