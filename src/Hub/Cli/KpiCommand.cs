using System.CommandLine;
using System.Globalization;
using Wallboard.Ingest.Cdr;
using Wallboard.Ingest.Json;
using Wallboard.Ingest.Model;
using Wallboard.Ingest.Pipeline;
using Wallboard.Ingest.QueueLog;
using Wallboard.Metrics;
using Wallboard.Metrics.Calendar;
using Wallboard.Metrics.Engine;
using Wallboard.Metrics.Rows;

namespace Wallboard.Hub.Cli;

/// <summary><c>wallboard kpi</c>: computes KPIs from queue_log, CDR and JSON event files.</summary>
internal sealed class KpiCommand : Command
{
    private readonly Option<FileInfo[]> QueueLogs = new("--queue-log")
    {
        Description = "Asterisk queue_log file(s) to read (epoch|callid|queue|agent|EVENT|data…).",
        AllowMultipleArgumentsPerToken = true,
    };

    private readonly Option<FileInfo[]> Cdrs = new("--cdr")
    {
        Description = "Asterisk Master.csv CDR file(s); outbound rows (see --outbound-*) become campaign attempts.",
        AllowMultipleArgumentsPerToken = true,
    };

    private readonly Option<FileInfo[]> Events = new("--events")
    {
        Description = "Newline-delimited JSON event file(s) in the schema of docs/events.md.",
        AllowMultipleArgumentsPerToken = true,
    };

    private readonly Option<string> By = new("--by")
    {
        Description = "Row per queue, agent or campaign.",
        DefaultValueFactory = _ => "queue",
    };

    private readonly Option<string> Interval = new("--interval")
    {
        Description = "Interval length: 15m, 30m, 1h, 1d or total (one row per queue, agent or campaign).",
        DefaultValueFactory = _ => "15m",
    };

    private readonly Option<string> TimeZone = new("--tz")
    {
        Description = "IANA time zone whose local clock defines intervals and days; also the zone of CDR times.",
        DefaultValueFactory = _ => "UTC",
    };

    private readonly Option<double> SlThreshold = new("--sl-threshold")
    {
        Description = "Service-level threshold T in seconds: answered with wait ≤ T is within service level.",
        DefaultValueFactory = _ => 20,
    };

    private readonly Option<string> SlFormula = new("--sl-formula")
    {
        Description = "Service-level formula: offered, answered, abandons-ignored or abandons-positive (docs/kpis.md).",
        DefaultValueFactory = _ => "offered",
    };

    private readonly Option<double> ShortAbandon = new("--short-abandon")
    {
        Description = "Abandons with a wait shorter than this many seconds are short abandons.",
        DefaultValueFactory = _ => 5,
    };

    private readonly Option<double> RingSeconds = new("--ring-seconds")
    {
        Description = "Length of one ring in seconds: 5 in China (default), 6 in North America, 3 in the UK.",
        DefaultValueFactory = _ => 5,
    };

    private readonly Option<int> Rings = new("--rings")
    {
        Description = "Answered within this many rings counts towards ring_rate.",
        DefaultValueFactory = _ => 3,
    };

    private readonly Option<int> CallTarget = new("--call-target")
    {
        Description = "Calls expected of an agent per row, for call_target_attainment; 0 for none.",
        DefaultValueFactory = _ => 0,
    };

    private readonly Option<string> Format = new("--format")
    {
        Description = "Output: json (an array of rows), csv or table.",
        DefaultValueFactory = _ => "json",
    };

    private readonly Option<string[]> OutboundContexts = new("--outbound-context")
    {
        Description = "CDR dcontext(s) whose calls are outbound campaign calls.",
        AllowMultipleArgumentsPerToken = true,
    };

    private readonly Option<string[]> OutboundAccountCodes = new("--outbound-accountcode")
    {
        Description = "CDR accountcode(s) of outbound campaign calls; a trailing * matches a prefix.",
        AllowMultipleArgumentsPerToken = true,
    };

