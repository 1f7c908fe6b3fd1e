using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Wallboard.Hub.History;
using Wallboard.Ingest.Cdr;
using Wallboard.Ingest.Json;
using Wallboard.Ingest.Model;
using Wallboard.Ingest.Pipeline;
using Wallboard.Ingest.QueueLog;
using Wallboard.Metrics;
using Wallboard.Metrics.Calendar;
using Wallboard.Metrics.Engine;

namespace Wallboard.Hub.Cli;

/// <summary>
/// <c>wallboard import</c>: computes 15-minute counters from queue_log, CDR and JSON event files
/// and writes them to the configured history store. Points overwrite, so importing the same files
/// twice changes nothing, and re-importing a corrected file replaces the intervals it covers.
/// </summary>
internal sealed class ImportCommand : Command
{
    private readonly IConfiguration? _configuration;

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

    private readonly Option<string> TimeZone = new("--tz")
    {
        Description = "IANA time zone of CDR times and of the engine's local quarter-hours.",
        DefaultValueFactory = _ => "UTC",
    };

    private readonly Option<double> SlThreshold = new("--sl-threshold")
    {
        Description = "Service-level threshold T in seconds, stored as answered_within_sl (answered with wait ≤ T).",
        DefaultValueFactory = _ => 20,
    };

    private readonly Option<double> ShortAbandon = new("--short-abandon")
    {
        Description = "Abandons with a wait shorter than this many seconds are stored as short abandons.",
        DefaultValueFactory = _ => 5,
    };

    private readonly Option<double> RingSeconds = new("--ring-seconds")
    {
        Description = "Length of one ring in seconds: 5 in China (default), 6 in North America, 3 in the UK.",
        DefaultValueFactory = _ => 5,
    };

    private readonly Option<int> Rings = new("--rings")
    {
        Description = "Answered within this many rings is stored as answered_within_rings.",
        DefaultValueFactory = _ => 3,
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

    /// <param name="configuration">The configuration to read section <c>History</c> from; null to build it like the host (appsettings.json, environment).</param>
    public ImportCommand(IConfiguration? configuration = null)
        : base("import", "Load history (15-minute counters) from queue_log, CDR and JSON event files into the configured store: "
            + "InfluxDB when History:InfluxUrl is set, else SQLite at History:SqlitePath (appsettings.json, or environment "
            + "variables History__InfluxUrl or WALLBOARD_History__InfluxUrl; docs/storage.md). Importing twice changes nothing.")
    {
        _configuration = configuration;
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
            QueueLogs, Cdrs, Events, TimeZone, SlThreshold, ShortAbandon, RingSeconds, Rings, OutboundContexts, OutboundAccountCodes, OutboundChannel,
        })
        {
            Options.Add(option);
        }

