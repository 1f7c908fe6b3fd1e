using System.CommandLine;
using Wallboard.Metrics.Calendar;
using Wallboard.Metrics.Engine;
using Wallboard.Metrics.Rows;

namespace Wallboard.Hub.Cli;

/// <summary><c>wallboard kpi</c>: computes KPIs from queue_log, CDR and JSON event files.</summary>
internal sealed class KpiCommand : Command
{
    private readonly IConfiguration? _configuration;

    private readonly EventFileInputs _inputs = new(withFormula: true);

    private readonly Option<string> _by = new("--by")
    {
        Description = "Row per queue, agent or campaign.",
        DefaultValueFactory = _ => "queue",
    };

    private readonly Option<string> _interval = new("--interval")
    {
        Description = "Interval length: 15m, 30m, 1h, 1d or total (one row per queue, agent or campaign).",
        DefaultValueFactory = _ => "15m",
    };

    private readonly Option<int> _callTarget = new("--call-target")
    {
        Description = "Calls expected of an agent per row, for call_target_attainment; 0 for none.",
        DefaultValueFactory = _ => 0,
    };

    private readonly Option<string> _format = new("--format")
    {
        Description = "Output: json (an array of rows), csv or table.",
        DefaultValueFactory = _ => "json",
    };

    /// <param name="configuration">Where the defaults come from (section <c>Metrics</c>, <c>Directory</c>); null to build it like the host.</param>
    public KpiCommand(IConfiguration? configuration = null)
        : base("kpi", "Compute contact-centre KPIs from queue_log, CDR and JSON event files (definitions: docs/kpis.md). "
            + "Options not given take the server's settings (appsettings.json, environment).")
    {
        _configuration = configuration;
        _by.AcceptOnlyFromAmong("queue", "agent", "campaign");
        _format.AcceptOnlyFromAmong("json", "csv", "table");
        _interval.Validators.Add(result =>
        {
            if (!IntervalLength.TryParse(result.GetValueOrDefault<string>(), out _, out var error))
            {
                result.AddError($"--interval: {error}");
            }
        });

        _inputs.AddTo(this);
        Options.Add(_by);
        Options.Add(_interval);
        Options.Add(_callTarget);
        Options.Add(_format);
        SetAction((parseResult, cancellationToken) => RunAsync(
            parseResult, parseResult.InvocationConfiguration.Output, parseResult.InvocationConfiguration.Error, cancellationToken));
    }

    private async Task<int> RunAsync(ParseResult parseResult, TextWriter output, TextWriter errors, CancellationToken cancellationToken)
    {
        var prepared = await _inputs.PrepareAsync(
            parseResult, _configuration ?? CliConfiguration.Build(), IntervalLength.Parse(parseResult.GetValue(_interval)!), errors, parseResult.GetValue(_callTarget)).ConfigureAwait(false);
        if (prepared is not var (options, names))
        {
            return 2;
        }

        var engine = new KpiEngine(options with { Queues = names.QueueTargets(options) });
        var exit = await _inputs.ReadAsync(parseResult, engine, names, errors, cancellationToken).ConfigureAwait(false);
        if (exit != 0)
        {
            return exit;
        }

        var format = Enum.Parse<KpiFormat>(parseResult.GetValue(_format)!, ignoreCase: true);
        switch (parseResult.GetValue(_by))
        {
            case "agent":
                KpiOutput.Write(KpiRows.Agents(engine, names), format, output);
                break;
            case "campaign":
                KpiOutput.Write(KpiRows.Campaigns(engine, names), format, output);
                break;
            default:
                KpiOutput.Write(KpiRows.Queues(engine, names), format, output);
                break;
        }

        return 0;
    }
}
