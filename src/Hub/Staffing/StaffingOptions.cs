using System.Globalization;
using Microsoft.Extensions.Options;
using NodaTime;
using Wallboard.Metrics.Staffing;

namespace Wallboard.Hub.Staffing;

/// <summary>Configuration section <c>Staffing</c>: how agents needed are counted, forecast and scheduled (docs/staffing.md).</summary>
internal sealed class StaffingOptions
{
    public const string Section = "Staffing";

    /// <summary>erlang-a (default; Erlang C for a queue whose patience is unknown) or erlang-c.</summary>
    public string Model { get; set; } = "erlang-a";

    /// <summary>Minutes of traffic the live requirement is measured over.</summary>
    public int WindowMinutes { get; set; } = 30;

    /// <summary>Service-level target (fraction) of queues without their own.</summary>
    public double SlTarget { get; set; } = 0.8;

    /// <summary>Per-queue service-level targets: <c>Staffing:Queues:vip:SlTarget</c>.</summary>
    public Dictionary<string, QueueStaffingOptions> Queues { get; set; } = new(StringComparer.Ordinal);

    public double MaxOccupancy { get; set; } = 0.95;

    public int MinAbandonsForPatience { get; set; } = 5;

    public int ForecastWeeks { get; set; } = 6;

    public double ForecastDecay { get; set; } = 0.8;

    public double IntradayPriorCalls { get; set; } = 30;

    /// <summary>A rota CSV (agent,date,start,end,activity), reread when it changes; relative to the content root.</summary>
    public string? RotaFile { get; set; }

    /// <summary>A rotating rota (groups, shifts, cycle), expanded day by day; lines of <see cref="RotaFile"/> are added to it.</summary>
    public RotaTemplateOptions? RotaTemplate { get; set; }

    public StaffingPolicy ToPolicy() => new()
    {
        Model = StaffingModels.TryParse(Model, out var model) ? model : StaffingModel.ErlangA,
        Window = TimeSpan.FromMinutes(WindowMinutes),
        DefaultTarget = SlTarget,
        Targets = Queues.Where(pair => pair.Value.SlTarget is not null).ToDictionary(pair => pair.Key, pair => pair.Value.SlTarget!.Value, StringComparer.Ordinal),
        MaxOccupancy = MaxOccupancy,
        MinAbandonsForPatience = MinAbandonsForPatience,
        ForecastWeeks = ForecastWeeks,
        ForecastDecay = ForecastDecay,
        IntradayPriorCalls = IntradayPriorCalls,
    };
}

internal sealed class QueueStaffingOptions
{
    public double? SlTarget { get; set; }
}

/// <summary>Section <c>Staffing:RotaTemplate</c>.</summary>
internal sealed class RotaTemplateOptions
{
    /// <summary>The day (yyyy-MM-dd) on which a group with offset 0 works the cycle's first code.</summary>
    public string CycleStart { get; set; } = "2026-01-01";

    /// <summary>One shift code per day; a code that is not a shift (e.g. "-") is a rest day.</summary>
    public List<string> Cycle { get; set; } = [];

    /// <summary>Shift code → local start and end (HH:mm; an end at or before the start is the next day).</summary>
    public Dictionary<string, RotaShiftOptions> Shifts { get; set; } = new(StringComparer.Ordinal);

    public List<RotaGroupOptions> Groups { get; set; } = [];

    public RotaTemplate ToTemplate() => new(
        LocalDate.FromDateOnly(DateOnly.ParseExact(CycleStart, "yyyy-MM-dd", CultureInfo.InvariantCulture)),
        Cycle,
        Shifts.ToDictionary(pair => pair.Key, pair => new RotaShift(LocalTime.FromTimeOnly(Time(pair.Value.Start)), LocalTime.FromTimeOnly(Time(pair.Value.End))), StringComparer.Ordinal),
        [.. Groups.Select(group => new RotaGroup(group.Name, group.Offset, group.Agents))]);

