using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using Wallboard.Metrics;
using Wallboard.Metrics.Calendar;
using Wallboard.Metrics.Live;

namespace Wallboard.Hub.Hosting;

/// <summary>Configuration section <c>Metrics</c>: the KPI definitions the server counts with.</summary>
internal sealed class MetricsOptions
{
    public const string Section = "Metrics";

    /// <summary>IANA zone of the centre; intervals, days and shifts follow its clock.</summary>
    [Required]
    public string TimeZone { get; set; } = "Asia/Shanghai";

    [Range(0, 3600)]
    public double SlThresholdSeconds { get; set; } = 20;

    /// <summary>offered, answered, abandons-ignored or abandons-positive.</summary>
    public string SlFormula { get; set; } = "offered";

    [Range(0, 600)]
    public double ShortAbandonSeconds { get; set; } = 5;

    [Range(0.5, 60)]
    public double RingSeconds { get; set; } = 5;

    [Range(1, 20)]
    public int Rings { get; set; } = 3;

    /// <summary>Days within which a campaign contact with the same customer is a repeat contact.</summary>
    [Range(0.01, 3660)]
    public double RepeatContactDays { get; set; } = 30;

    /// <summary>Per-queue overrides of the threshold and formula.</summary>
    public Dictionary<string, QueueTargetOptions> Queues { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Local shift start times (HH:mm) for the "shift" window.</summary>
    public List<string> ShiftStarts { get; set; } = ["08:00", "20:00"];

    /// <summary>How often screens are refreshed and history is written.</summary>
    [Range(0.1, 60)]
    public double CadenceSeconds { get; set; } = 1;

    /// <summary>Events waiting for the core before producers are told to slow down or are dropped.</summary>
    [Range(1_000, 10_000_000)]
    public int IngestCapacity { get; set; } = 200_000;

    /// <summary>Queue, agent and campaign names longer than this are refused (counted in /healthz).</summary>
    [Range(1, 4096)]
    public int MaxNameLength { get; set; } = 128;

    /// <summary>
    /// Distinct queues kept; events naming a new one beyond it are refused and counted, so a feed of
    /// garbage names cannot grow memory or the live answers without bound.
    /// </summary>
    [Range(1, 1_000_000)]
    public int MaxQueues { get; set; } = 1_000;

    /// <summary>Distinct agents kept (as <see cref="MaxQueues"/>).</summary>
    [Range(1, 1_000_000)]
    public int MaxAgents { get; set; } = 10_000;

    /// <summary>Distinct campaigns kept (as <see cref="MaxQueues"/>).</summary>
    [Range(1, 1_000_000)]
    public int MaxCampaigns { get; set; } = 1_000;

    /// <summary>Days without any event over which open sessions are still accounted (<see cref="EntityLimits.MaxSilenceDays"/>).</summary>
    [Range(1, 36_600)]
    public int MaxSilenceDays { get; set; } = 31;

    public KpiOptions ToKpiOptions(IntervalLength interval) => new()
    {
        TimeZone = TimeZone,
        Interval = interval,
        DefaultQueue = new QueueTargets { SlThresholdSeconds = SlThresholdSeconds, SlFormula = Formula(SlFormula) },
        Queues = Queues.ToDictionary(
            pair => pair.Key,
            pair => new QueueTargets
            {
                SlThresholdSeconds = pair.Value.SlThresholdSeconds ?? SlThresholdSeconds,
                SlFormula = Formula(pair.Value.SlFormula ?? SlFormula),
            },
            StringComparer.Ordinal),
        ShortAbandonSeconds = ShortAbandonSeconds,
        RingSeconds = RingSeconds,
        Rings = Rings,
        RepeatContactDays = RepeatContactDays,
        Limits = new EntityLimits { MaxNameLength = MaxNameLength, MaxQueues = MaxQueues, MaxAgents = MaxAgents, MaxCampaigns = MaxCampaigns, MaxSilenceDays = MaxSilenceDays },
    };

    public LiveOptions ToLiveOptions() => new()
    {
        ShiftStarts = [.. ShiftStarts.Select(text => TimeOnly.ParseExact(text, "HH:mm", System.Globalization.CultureInfo.InvariantCulture))],
    };

    private static ServiceLevelFormula Formula(string name) =>
        KpiOptions.TryParseFormula(name, out var formula) ? formula : default;
}

/// <summary>Service-level settings of one queue.</summary>
internal sealed class QueueTargetOptions
{
    public double? SlThresholdSeconds { get; set; }

    public string? SlFormula { get; set; }
}

/// <summary>Checks what data annotations cannot: the zone, the formulas and the shift times, naming the key.</summary>
internal sealed class MetricsOptionsValidator : IValidateOptions<MetricsOptions>
{
    public ValidateOptionsResult Validate(string? name, MetricsOptions options)
    {
        var failures = new List<string>();
        if (NodaTime.DateTimeZoneProviders.Tzdb.GetZoneOrNull(options.TimeZone) is null)
        {
            failures.Add($"Metrics:TimeZone: '{options.TimeZone}' is not an IANA time zone");
        }

        if (!KpiOptions.TryParseFormula(options.SlFormula, out _))
        {
            failures.Add($"Metrics:SlFormula: '{options.SlFormula}' is not one of offered, answered, abandons-ignored, abandons-positive");
        }

        foreach (var (queue, targets) in options.Queues)
        {
            if (targets.SlFormula is { } formula && !KpiOptions.TryParseFormula(formula, out _))
            {
                failures.Add($"Metrics:Queues:{queue}:SlFormula: '{formula}' is not a service-level formula");
            }

            if (targets.SlThresholdSeconds is < 0)
            {
                failures.Add($"Metrics:Queues:{queue}:SlThresholdSeconds: must be 0 or more");
            }
        }

        foreach (var start in options.ShiftStarts)
        {
            if (!TimeOnly.TryParseExact(start, "HH:mm", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out _))
            {
                failures.Add($"Metrics:ShiftStarts: '{start}' is not a local time HH:mm");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
