namespace Wallboard.Ingest.Model;

/// <summary>What happened. Every source (queue_log, CDR, JSON events) maps into these.</summary>
public enum ContactEventKind : byte
{
    /// <summary>A caller entered a queue (queue_log ENTERQUEUE). <see cref="ContactEvent.Customer"/> is the caller id.</summary>
    CallQueued,

    /// <summary>The call started ringing at an agent.</summary>
    CallRinging,

    /// <summary>An agent did not answer a ringing call (RINGNOANSWER). <see cref="ContactEvent.RingMs"/> is the ring time.</summary>
    RingNoAnswer,

    /// <summary>The ring at an agent was cancelled because another agent answered or the caller left (RINGCANCELED).</summary>
    RingCanceled,

    /// <summary>An agent answered (CONNECT). Carries the queue wait and, where known, the ring time at that agent.</summary>
    CallAnswered,

    /// <summary>The agent put the caller on hold.</summary>
    CallHeld,

    /// <summary>The caller came back from hold. <see cref="ContactEvent.HoldMs"/> may give the hold length.</summary>
    CallResumed,

    /// <summary>An answered call ended (COMPLETEAGENT, COMPLETECALLER). Carries wait and talk.</summary>
    CallCompleted,

    /// <summary>An answered call was transferred away (BLINDTRANSFER, TRANSFER, ATTENDEDTRANSFER); it counts as handled.</summary>
    CallTransferred,

    /// <summary>The caller hung up while waiting (ABANDON).</summary>
    CallAbandoned,

    /// <summary>The caller reached the queue's timeout (EXITWITHTIMEOUT).</summary>
    CallTimedOut,

    /// <summary>The caller left the queue by pressing a key (EXITWITHKEY). <see cref="ContactEvent.Reason"/> is the key.</summary>
    CallExitedWithKey,

    /// <summary>The call left because the queue had no agents (EXITEMPTY).</summary>
    CallExitedEmpty,

    /// <summary>The agent finished after-call work. <see cref="ContactEvent.WrapUpMs"/> is its length.</summary>
    WrapUpEnded,

    /// <summary>The agent recorded the outcome of a contact: <see cref="ContactEvent.Reason"/> is the outcome, with campaign, conversion and complaint flags.</summary>
    Disposition,

    /// <summary>The agent logged in (AGENTLOGIN, AGENTCALLBACKLOGIN).</summary>
    AgentLoggedIn,

    /// <summary>The agent logged off (AGENTLOGOFF, AGENTCALLBACKLOGOFF).</summary>
    AgentLoggedOut,

    /// <summary>The agent became a member of <see cref="ContactEvent.Queue"/> (ADDMEMBER).</summary>
    MemberAdded,

    /// <summary>The agent stopped being a member of <see cref="ContactEvent.Queue"/> (REMOVEMEMBER).</summary>
    MemberRemoved,

    /// <summary>The agent paused (PAUSE, PAUSEALL). <see cref="ContactEvent.Reason"/> is the pause reason.</summary>
    AgentPaused,

    /// <summary>The agent unpaused (UNPAUSE, UNPAUSEALL).</summary>
    AgentUnpaused,

    /// <summary>The agent declared itself ready for calls (sources with an explicit "available" state).</summary>
    AgentAvailable,

    /// <summary>An outbound call attempt of a campaign; <see cref="ContactEvent.Result"/> says how it went.</summary>
    OutboundAttempt,

    /// <summary>
    /// The caller was withdrawn from the queue by the system, e.g. to be called back (queue_log WITHDRAW,
    /// Asterisk 16+). <see cref="ContactEvent.Reason"/> is the withdraw info. Last in the list so that the
    /// numbers of the kinds before it stay as they were.
    /// </summary>
    CallWithdrawn,
}