    private static TimeOnly Time(string text) => TimeOnly.ParseExact(text, "HH:mm", CultureInfo.InvariantCulture);
}

internal sealed class RotaShiftOptions
{
    public string Start { get; set; } = "08:00";

    public string End { get; set; } = "16:00";
}

internal sealed class RotaGroupOptions
{
    public string Name { get; set; } = string.Empty;

    public int Offset { get; set; }

    public List<string> Agents { get; set; } = [];
}

/// <summary>Checks section <c>Staffing</c>; every message names its key.</summary>
internal sealed class StaffingOptionsValidator : IValidateOptions<StaffingOptions>
{
    public ValidateOptionsResult Validate(string? name, StaffingOptions options)
    {
        var failures = new List<string>();
        if (!StaffingModels.TryParse(options.Model, out _))
        {
            failures.Add($"Staffing:Model: '{options.Model}' is not erlang-a or erlang-c");
        }

        if (options.WindowMinutes is < 1 or > 1440)
        {
            failures.Add($"Staffing:WindowMinutes: must be 1 to 1440 minutes, got {options.WindowMinutes}");
        }

        if (StaffingCalculator.TargetProblem(options.SlTarget) is { } target)
        {
            failures.Add($"Staffing:SlTarget: {target}");
        }

        foreach (var (queue, queueOptions) in options.Queues)
        {
            if (queueOptions.SlTarget is { } t && StaffingCalculator.TargetProblem(t) is { } problem)
            {
                failures.Add($"Staffing:Queues:{queue}:SlTarget: {problem}");
            }
        }

        if (StaffingCalculator.OccupancyProblem(options.MaxOccupancy) is { } occupancy)
        {
            failures.Add($"Staffing:MaxOccupancy: {occupancy}");
        }

        if (options.MinAbandonsForPatience < 1)
        {
            failures.Add($"Staffing:MinAbandonsForPatience: must be 1 or more, got {options.MinAbandonsForPatience}");
        }

        if (options.ForecastWeeks is < 1 or > 52)
        {
            failures.Add($"Staffing:ForecastWeeks: must be 1 to 52, got {options.ForecastWeeks}");
        }

        if (!(options.ForecastDecay is > 0 and <= 1))
        {
            failures.Add($"Staffing:ForecastDecay: must be above 0 and at most 1, got {options.ForecastDecay}");
        }

        if (!(options.IntradayPriorCalls >= 0))
        {
            failures.Add($"Staffing:IntradayPriorCalls: must be 0 or more, got {options.IntradayPriorCalls}");
        }

        if (options.RotaTemplate is { } template)
        {
            ValidateTemplate(template, failures);
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void ValidateTemplate(RotaTemplateOptions template, List<string> failures)
    {
        const string Key = "Staffing:RotaTemplate";
        if (!DateOnly.TryParseExact(template.CycleStart, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
        {
            failures.Add($"{Key}:CycleStart: '{template.CycleStart}' is not a date yyyy-MM-dd");
        }

        if (template.Cycle.Count == 0)
        {
            failures.Add($"{Key}:Cycle: needs at least one day (a shift code, or a rest code such as '-')");
        }

        foreach (var (code, shift) in template.Shifts)
        {
            foreach (var (field, value) in new[] { ("Start", shift.Start), ("End", shift.End) })
            {
                if (!TimeOnly.TryParseExact(value, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
                {
                    failures.Add($"{Key}:Shifts:{code}:{field}: '{value}' is not a local time HH:mm");
                }
            }
        }

        if (!template.Cycle.Any(template.Shifts.ContainsKey))
        {
            failures.Add($"{Key}:Cycle: names none of the shifts ({string.Join(", ", template.Shifts.Keys)})");
        }

        for (var i = 0; i < template.Groups.Count; i++)
        {
            if (template.Groups[i].Agents.Count == 0)
            {
                failures.Add($"{Key}:Groups:{i}:Agents: a group needs agents");
            }
        }
    }
}
