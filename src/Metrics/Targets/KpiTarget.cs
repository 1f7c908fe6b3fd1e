using System.Collections.Frozen;

namespace Wallboard.Metrics.Targets;

/// <summary>Which way a KPI improves.</summary>
public enum KpiDirection
{
    /// <summary>More is better: service level, ring rate, conversion rate.</summary>
    HigherIsBetter,

    /// <summary>Less is better: abandon rate, ASA, waits.</summary>
    LowerIsBetter,
}

/// <summary>Where a value stands against its target, and whether that is good.</summary>
public enum TargetStanding
{
    /// <summary>No value or no target.</summary>
    None,

    /// <summary>Exactly the target: met.</summary>
    On,

    /// <summary>Above the target, which is better (service level 85 % for 80 %).</summary>
    AboveBetter,

    /// <summary>Below the target, which is better (abandon rate 3 % for 5 %).</summary>
    BelowBetter,

    /// <summary>Above the target, which is worse (abandon rate 9.2 % for 5 %).</summary>
    AboveWorse,

    /// <summary>Below the target, which is worse (service level 71.5 % for 80 %).</summary>
    BelowWorse,
}

/// <summary>
/// The direction of every KPI that has one, by its name in docs/kpis.md. The one place that knows
/// that an abandon rate above its target is bad: the dashboards' thresholds, the reports' key
/// figures and tables, and the report email all ask here.
/// </summary>
public static class KpiDirections
{
    private static readonly FrozenDictionary<string, KpiDirection> Directions = new Dictionary<string, KpiDirection>(StringComparer.Ordinal)
    {
        ["service_level"] = KpiDirection.HigherIsBetter,
        ["ring_rate"] = KpiDirection.HigherIsBetter,
        ["connect_rate"] = KpiDirection.HigherIsBetter,
        ["conversion_rate"] = KpiDirection.HigherIsBetter,
        ["repeat_conversion_rate"] = KpiDirection.HigherIsBetter,
        ["calls_per_agent_hour"] = KpiDirection.HigherIsBetter,
        ["call_target_attainment"] = KpiDirection.HigherIsBetter,
        ["adherence"] = KpiDirection.HigherIsBetter,
        ["conformance"] = KpiDirection.HigherIsBetter,
        ["agents_available"] = KpiDirection.HigherIsBetter,
        ["staffing_gap"] = KpiDirection.HigherIsBetter,
        ["abandon_rate"] = KpiDirection.LowerIsBetter,
        ["asa_seconds"] = KpiDirection.LowerIsBetter,
        ["aht_seconds"] = KpiDirection.LowerIsBetter,
        ["max_wait_seconds"] = KpiDirection.LowerIsBetter,
        ["calls_waiting"] = KpiDirection.LowerIsBetter,
        ["longest_wait_seconds"] = KpiDirection.LowerIsBetter,
        ["abandoned"] = KpiDirection.LowerIsBetter,
        ["timed_out"] = KpiDirection.LowerIsBetter,
        ["complaints"] = KpiDirection.LowerIsBetter,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>The KPI's direction, or null for a figure that is neither good nor bad in itself (offered, answered, attempts).</summary>
    public static KpiDirection? Of(string kpi) => Directions.TryGetValue(kpi, out var direction) ? direction : null;
}

/// <summary>A KPI's target: the value to reach and, from <see cref="KpiDirections"/>, the side of it that is good.</summary>
/// <param name="Kpi">The KPI's name in docs/kpis.md (<c>abandon_rate</c>).</param>
/// <param name="Value">The target, in the KPI's unit (a fraction for rates, seconds for times).</param>
/// <param name="Direction">Which way the KPI improves.</param>
public sealed record KpiTarget(string Kpi, double Value, KpiDirection Direction)
{
    /// <summary>The target of a KPI that has a direction.</summary>
    /// <exception cref="ArgumentException">The KPI has no direction (<see cref="KpiDirections.Of"/>): a target for it would be neither met nor missed.</exception>
    public static KpiTarget For(string kpi, double value) =>
        new(kpi, value, KpiDirections.Of(kpi) ?? throw new ArgumentException($"'{kpi}' has no direction (higher or lower is better), so it cannot have a target", nameof(kpi)));

    /// <summary>The target when one is set; null passes through.</summary>
    public static KpiTarget? For(string kpi, double? value) => value is { } v ? For(kpi, v) : null;

    /// <summary>Where <paramref name="value"/> stands: on, above or below, better or worse.</summary>
    public TargetStanding Judge(double? value) => value switch
    {
        null => TargetStanding.None,
        { } v when v.Equals(Value) => TargetStanding.On,
        { } v when v > Value => Direction == KpiDirection.HigherIsBetter ? TargetStanding.AboveBetter : TargetStanding.AboveWorse,
        _ => Direction == KpiDirection.HigherIsBetter ? TargetStanding.BelowWorse : TargetStanding.BelowBetter,
    };

    /// <summary>True when <paramref name="value"/> is known and on the wrong side of the target.</summary>
    public bool Misses(double? value) => Judge(value) is TargetStanding.AboveWorse or TargetStanding.BelowWorse;

    /// <summary>+1 when <paramref name="change"/> is an improvement, −1 when it is a deterioration, 0 for none or unknown.</summary>
    public static int Improvement(KpiDirection direction, double? change) => change switch
    {
        null or 0 => 0,
        > 0 => direction == KpiDirection.HigherIsBetter ? 1 : -1,
        _ => direction == KpiDirection.HigherIsBetter ? -1 : 1,
    };
}
