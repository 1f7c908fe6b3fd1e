using Wallboard.Ingest.Model;

namespace Wallboard.Metrics.Engine;

/// <summary>
/// What the engine refuses. <see cref="Accept"/> refuses a time the calendar cannot place (one
/// comparison). A host that must bound its memory — the server — asks <see cref="Admit"/> first:
/// a name over the length limit, or a new queue, agent or campaign beyond its cap, is refused
/// there. Refused events are counted by reason (<see cref="Rejected"/>), never applied, and never
/// move the watermark. The name check stays out of <see cref="Accept"/>, so that the server pays
/// it once per event for both its engines and <c>kpi</c> not at all (it cost 4 % of the core's
/// time inside it).
/// </summary>
public sealed partial class KpiEngine
{
    /// <summary>The calendar's range as one unsigned comparison: 1970 to 9000.</summary>
    private const ulong CalendarSpan = (ulong)(EventTimeLimits.LatestMs - EventTimeLimits.EarliestMs);

    /// <summary>
    /// Whether the event's names are within <see cref="KpiOptions.Limits"/>: short enough and, where
    /// a table is full, already known. False counts the reason in <see cref="Rejected"/>.
    /// </summary>
    public bool Admit(in ContactEvent contactEvent)
    {
        if (WithinLimits(contactEvent))
        {
            return true;
        }

        Reject(contactEvent);
        return false;
    }

    /// <summary>
    /// Spans of login or pause time longer than <see cref="EntityLimits.MaxSilenceDays"/>, left out:
    /// events only that far apart (a silence of the whole input, or one line dated decades ahead)
    /// would otherwise fill the agent's intervals one by one across them, without bound.
    /// </summary>
    public long SpansNotAccounted { get; private set; }

    private bool WithinLimits(in ContactEvent e)
    {
        // Events made in code may leave a name null where the parsers give an empty string.
        var max = _maxNameLength;
        var (queue, agent, campaign) = (e.Queue, e.Agent, e.Campaign);
        if (queue?.Length > max || agent?.Length > max || campaign?.Length > max)
        {
            return false;
        }

        return (_queueNames.Count < _maxQueues || string.IsNullOrEmpty(queue) || _queueNames.TryGetIndex(queue, out _))
            && (_agentNames.Count < _maxAgents || string.IsNullOrEmpty(agent) || _agentNames.TryGetIndex(agent, out _))
            && (_campaignNames.Count < _maxCampaigns || string.IsNullOrEmpty(campaign) || _campaignNames.TryGetIndex(campaign, out _));
    }

    private void Reject(in ContactEvent e)
    {
        var max = _maxNameLength;
        if (e.Queue?.Length > max || e.Agent?.Length > max || e.Campaign?.Length > max)
        {
            _rejected.NameTooLong++;
        }
        else if (!string.IsNullOrEmpty(e.Queue) && _queueNames.Count >= _maxQueues && !_queueNames.TryGetIndex(e.Queue, out _))
        {
            _rejected.TooManyQueues++;
        }
        else if (!string.IsNullOrEmpty(e.Agent) && _agentNames.Count >= _maxAgents && !_agentNames.TryGetIndex(e.Agent, out _))
        {
            _rejected.TooManyAgents++;
        }
        else
        {
            _rejected.TooManyCampaigns++;
        }
    }
}
