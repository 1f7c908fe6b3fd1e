namespace Wallboard.Metrics.Engine;

/// <summary>What an agent is doing now, as the floor board shows it.</summary>
public enum AgentStatus : byte
{
    LoggedOut,
    Available,
    Ringing,
    OnCall,
    WrapUp,
    Paused,
}

/// <summary>
/// An agent's live state: status, since when (Unix ms), pause reason, the queues it is a member of and
/// the campaign of its latest outbound attempt or disposition (null when it has dialled none).
/// </summary>
public sealed record AgentLiveState(string Agent, AgentStatus Status, long SinceMs, string? PauseReason, IReadOnlyList<string> Queues, string? Campaign = null)
{
    /// <summary>The queue of the call the agent is on or wrapping up; null otherwise.</summary>
    public string? CurrentQueue { get; init; }
}
