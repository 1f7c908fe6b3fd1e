using System.Collections.Frozen;
using Wallboard.Metrics.Live;

namespace Wallboard.Hub.Live.Dashboards;

/// <summary>Where a KPI's figures come from.</summary>
internal enum KpiSource
{
    /// <summary>Queue counters summed over a window (docs/kpis.md).</summary>
    QueueCounters,

    /// <summary>The queues' state now: calls waiting, longest wait.</summary>
    QueueLive,

    /// <summary>Agents serving the queues, counted by status now.</summary>
    AgentLive,

    /// <summary>Campaign counters summed over a window.</summary>
    Campaign,

    /// <summary>Agents staffed and needed now (docs/staffing.md).</summary>
    Staffing,
}

/// <summary>The KPI names a dashboard may use, the windows and the formats.</summary>
internal static class KpiCatalog
{
    public static readonly FrozenDictionary<string, KpiSource> Kpis = new Dictionary<string, KpiSource>(StringComparer.Ordinal)
    {
        ["offered"] = KpiSource.QueueCounters,
        ["answered"] = KpiSource.QueueCounters,
        ["abandoned"] = KpiSource.QueueCounters,
        ["short_abandoned"] = KpiSource.QueueCounters,
        ["timed_out"] = KpiSource.QueueCounters,
        ["exited_key"] = KpiSource.QueueCounters,
        ["exited_empty"] = KpiSource.QueueCounters,
        ["withdrawn"] = KpiSource.QueueCounters,
        ["answered_within_sl"] = KpiSource.QueueCounters,
        ["service_level"] = KpiSource.QueueCounters,
        ["answered_within_rings"] = KpiSource.QueueCounters,
        ["ring_rate"] = KpiSource.QueueCounters,
        ["asa_seconds"] = KpiSource.QueueCounters,
        ["handled"] = KpiSource.QueueCounters,
        ["talk_seconds"] = KpiSource.QueueCounters,
        ["aht_seconds"] = KpiSource.QueueCounters,
        ["abandon_rate"] = KpiSource.QueueCounters,
        ["avg_abandon_seconds"] = KpiSource.QueueCounters,
        ["max_wait_seconds"] = KpiSource.QueueCounters,
        ["calls_waiting"] = KpiSource.QueueLive,
        ["longest_wait_seconds"] = KpiSource.QueueLive,
        ["agents_logged_in"] = KpiSource.AgentLive,
        ["agents_available"] = KpiSource.AgentLive,
        ["agents_on_call"] = KpiSource.AgentLive,
        ["agents_paused"] = KpiSource.AgentLive,
        ["attempts"] = KpiSource.Campaign,
        ["connected"] = KpiSource.Campaign,
        ["connect_rate"] = KpiSource.Campaign,
        ["no_answer"] = KpiSource.Campaign,
        ["busy"] = KpiSource.Campaign,
        ["failed"] = KpiSource.Campaign,
        ["contacts"] = KpiSource.Campaign,
        ["conversions"] = KpiSource.Campaign,
        ["conversion_rate"] = KpiSource.Campaign,
        ["repeat_conversion_rate"] = KpiSource.Campaign,
        ["complaints"] = KpiSource.Campaign,
        ["calls_per_agent_hour"] = KpiSource.Campaign,
        ["agents_staffed"] = KpiSource.Staffing,
        ["agents_required"] = KpiSource.Staffing,
        ["staffing_gap"] = KpiSource.Staffing,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    public const string LiveWindowName = "live";

    /// <summary>The counter windows by name; <c>live</c> is the present and has no entry.</summary>
    public static readonly FrozenDictionary<string, LiveWindow> Windows = new Dictionary<string, LiveWindow>(StringComparer.Ordinal)
    {
        ["last15"] = LiveWindow.Last15Minutes,
        ["last30"] = LiveWindow.Last30Minutes,
        ["last60"] = LiveWindow.Last60Minutes,
        ["shift"] = LiveWindow.Shift,
        ["today"] = LiveWindow.Today,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    public static readonly FrozenSet<string> Formats = FrozenSet.ToFrozenSet(["number", "percent", "duration", "decimal"], StringComparer.Ordinal);

    public static readonly FrozenSet<string> AgentStates =
        FrozenSet.ToFrozenSet(["logged_out", "available", "ringing", "on_call", "wrap_up", "paused"], StringComparer.Ordinal);

    public static bool IsLive(KpiSource source) => source is KpiSource.QueueLive or KpiSource.AgentLive or KpiSource.Staffing;
}
