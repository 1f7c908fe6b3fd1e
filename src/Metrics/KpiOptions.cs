using Wallboard.Metrics.Calendar;

namespace Wallboard.Metrics;

/// <summary>How service level is computed; contact centres disagree on what to do with abandons.</summary>
public enum ServiceLevelFormula
{
    /// <summary>answered_within_sl / (offered − short_abandoned).</summary>
    Offered,

    /// <summary>answered_within_sl / answered.</summary>
    Answered,

    /// <summary>answered_within_sl / (offered − short_abandoned − abandoned_within_sl).</summary>
    AbandonsIgnored,

    /// <summary>(answered_within_sl + abandoned_within_sl) / (offered − short_abandoned).</summary>
    AbandonsPositive,
}

/// <summary>Per-queue service-level settings.</summary>
public sealed record QueueTargets
{
    /// <summary>Answered within this many seconds counts as within service level.</summary>
    public double SlThresholdSeconds { get; init; } = 20;

    public ServiceLevelFormula SlFormula { get; init; } = ServiceLevelFormula.Offered;
}

/// <summary>The definitions the KPIs are computed with. Defaults in one place.</summary>
public sealed record KpiOptions
{
    /// <summary>IANA zone whose local clock defines intervals, days, weeks and months.</summary>
    public string TimeZone { get; init; } = "UTC";

    public IntervalLength Interval { get; init; } = IntervalLength.FifteenMinutes;

    /// <summary>Targets for queues without their own entry in <see cref="Queues"/>.</summary>
    public QueueTargets DefaultQueue { get; init; } = new();

    /// <summary>Per-queue overrides of the service-level threshold and formula.</summary>
    public IReadOnlyDictionary<string, QueueTargets> Queues { get; init; } = new Dictionary<string, QueueTargets>(StringComparer.Ordinal);

    /// <summary>Abandons with a wait shorter than this are short abandons (wrong numbers, misdials).</summary>
    public double ShortAbandonSeconds { get; init; } = 5;

    /// <summary>Length of one ring: 5 s for the Chinese 1 s on / 4 s off cadence, 6 s in North America, 3 s in the UK.</summary>
    public double RingSeconds { get; init; } = 5;

    /// <summary>Answered within this many rings counts towards the ring rate.</summary>
    public int Rings { get; init; } = 3;

    /// <summary>Calls (handled plus outbound connected, less complaints) an agent is expected to make per interval row; 0 for none.</summary>
    public int AgentCallTarget { get; init; }

    /// <summary>A campaign contact with a customer who was in contact (a queue call or a campaign contact) this many days before is a repeat contact.</summary>
    public double RepeatContactDays { get; init; } = 30;

    /// <summary>Bounds on names and on how many distinct queues, agents and campaigns are kept.</summary>
    public EntityLimits Limits { get; init; } = new();

    public QueueTargets TargetsFor(string queue) =>
        Queues.TryGetValue(queue, out var targets) ? targets : DefaultQueue;

    /// <summary>Names used on the command line and in configuration.</summary>
    public static bool TryParseFormula(string? text, out ServiceLevelFormula formula)
    {
        switch (text)
        {
            case "offered":
                formula = ServiceLevelFormula.Offered;
                return true;
            case "answered":
                formula = ServiceLevelFormula.Answered;
                return true;
            case "abandons-ignored":
                formula = ServiceLevelFormula.AbandonsIgnored;
                return true;
            case "abandons-positive":
                formula = ServiceLevelFormula.AbandonsPositive;
                return true;
            default:
                formula = default;
                return false;
        }
    }

    public static string FormulaName(ServiceLevelFormula formula) => formula switch
    {
        ServiceLevelFormula.Answered => "answered",
        ServiceLevelFormula.AbandonsIgnored => "abandons-ignored",
        ServiceLevelFormula.AbandonsPositive => "abandons-positive",
        _ => "offered",
    };

    /// <summary>Checks the values, naming the one that is wrong.</summary>
    public void Validate()
    {
        _ = IntervalCalendar.ResolveZone(TimeZone);
        Check(DefaultQueue, "sl-threshold");
        foreach (var (queue, targets) in Queues)
        {
            Check(targets, $"queues:{queue}:sl-threshold");
        }

        if (!(ShortAbandonSeconds >= 0))
        {
            throw new ArgumentException($"short-abandon must be 0 or more seconds, got {ShortAbandonSeconds}");
        }

        if (!(RingSeconds > 0))
        {
            throw new ArgumentException($"ring-seconds must be more than 0, got {RingSeconds}");
        }

        if (Rings < 1)
        {
            throw new ArgumentException($"rings must be 1 or more, got {Rings}");
        }

        if (!(RepeatContactDays > 0))
        {
            throw new ArgumentException($"repeat-contact-days must be more than 0, got {RepeatContactDays}");
        }

        if (AgentCallTarget < 0)
        {
            throw new ArgumentException($"call-target must be 0 or more, got {AgentCallTarget}");
        }

        Limits.Validate();

        static void Check(QueueTargets targets, string name)
        {
            if (!(targets.SlThresholdSeconds >= 0))
            {
                throw new ArgumentException($"{name} must be 0 or more seconds, got {targets.SlThresholdSeconds}");
            }
        }
    }
}

/// <summary>
/// What one engine keeps at most: names longer than <see cref="MaxNameLength"/> and new names beyond
/// the caps are rejected (counted, never applied), so a feed of garbage cannot grow memory or the
/// live answers without bound. The defaults are far above any real centre.
/// </summary>
public sealed record EntityLimits
{
    public int MaxNameLength { get; init; } = 128;

    public int MaxQueues { get; init; } = 1_000;

    public int MaxAgents { get; init; } = 10_000;

    public int MaxCampaigns { get; init; } = 1_000;

    /// <summary>
    /// The longest span of login or pause time accounted at once: over a longer silence (no event at
    /// all) open sessions stay open but gain no time. One line dated decades ahead made the engine
    /// fill every logged-in agent's intervals up to it until memory ran out; with this, one event adds
    /// at most this many days of intervals an agent.
    /// </summary>
    public int MaxSilenceDays { get; init; } = 31;

    /// <summary>Checks the values, naming the one that is wrong.</summary>
    public void Validate()
    {
        Check(MaxNameLength, "max-name-length");
        Check(MaxQueues, "max-queues");
        Check(MaxAgents, "max-agents");
        Check(MaxCampaigns, "max-campaigns");
        Check(MaxSilenceDays, "max-silence-days");

        static void Check(int value, string name)
        {
            if (value < 1)
            {
                throw new ArgumentException($"{name} must be 1 or more, got {value}");
            }
        }
    }
}
