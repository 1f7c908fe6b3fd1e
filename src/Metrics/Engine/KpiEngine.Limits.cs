using System.Runtime.CompilerServices;
using Wallboard.Ingest.Model;

namespace Wallboard.Metrics.Engine;

/// <summary>
/// What the engine refuses before applying anything: a time the calendar cannot place, a name over
/// the length limit, a new queue, agent or campaign beyond its cap. Refused events are counted by
/// reason (<see cref="Rejected"/>), never applied, and never move the watermark.
/// </summary>
public sealed partial class KpiEngine
{
    /// <summary>The calendar's range as one unsigned comparison: 1970 to 9000.</summary>
    private const ulong CalendarSpan = (ulong)(EventTimeLimits.LatestMs - EventTimeLimits.EarliestMs);

    /// <summary>
    /// Whether the event may be applied. The common case costs a few comparisons: the OR of the
    /// name lengths bounds each of them (it is never smaller than any), and no table is full; the
    /// rest (a null name from code, a long name, a full table) takes the exact check.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool Admissible(in ContactEvent e)
    {
        var (queue, agent, campaign) = (e.Queue, e.Agent, e.Campaign);
        if ((ulong)(e.UnixTimeMs - EventTimeLimits.EarliestMs) >= CalendarSpan)
        {
            return false;
        }

        return (queue is not null && agent is not null
                && (uint)(queue.Length | agent.Length | (campaign is null ? 0 : campaign.Length)) <= (uint)_maxNameLength
                && _queueNames.Count < _maxQueues && _agentNames.Count < _maxAgents && _campaignNames.Count < _maxCampaigns)
            || WithinLimits(e);
    }

    /// <summary>The exact check: every name short enough and, where its table is full, already known.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
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
        if ((ulong)(e.UnixTimeMs - EventTimeLimits.EarliestMs) >= CalendarSpan)
        {
            _rejected.OutOfCalendar++;
        }
        else if (e.Queue?.Length > max || e.Agent?.Length > max || e.Campaign?.Length > max)
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
