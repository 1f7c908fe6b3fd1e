using System.Runtime.InteropServices;

namespace Wallboard.Metrics.Counters;

/// <summary>Additive figures of one agent in one interval.</summary>
[StructLayout(LayoutKind.Auto)]
public struct AgentCounters
{
    /// <summary>Calls answered, counted in the interval of the answer.</summary>
    public long Answered;

    public long RingNoAnswer;

    /// <summary>Answered calls that completed or were transferred, counted in the interval of the answer.</summary>
    public long Handled;

    public long TalkMs;
    public long HoldMs;
    public long WrapUpMs;

    /// <summary>Time logged in (member of a queue or logged in as an agent), split at interval boundaries.</summary>
    public long LoginMs;

    public long PauseMs;
    public long OutboundAttempts;
    public long OutboundConnected;

    /// <summary>Talk time of connected outbound attempts (kept apart from queue talk, which AHT uses).</summary>
    public long OutboundTalkMs;

    public long Contacts;
    public long Conversions;
    public long Complaints;

    public void Add(in AgentCounters other)
    {
        Answered += other.Answered;
        RingNoAnswer += other.RingNoAnswer;
        Handled += other.Handled;
        TalkMs += other.TalkMs;
        HoldMs += other.HoldMs;
        WrapUpMs += other.WrapUpMs;
        LoginMs += other.LoginMs;
        PauseMs += other.PauseMs;
        OutboundAttempts += other.OutboundAttempts;
        OutboundConnected += other.OutboundConnected;
        OutboundTalkMs += other.OutboundTalkMs;
        Contacts += other.Contacts;
        Conversions += other.Conversions;
        Complaints += other.Complaints;
    }
}
