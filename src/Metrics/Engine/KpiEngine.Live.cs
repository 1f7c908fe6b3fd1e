namespace Wallboard.Metrics.Engine;

/// <summary>
/// Reads of the live state for the floor screens: the calls waiting in a queue one by one, and the
/// queue of the call an agent is on. Called once per tick on the engine's thread, never per event,
/// so the hot path keeps no extra state for them.
/// </summary>
public sealed partial class KpiEngine
{
    /// <summary>
    /// The arrival (Unix ms) of each call waiting in a queue now, in queue order (the first is at
    /// position 1). Empty when none waits.
    /// </summary>
    public long[] WaitingArrivals(int queue)
    {
        if (queue >= _queuesPrepared || _waiting[queue].Count == 0)
        {
            return [];
        }

        var arrivals = new long[_waiting[queue].Count];
        var position = 0;
        for (var slot = _waiting[queue].Head; slot >= 0 && position < arrivals.Length; slot = _calls[slot].NextWaiting)
        {
            arrivals[position++] = _calls[slot].ArrivalMs;
        }

        return arrivals;
    }

    /// <summary>
    /// The queue of the call an agent is talking on or wrapping up, or null (ringing, idle, outbound).
    /// A finished call stays remembered for half an hour, so a wrap-up still finds it; the slot is
    /// checked to be still this agent's call, since a forgotten call's slot is reused.
    /// </summary>
    private string? CurrentQueueOf(int agent)
    {
        ref readonly var state = ref _agentStates[agent];
        if (state.Status is not (AgentStatus.OnCall or AgentStatus.WrapUp) || state.CurrentCall < 0 || state.CurrentCall >= _callHighWater)
        {
            return null;
        }

        ref readonly var call = ref _calls[state.CurrentCall];
        return call.InUse && call.Agent == agent ? _queueNames.Names[call.Queue] : null;
    }
}