    private readonly Option<string?> OutboundChannel = new("--outbound-channel")
    {
        Description = "Regular expression on the CDR channel that marks outbound campaign calls.",
    };

    public KpiCommand()
        : base("kpi", "Compute contact-centre KPIs from queue_log, CDR and JSON event files (definitions: docs/kpis.md).")
    {
        By.AcceptOnlyFromAmong("queue", "agent", "campaign");
        Format.AcceptOnlyFromAmong("json", "csv", "table");
        SlFormula.AcceptOnlyFromAmong("offered", "answered", "abandons-ignored", "abandons-positive");
        Interval.Validators.Add(result =>
        {
            if (!IntervalLength.TryParse(result.GetValueOrDefault<string>(), out _, out var error))
            {
                result.AddError($"--interval: {error}");
            }
        });
        TimeZone.Validators.Add(result =>
        {
            var zone = result.GetValueOrDefault<string>();
            if (zone is null || NodaTime.DateTimeZoneProviders.Tzdb.GetZoneOrNull(zone) is null)
            {
                result.AddError($"--tz: '{zone}' is not an IANA time zone (e.g. Asia/Shanghai, Europe/London)");
            }
        });

        foreach (var option in new Option[]
        {
            QueueLogs, Cdrs, Events, By, Interval, TimeZone, SlThreshold, SlFormula, ShortAbandon, RingSeconds, Rings,
            CallTarget, Format, OutboundContexts, OutboundAccountCodes, OutboundChannel,
        })
        {
            Options.Add(option);
        }

        SetAction((parseResult, cancellationToken) => RunAsync(
            parseResult, parseResult.InvocationConfiguration.Output, parseResult.InvocationConfiguration.Error, cancellationToken));
    }

    private async Task<int> RunAsync(ParseResult parseResult, TextWriter output, TextWriter errors, CancellationToken cancellationToken)
    {
        KpiOptions options;
        try
        {
            _ = KpiOptions.TryParseFormula(parseResult.GetValue(SlFormula), out var formula);
            options = new KpiOptions
            {
                TimeZone = parseResult.GetValue(TimeZone)!,
                Interval = IntervalLength.Parse(parseResult.GetValue(Interval)!),
                DefaultQueue = new QueueTargets { SlThresholdSeconds = parseResult.GetValue(SlThreshold), SlFormula = formula },
                ShortAbandonSeconds = parseResult.GetValue(ShortAbandon),
                RingSeconds = parseResult.GetValue(RingSeconds),
                Rings = parseResult.GetValue(Rings),
                AgentCallTarget = parseResult.GetValue(CallTarget),
            };
            options.Validate();
        }
        catch (ArgumentException ex)
        {
            await errors.WriteLineAsync($"error: {ex.Message}").ConfigureAwait(false);
            return 2;
        }

        var inputs = new List<KpiInput>();
        var cdrReader = new CdrReader(TimeZoneInfo.FindSystemTimeZoneById(options.TimeZone), CdrRules(parseResult));
        foreach (var file in parseResult.GetValue(QueueLogs) ?? [])
        {
            inputs.Add(new KpiInput(file, (path, sink, report, progress) =>
                new QueueLogReader { Progress = progress }.ReadFile(path, sink, report)));
        }

        foreach (var file in parseResult.GetValue(Cdrs) ?? [])
        {
            inputs.Add(new KpiInput(file, (path, sink, report, _) => cdrReader.ReadFile(path, sink, report)));
        }

        foreach (var file in parseResult.GetValue(Events) ?? [])
        {
            inputs.Add(new KpiInput(file, (path, sink, report, _) =>
            {
                using var stream = File.OpenRead(path);
                new JsonEventReader().Read(stream, Path.GetFileName(path), sink, report);
            }));
        }

        if (inputs.Count == 0)
        {
            await errors.WriteLineAsync("error: give at least one input: --queue-log, --cdr or --events").ConfigureAwait(false);
            return 2;
        }

        var unreadable = inputs.Where(input => !input.File.Exists).ToList();
        foreach (var input in unreadable)
        {
            await errors.WriteLineAsync($"error: cannot read {input.File.FullName}: no such file").ConfigureAwait(false);
        }

        if (unreadable.Count > 0)
        {
            return 1;
        }

        var engine = new KpiEngine(options);
        using var progress = new ProgressLine(errors, inputs.Sum(input => input.File.Length));
        try
        {
            await MergedSources.RunAsync(
                [.. inputs.Select(input => (Action<IContactEventSink>)(sink => input.Read(input.File.FullName, sink, input.Report, progress.Report)))],
                engine,
                cancellationToken).ConfigureAwait(false);
        }
        catch (IOException ex)
        {
            progress.Dispose();
            await errors.WriteLineAsync($"error: cannot read input: {ex.Message}").ConfigureAwait(false);
            return 1;
        }
        catch (UnauthorizedAccessException ex)
        {
            progress.Dispose();
            await errors.WriteLineAsync($"error: cannot read input: {ex.Message}").ConfigureAwait(false);
            return 1;
        }

        progress.Dispose();
        if (engine.WatermarkMs != long.MinValue)
        {
            // Sessions still open close at the time of the input's last line.
            engine.FlushOpenSessions(engine.WatermarkMs);
        }

        var format = Enum.Parse<KpiFormat>(parseResult.GetValue(Format)!, ignoreCase: true);
        switch (parseResult.GetValue(By))
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

        await WriteSummaryAsync(inputs, engine, errors).ConfigureAwait(false);
        return 0;
    }