        SetAction((parseResult, cancellationToken) => RunAsync(parseResult, parseResult.InvocationConfiguration.Error, cancellationToken));
    }

    /// <summary>The configuration the host would see: appsettings(.{environment}).json in the current folder, then environment variables, plain or WALLBOARD_-prefixed.</summary>
    public static IConfiguration HostLikeConfiguration()
    {
        var environment = Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT") ?? Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT") ?? "Production";
        return new ConfigurationBuilder()
            .SetBasePath(Directory.GetCurrentDirectory())
            .AddJsonFile("appsettings.json", optional: true)
            .AddJsonFile($"appsettings.{environment}.json", optional: true)
            .AddEnvironmentVariables()
            .AddEnvironmentVariables("WALLBOARD_")
            .Build();
    }

    private async Task<int> RunAsync(ParseResult parseResult, TextWriter errors, CancellationToken cancellationToken)
    {
        KpiOptions options;
        HistoryOptions history;
        try
        {
            options = new KpiOptions
            {
                TimeZone = parseResult.GetValue(TimeZone)!,
                Interval = IntervalLength.FifteenMinutes,
                DefaultQueue = new QueueTargets { SlThresholdSeconds = parseResult.GetValue(SlThreshold) },
                ShortAbandonSeconds = parseResult.GetValue(ShortAbandon),
                RingSeconds = parseResult.GetValue(RingSeconds),
                Rings = parseResult.GetValue(Rings),
            };
            options.Validate();
            history = new HistoryOptions();
            (_configuration ?? HostLikeConfiguration()).GetSection(HistoryOptions.SectionName).Bind(history);
            HistoryOptionsValidator.ThrowIfInvalid(history);
        }
        catch (ArgumentException ex)
        {
            await errors.WriteLineAsync($"error: {ex.Message}").ConfigureAwait(false);
            return 2;
        }
        catch (OptionsValidationException ex)
        {
            await errors.WriteLineAsync($"error: {string.Join("; ", ex.Failures)}").ConfigureAwait(false);
            return 2;
        }
        catch (InvalidOperationException ex)
        {
            // A configuration value that does not convert (e.g. FlushSeconds = "soon").
            await errors.WriteLineAsync($"error: {ex.Message}").ConfigureAwait(false);
            return 2;
        }

        var inputs = Inputs(parseResult, options);
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
        using (var progress = new ProgressLine(errors, inputs.Sum(input => input.File.Length)))
        {
            try
            {
                await MergedSources.RunAsync(
                    [.. inputs.Select(input => (Action<IContactEventSink>)(sink => input.Read(sink, progress.Report)))],
                    engine,
                    cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                progress.Dispose();
                await errors.WriteLineAsync($"error: cannot read input: {ex.Message}").ConfigureAwait(false);
                return 1;
            }
        }

        if (engine.WatermarkMs != long.MinValue)
        {
            // Sessions still open close at the time of the input's last line, as in `wallboard kpi`.
            engine.FlushOpenSessions(engine.WatermarkMs);
        }

        await WriteSummaryAsync(inputs, engine, errors).ConfigureAwait(false);
        return await StoreAsync(engine, history, errors, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<int> StoreAsync(KpiEngine engine, HistoryOptions history, TextWriter errors, CancellationToken cancellationToken)
    {
        var store = HistoryStores.Create(history, TimeProvider.System, NullLoggerFactory.Instance);
        try
        {
            var where = store is InfluxHistoryStore ? $"InfluxDB {history.InfluxUrl} database {history.Database}" : $"SQLite {Path.GetFullPath(history.SqlitePath)}";
            var written = await new HistoryWriter(engine, store).WriteAllAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            if (store is InfluxHistoryStore influx && !await influx.TryDrainSpoolAsync(cancellationToken).ConfigureAwait(false))
            {
                await errors.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"history: InfluxDB unavailable; {influx.Spool.BacklogPoints} points wait in {Path.GetFullPath(history.SpoolPath)} and are sent by the server's retry loop or the next import")).ConfigureAwait(false);
                return 1;
            }

            await errors.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"history: {written} points written to {where}")).ConfigureAwait(false);
            return 0;
        }
        catch (InfluxException ex)
        {
            await errors.WriteLineAsync($"error: {ex.Message}").ConfigureAwait(false);
            return 1;
        }
        catch (Microsoft.Data.Sqlite.SqliteException ex)
        {
            await errors.WriteLineAsync($"error: SQLite {history.SqlitePath}: {ex.Message}").ConfigureAwait(false);
            return 1;
        }
        finally
        {
            (store as IDisposable)?.Dispose();
        }
    }

    private List<ImportInput> Inputs(ParseResult parseResult, KpiOptions options)
    {
        var codes = parseResult.GetValue(OutboundAccountCodes) ?? [];
        var channel = parseResult.GetValue(OutboundChannel);
        var rules = new CdrDirectionRules
        {
            OutboundContexts = new HashSet<string>(parseResult.GetValue(OutboundContexts) ?? [], StringComparer.Ordinal),
            OutboundAccountCodes = new HashSet<string>(codes.Where(code => !code.EndsWith('*')), StringComparer.Ordinal),
            OutboundAccountCodePrefixes = [.. codes.Where(code => code.EndsWith('*')).Select(code => code.TrimEnd('*'))],
            OutboundChannelPattern = string.IsNullOrEmpty(channel) ? null : CdrDirectionRules.CreateChannelPattern(channel),
        };
        var cdrReader = new CdrReader(TimeZoneInfo.FindSystemTimeZoneById(options.TimeZone), rules);
        var inputs = new List<ImportInput>();
        foreach (var file in parseResult.GetValue(QueueLogs) ?? [])
        {
            inputs.Add(new ImportInput(file, (sink, report, progress) => new QueueLogReader { Progress = progress }.ReadFile(file.FullName, sink, report)));
        }

        foreach (var file in parseResult.GetValue(Cdrs) ?? [])
        {
            inputs.Add(new ImportInput(file, (sink, report, _) => cdrReader.ReadFile(file.FullName, sink, report)));
        }

        foreach (var file in parseResult.GetValue(Events) ?? [])
        {
            inputs.Add(new ImportInput(file, (sink, report, _) =>
            {
                using var stream = File.OpenRead(file.FullName);
                new JsonEventReader().Read(stream, file.Name, sink, report);
            }));
        }

        return inputs;
    }

    private static async Task WriteSummaryAsync(List<ImportInput> inputs, KpiEngine engine, TextWriter errors)
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

    private sealed class ImportInput(FileInfo file, Action<IContactEventSink, IngestReport, Action<long, long>?> read)
    {
        public FileInfo File { get; } = file;

        public IngestReport Report { get; } = new();

        public void Read(IContactEventSink sink, Action<long, long>? progress) => read(sink, Report, progress);
    }
}
