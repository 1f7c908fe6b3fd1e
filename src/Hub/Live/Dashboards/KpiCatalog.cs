using System.Collections.Frozen;
using Wallboard.Metrics.Live;
using Wallboard.Metrics.Targets;

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

    public static readonly FrozenSet<string> TileSizes =
        FrozenSet.ToFrozenSet([Dashboards.TileSizes.Small, Dashboards.TileSizes.Medium, Dashboards.TileSizes.Large], StringComparer.Ordinal);

    /// <summary>
    /// Bands of a queue-table cell whose KPI the layout gives none (docs/live-protocol.md): the
    /// common targets of an inbound centre (80/20 service level, 5 % abandons, 90 % in three rings).
    /// KPIs without a target that holds for every centre (AHT, volumes) have none and stay neutral.
    /// </summary>
    public static readonly FrozenDictionary<string, Thresholds> DefaultThresholds = new Dictionary<string, Thresholds>(StringComparer.Ordinal)
    {
        ["calls_waiting"] = Bands("calls_waiting", 3, 6),
        ["longest_wait_seconds"] = Bands("longest_wait_seconds", 30, 60),
        ["max_wait_seconds"] = Bands("max_wait_seconds", 60, 120),
        ["service_level"] = Bands("service_level", 0.8, 0.7),
        ["abandon_rate"] = Bands("abandon_rate", 0.05, 0.08),
        ["asa_seconds"] = Bands("asa_seconds", 20, 40),
        ["ring_rate"] = Bands("ring_rate", 0.9, 0.8),
        ["staffing_gap"] = Bands("staffing_gap", 0, -1),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>
    /// The band direction a KPI's own direction implies (Metrics.Targets.KpiDirections, the table the
    /// reports and their email judge targets by): <c>above</c> turns red as a better-lower figure
    /// rises, <c>below</c> as a better-higher one falls; null for a figure neither good nor bad in itself.
    /// </summary>
    public static string? BandDirection(string kpi) => KpiDirections.Of(kpi) switch
    {
        KpiDirection.LowerIsBetter => "above",
        KpiDirection.HigherIsBetter => "below",
        _ => null,
    };

    private static Thresholds Bands(string kpi, double amber, double red) =>
        new(BandDirection(kpi) ?? throw new InvalidOperationException($"'{kpi}' has no direction in KpiDirections"), amber, red);

    /// <summary>
    /// Seconds in a state from which an agent turns amber, then red, where the layout gives none:
    /// a phone ringing past three rings of five seconds, a call twice a usual handling time, a
    /// wrap-up past a minute, a pause past ten minutes. A layout may give its own, and per pause reason.
    /// </summary>
    public static readonly FrozenDictionary<string, Thresholds> DefaultTimeInState = new Dictionary<string, Thresholds>(StringComparer.Ordinal)
    {
        ["ringing"] = new("above", 15, 30),
        ["on_call"] = new("above", 600, 1200),
        ["wrap_up"] = new("above", 60, 120),
        ["paused"] = new("above", 600, 900),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Today's counts an agent card can show.</summary>
    public static readonly FrozenSet<string> AgentFigures =
        FrozenSet.ToFrozenSet(["handled", "attempts", "connected", "conversions"], StringComparer.Ordinal);

    public static bool IsLive(KpiSource source) => source is KpiSource.QueueLive or KpiSource.AgentLive or KpiSource.Staffing;
}