    private CdrDirectionRules CdrRules(ParseResult parseResult)
    {
        var codes = parseResult.GetValue(OutboundAccountCodes) ?? [];
        var channel = parseResult.GetValue(OutboundChannel);
        return new CdrDirectionRules
        {
            OutboundContexts = new HashSet<string>(parseResult.GetValue(OutboundContexts) ?? [], StringComparer.Ordinal),
            OutboundAccountCodes = new HashSet<string>(codes.Where(code => !code.EndsWith('*')), StringComparer.Ordinal),
            OutboundAccountCodePrefixes = [.. codes.Where(code => code.EndsWith('*')).Select(code => code.TrimEnd('*'))],
            OutboundChannelPattern = string.IsNullOrEmpty(channel) ? null : CdrDirectionRules.CreateChannelPattern(channel),
        };
    }

    private static async Task WriteSummaryAsync(List<KpiInput> inputs, KpiEngine engine, TextWriter errors)
    {
        var total = new IngestReport();
        foreach (var input in inputs)
        {
            total.Add(input.Report);
            await errors.WriteLineAsync($"{input.File.Name}: {input.Report}").ConfigureAwait(false);
        }

        const int Shown = 20;
        foreach (var error in total.Errors.Take(Shown))
        {
            await errors.WriteLineAsync($"  malformed: {error}").ConfigureAwait(false);
        }

        if (total.Malformed > Shown)
        {
            await errors.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  … and {total.Malformed - Shown} more malformed lines")).ConfigureAwait(false);
        }

        await errors.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"total: {total.LinesRead} lines read, {total.Malformed} malformed, {total.Unknown} unknown, {total.Ignored} ignored; {engine.Inconsistent} events out of sequence")).ConfigureAwait(false);
    }

    private sealed class KpiInput(FileInfo file, Action<string, IContactEventSink, IngestReport, Action<long, long>?> read)
    {
        public FileInfo File { get; } = file;

        public IngestReport Report { get; } = new();

        public void Read(string path, IContactEventSink sink, IngestReport report, Action<long, long>? progress) => read(path, sink, report, progress);
    }
}
