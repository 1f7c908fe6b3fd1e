using System.CommandLine;
using Wallboard.Hub.Hosting;
using Wallboard.Metrics;
using Wallboard.Metrics.Calendar;

namespace Wallboard.Hub.Cli;

/// <summary>
/// The command-line options that define how KPIs are counted (docs/kpis.md): service-level
/// threshold and, where ratios are computed, formula; short abandons; ring cadence; the
/// repeat-contact window. One set for <c>kpi</c>, <c>import</c> and <c>report</c>. An option not
/// given takes the server's setting (<see cref="CliConfiguration"/>: section <c>Metrics</c>), so the
/// defaults are those of <see cref="MetricsOptions"/>.
/// </summary>
internal sealed class KpiDefinitionOptions
{
    private readonly Option<double?> _slThreshold = new("--sl-threshold")
    {
        Description = "Service-level threshold T in seconds: answered with wait ≤ T is within service level. Default: Metrics:SlThresholdSeconds (20).",
    };

    private readonly Option<string?>? _slFormula;

    private readonly Option<double?> _shortAbandon = new("--short-abandon")
    {
        Description = "Abandons with a wait shorter than this many seconds are short abandons. Default: Metrics:ShortAbandonSeconds (5).",
    };

    private readonly Option<double?> _ringSeconds = new("--ring-seconds")
    {
        Description = "Length of one ring in seconds: 5 in China, 6 in North America, 3 in the UK. Default: Metrics:RingSeconds (5).",
    };

    private readonly Option<int?> _rings = new("--rings")
    {
        Description = "Answered within this many rings counts towards ring_rate. Default: Metrics:Rings (3).",
    };

    private readonly Option<double?> _repeatContactDays = new("--repeat-contact-days")
    {
        Description = "A campaign contact with a customer in contact within this many days before is a repeat contact. Default: Metrics:RepeatContactDays (30).",
    };

    /// <param name="withFormula">Whether the command computes ratios and so takes <c>--sl-formula</c> (stored counters do not depend on it).</param>
    public KpiDefinitionOptions(bool withFormula)
    {
        if (withFormula)
        {
            _slFormula = new Option<string?>("--sl-formula")
            {
                Description = "Service-level formula: offered, answered, abandons-ignored or abandons-positive (docs/kpis.md). Default: Metrics:SlFormula (offered).",
            };
            _slFormula.AcceptOnlyFromAmong("offered", "answered", "abandons-ignored", "abandons-positive");
        }
    }

    public void AddTo(Command command)
    {
        command.Options.Add(_slThreshold);
        if (_slFormula is not null)
        {
            command.Options.Add(_slFormula);
        }

        command.Options.Add(_shortAbandon);
        command.Options.Add(_ringSeconds);
        command.Options.Add(_rings);
        command.Options.Add(_repeatContactDays);
    }

    /// <summary>The definitions given, the server's settings <paramref name="defaults"/> for those not given; throws <see cref="ArgumentException"/> naming a wrong one.</summary>
    public KpiOptions Create(ParseResult parseResult, MetricsOptions defaults, string timeZone, IntervalLength interval, int callTarget = 0)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        ArgumentNullException.ThrowIfNull(defaults);
        var configured = defaults.ToKpiOptions(interval);
        _ = KpiOptions.TryParseFormula((_slFormula is null ? null : parseResult.GetValue(_slFormula)) ?? defaults.SlFormula, out var formula);
        var options = configured with
        {
            TimeZone = timeZone,
            DefaultQueue = new QueueTargets { SlThresholdSeconds = parseResult.GetValue(_slThreshold) ?? defaults.SlThresholdSeconds, SlFormula = formula },
            ShortAbandonSeconds = parseResult.GetValue(_shortAbandon) ?? defaults.ShortAbandonSeconds,
            RingSeconds = parseResult.GetValue(_ringSeconds) ?? defaults.RingSeconds,
            Rings = parseResult.GetValue(_rings) ?? defaults.Rings,
            RepeatContactDays = parseResult.GetValue(_repeatContactDays) ?? defaults.RepeatContactDays,
            AgentCallTarget = callTarget,
        };
        options.Validate();
        return options;
    }
}
