using System.CommandLine;
using System.Globalization;
using Wallboard.Ingest.Simulation;

namespace Wallboard.Hub.Cli;

/// <summary><c>wallboard simulate</c>: writes a seeded, realistic contact centre as queue_log, Master.csv and JSON events.</summary>
internal sealed class SimulateCommand : Command
{
    private readonly Option<DirectoryInfo> _out = new("--out")
    {
        Description = "Folder to write queue_log, Master.csv and events.ndjson into (created if missing).",
        Required = true,
    };

    private readonly Option<int> _seed = new("--seed")
    {
        Description = "Seed of the simulation; the same seed always writes the same files.",
        DefaultValueFactory = _ => 1,
    };

    private readonly Option<string> _start = new("--start")
    {
        Description = "First local day simulated (yyyy-MM-dd) in --tz.",
        DefaultValueFactory = _ => "2026-11-23",
    };

    private readonly Option<int> _days = new("--days")
    {
        Description = "Number of days to simulate.",
        DefaultValueFactory = _ => 1,
    };

    private readonly Option<string> _timeZone = new("--tz")
    {
        Description = "IANA time zone of the centre; the daily call curve and shifts follow its clock.",
        DefaultValueFactory = _ => "Asia/Shanghai",
    };

    private readonly Option<double> _scale = new("--scale")
    {
        Description = "Multiplies call volumes and team sizes (1 = a centre of 30 agents and about 1,700 inbound calls a weekday).",
        DefaultValueFactory = _ => 1,
    };

    /// <summary>The directory file written beside the simulated logs (docs/directory.md).</summary>
    public const string DirectoryName = "directory.json";

    public SimulateCommand()
        : base("simulate", "Write a seeded simulated contact centre (inbound queues, shifts, pauses, wrap-up, outbound sales and callback campaigns) as queue_log, Master.csv and events.ndjson, with its directory of names (directory.json).")
    {
        Options.Add(_out);
        Options.Add(_seed);
        Options.Add(_start);
        Options.Add(_days);
        Options.Add(_timeZone);
        Options.Add(_scale);
        SetAction(Run);
    }

    private int Run(ParseResult parseResult)
    {
        var errors = parseResult.InvocationConfiguration.Error;
        var zoneId = parseResult.GetValue(_timeZone)!;
        if (!DateOnly.TryParseExact(parseResult.GetValue(_start), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            errors.WriteLine($"error: --start: '{parseResult.GetValue(_start)}' is not a date yyyy-MM-dd");
            return 2;
        }

        if (!TimeZoneInfo.TryFindSystemTimeZoneById(zoneId, out var zone))
        {
            errors.WriteLine($"error: --tz: '{zoneId}' is not an IANA time zone");
            return 2;
        }

        ContactCentreSimulator simulator;
        SimulationOptions scaled;
        try
        {
            var midnight = day.ToDateTime(TimeOnly.MinValue);
            var options = new SimulationOptions
            {
                Seed = parseResult.GetValue(_seed),
                Start = new DateTimeOffset(midnight, zone.GetUtcOffset(midnight)),
                Duration = TimeSpan.FromDays(parseResult.GetValue(_days)),
                TimeZone = zoneId,
            };
            scaled = options.ScaledBy(parseResult.GetValue(_scale));
            simulator = new ContactCentreSimulator(scaled);
        }
        catch (ArgumentException ex)
        {
            errors.WriteLine($"error: {ex.Message}");
            return 2;
        }

        var directory = parseResult.GetValue(_out)!.FullName;
        var counts = SimulationFiles.Write(simulator, directory);
        File.WriteAllText(Path.Combine(directory, DirectoryName), Names.DirectoryFile.Write(Names.SimulatedDirectory.Of(scaled)));
        parseResult.InvocationConfiguration.Output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{directory}: {counts.QueueLogLines} queue_log lines, {counts.CdrRows} CDR rows, {counts.JsonEvents} JSON events, {DirectoryName}"));
        return 0;
    }
}
