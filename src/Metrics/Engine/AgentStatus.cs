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

/// <summary>An agent's live state: status, since when (Unix ms), pause reason and the queues it is a member of.</summary>
public sealed record AgentLiveState(string Agent, AgentStatus Status, long SinceMs, string? PauseReason, IReadOnlyList<string> Queues);
