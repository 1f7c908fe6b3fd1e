using System.CommandLine;
using Wallboard.Metrics;
using Wallboard.Metrics.Calendar;
using Wallboard.Metrics.Engine;
using Wallboard.Metrics.Rows;

namespace Wallboard.Hub.Cli;

/// <summary><c>wallboard kpi</c>: computes KPIs from queue_log, CDR and JSON event files.</summary>
internal sealed class KpiCommand : Command
{
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

    public KpiCommand()
        : base("kpi", "Compute contact-centre KPIs from queue_log, CDR and JSON event files (definitions: docs/kpis.md).")
    {
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
        KpiOptions options;
        try
        {
            options = _inputs.KpiOptions(parseResult, IntervalLength.Parse(parseResult.GetValue(_interval)!), parseResult.GetValue(_callTarget));
        }
        catch (ArgumentException ex)
        {
            await errors.WriteLineAsync($"error: {ex.Message}").ConfigureAwait(false);
            return 2;
        }

        var engine = new KpiEngine(options);
        var exit = await _inputs.ReadAsync(parseResult, engine, errors, cancellationToken).ConfigureAwait(false);
        if (exit != 0)
        {
            return exit;
        }

        var format = Enum.Parse<KpiFormat>(parseResult.GetValue(_format)!, ignoreCase: true);
        switch (parseResult.GetValue(_by))
        {
            case "agent":
                KpiOutput.Write(KpiRows.Agents(engine), format, output);
                break;
            case "campaign":
                KpiOutput.Write(KpiRows.Campaigns(engine), format, output);
                break;
            default:
                KpiOutput.Write(KpiRows.Queues(engine), format, output);
                break;
        }

        return 0;
    }
}
