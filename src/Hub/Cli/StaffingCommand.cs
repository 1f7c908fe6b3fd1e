using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Wallboard.Metrics.Staffing;

namespace Wallboard.Hub.Cli;

/// <summary>
/// <c>wallboard staffing</c>: agents needed for a target, or what a number of agents achieves, by
/// Erlang C or Erlang A (docs/staffing.md).
/// </summary>
internal sealed class StaffingCommand : Command
{
    private readonly Option<string> _model = new("--model")
    {
        Description = "erlang-c (callers wait as long as it takes) or erlang-a (callers give up after --patience on average).",
        DefaultValueFactory = _ => "erlang-c",
    };

    private readonly Option<double> _arrivals = new("--arrivals")
    {
        Description = "Calls arriving per hour.",
        Required = true,
    };

    private readonly Option<double> _aht = new("--aht")
    {
        Description = "Average handling time in seconds (talk, hold and wrap-up).",
        Required = true,
    };

    private readonly Option<double?> _patience = new("--patience")
    {
        Description = "Callers' mean patience in seconds (erlang-a only): total wait of all calls / abandons.",
    };

    private readonly Option<double> _threshold = new("--sl-threshold")
    {
        Description = "Answered within this many seconds counts as within service level.",
        Required = true,
    };

    private readonly Option<double?> _target = new("--sl-target")
    {
        Description = "Service-level target as a fraction (0.8): prints the fewest agents that reach it.",
    };

    private readonly Option<int?> _agents = new("--agents")
    {
        Description = "A number of agents: prints what they achieve.",
    };

    private readonly Option<double> _maxOccupancy = new("--max-occupancy")
    {
        Description = "With --sl-target: also keep occupancy at or below this fraction.",
        DefaultValueFactory = _ => 1,
    };

    private readonly Option<string> _format = new("--format")
    {
        Description = "Output: json (one object) or table.",
        DefaultValueFactory = _ => "json",
    };

    public StaffingCommand()
        : base("staffing", "Agents needed for a service-level target, or the service a number of agents gives, by Erlang C or Erlang A (docs/staffing.md).")
    {
        _model.AcceptOnlyFromAmong("erlang-c", "erlang-a");
        _format.AcceptOnlyFromAmong("json", "table");
        foreach (var option in new Option[] { _model, _arrivals, _aht, _patience, _threshold, _target, _agents, _maxOccupancy, _format })
        {
            Options.Add(option);
        }

        SetAction((parseResult, _) => Task.FromResult(Run(parseResult, parseResult.InvocationConfiguration.Output, parseResult.InvocationConfiguration.Error)));
    }

    private int Run(ParseResult parseResult, TextWriter output, TextWriter errors)
    {
        _ = StaffingModels.TryParse(parseResult.GetValue(_model), out var model);
        var traffic = new QueueTraffic(
            parseResult.GetValue(_arrivals),
            parseResult.GetValue(_aht),
            model == StaffingModel.ErlangA ? parseResult.GetValue(_patience) : null,
            parseResult.GetValue(_threshold));
        var target = parseResult.GetValue(_target);
        var agents = parseResult.GetValue(_agents);
        var maxOccupancy = parseResult.GetValue(_maxOccupancy);
        var problem = Problem(model, traffic, target, agents, maxOccupancy, parseResult.GetValue(_patience));
        if (problem is not null)
        {
            errors.WriteLine($"error: {problem}");
            return 2;
        }

        StaffingFigures figures;
        try
        {
            figures = agents is { } n
                ? StaffingCalculator.Evaluate(model, traffic, n)
                : StaffingCalculator.AgentsRequired(model, traffic, target!.Value, maxOccupancy);
        }
        catch (StaffingOutOfRangeException ex)
        {
            errors.WriteLine($"error: {ex.Message}");
            return 2;
        }

        var result = StaffingResult.From(figures);
        if (parseResult.GetValue(_format) == "table")
        {
            KpiOutput.Write([result], KpiFormat.Table, output);
        }
        else
        {
            output.WriteLine(JsonSerializer.Serialize(result, KpiOutput.JsonOptions));
        }

        return 0;
    }

    private static string? Problem(StaffingModel model, QueueTraffic traffic, double? target, int? agents, double maxOccupancy, double? patience)
    {
        if (!(traffic.ArrivalsPerHour > 0))
        {
            return string.Create(CultureInfo.InvariantCulture, $"--arrivals must be more than 0 calls per hour, got {traffic.ArrivalsPerHour}");
        }

        if (model == StaffingModel.ErlangC && patience is not null)
        {
            return "--patience is for erlang-a; erlang-c callers never give up (add --model erlang-a)";
        }

        if (traffic.Problem(model) is { } trafficProblem)
        {
            return "--" + trafficProblem;
        }

        return (target, agents) switch
        {
            (null, null) => "give --sl-target FRACTION (agents needed) or --agents N (service they give)",
            ({ }, { }) => "give either --sl-target or --agents, not both",
            (null, < 1) => $"--agents must be 1 or more, got {agents}",
            ({ } t, null) when StaffingCalculator.TargetProblem(t) is { } targetProblem => "--" + targetProblem,
            _ when StaffingCalculator.OccupancyProblem(maxOccupancy) is { } occupancyProblem => "--" + occupancyProblem,
            _ => null,
        };
    }

    /// <summary>The printed object; names as the issue fixed them, null where the model has no figure.</summary>
    private sealed record StaffingResult(int Agents, double ServiceLevel, double ProbabilityOfWait, double AbandonRate, double Occupancy, double? AsaSeconds)
    {
        public static StaffingResult From(in StaffingFigures f) => new(f.Agents, f.ServiceLevel, f.ProbabilityOfWait, f.AbandonRate, f.Occupancy, f.AsaSeconds);
    }
}
