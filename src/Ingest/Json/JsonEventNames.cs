namespace Wallboard.Ingest.Json;

/// <summary>The type names and enum values of the JSON event schema (docs/events.md).</summary>
internal static class JsonEventNames
{
    public const string CallQueued = "call_queued";
    public const string CallRinging = "call_ringing";
    public const string RingNoAnswer = "ring_no_answer";
    public const string CallAnswered = "call_answered";
    public const string CallHeld = "call_held";
    public const string CallResumed = "call_resumed";
    public const string CallEnded = "call_ended";
    public const string CallAbandoned = "call_abandoned";
    public const string CallExited = "call_exited";
    public const string WrapUpEnded = "wrapup_ended";
    public const string Disposition = "disposition";
    public const string AgentState = "agent_state";
    public const string OutboundAttempt = "outbound_attempt";

    public const string ExitTimeout = "timeout";
    public const string ExitKey = "key";
    public const string ExitEmpty = "empty";
    public const string ExitWithdrawn = "withdrawn";

    public const string StateLoggedIn = "logged_in";
    public const string StateLoggedOut = "logged_out";
    public const string StateAvailable = "available";
    public const string StatePaused = "paused";

    public const string ResultConnected = "connected";
    public const string ResultNoAnswer = "no_answer";
    public const string ResultBusy = "busy";
    public const string ResultFailed = "failed";
}
