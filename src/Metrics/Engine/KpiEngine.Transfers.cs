
namespace Wallboard.Metrics.Engine;

/// <summary>
/// The attended transfer into a queue (Asterisk 13+, asterisk/asterisk issue 759): completing the
/// transfer masquerades the channels and swaps their unique ids, so the transfer line of the call in
/// queue A is logged under the id of the consultation call, and the original caller is then answered
/// in queue B under its own id, which never entered B, while the consultation's entry in B is never
/// closed. Two rules put each line on the call it is about (docs/kpis.md, "Attended transfer into a
/// queue"); both run only for a line whose id has no call in its queue, so ordinary calls never reach them.
/// </summary>
public sealed partial class KpiEngine
{
    /// <summary>Lines the transfer rules put on another call than the one their id names.</summary>
    public long MasqueradesResolved { get; private set; }

    /// <summary>
    /// Rule 1: a completion or transfer whose id has no call in the queue, logged by an agent with
    /// exactly one answered call in progress, in that queue, belongs to that call. The id it was
    /// logged under is kept as the call's consultation, for rule 2.
    /// </summary>
    /// <remarks>The slot just made for the id is released when the rule applies.</remarks>
    private bool TryTakeOverOpenCall(ulong callKey, int queue, string agentName, int fresh, out int open)
    {
        open = -1;
        if (agentName.Length == 0 || !_agentNames.TryGetIndex(agentName, out var agent))
        {
            return false;
        }

        ref readonly var state = ref _agentStates[agent];
        var current = state.CurrentCall;
        if (state.OpenCalls != 1 || current == fresh)
        {
            return false;
        }

        ref var call = ref _calls[current];
        if (!call.InUse || call.Agent != agent || call.Queue != queue || call.Outcome != CallOutcome.Answered || call.Completed)
        {
            return false;
        }

        ReleaseCall(fresh);
        call.ConsultationKey = callKey;
        open = current;
        MasqueradesResolved++;
        return true;
    }

    /// <summary>
    /// Rule 2: an answer in a queue of an id that never entered it takes over the unanswered entry,
    /// in that queue, of the consultation call under which this id's transfer was logged (rule 1).
    /// The entry then carries the caller's id, so the caller's completion in that queue finds it.
    /// </summary>
    /// <remarks>The slot just made for the id is released when the rule applies.</remarks>
    private bool TryTakeOverConsultation(ulong callKey, int queue, int fresh, out int entry)
    {
        entry = -1;
        for (var slot = _calls[fresh].OlderSameId; slot >= 0; slot = _calls[slot].OlderSameId)
        {
            var consultation = _calls[slot].ConsultationKey;
            if (consultation == 0 || !_callsById.TryGetValue(consultation, out var latest))
            {
                continue;
            }

            var waiting = CallInQueue(latest, queue);
            if (waiting < 0 || _calls[waiting].Outcome != CallOutcome.None)
            {
                continue;
            }

            ReleaseCall(fresh);
            UnlinkId(waiting);
            ref var call = ref _calls[waiting];
            call.CallKey = callKey;
            ref var head = ref _callsById.GetValueRefOrAddDefault(callKey, out var known);
            call.OlderSameId = known ? head : -1;
            head = waiting;
            entry = waiting;
            MasqueradesResolved++;
            return true;
        }

        return false;
    }
}
