using System.CommandLine;
using System.Globalization;
using Wallboard.Ingest.Aliases;
using Wallboard.Ingest.Cdr;
using Wallboard.Ingest.Json;
using Wallboard.Ingest.Model;
using Wallboard.Ingest.Pipeline;
using Wallboard.Ingest.QueueLog;
using Wallboard.Metrics;
using Wallboard.Metrics.Calendar;
using Wallboard.Metrics.Engine;
using Wallboard.Metrics.Names;

namespace Wallboard.Hub.Cli;

/// <summary>
/// The options and the reading shared by the commands that compute from files (<c>kpi</c>,
/// <c>import</c>): which files, how CDRs are classified, the directory of names and aliases, and the
/// definitions counters depend on (zone, service-level threshold, short abandons, rings), whose
/// defaults are the server's settings. Reading reports malformed lines the same way everywhere and
/// fails only when an input cannot be read at all.
/// </summary>
internal sealed class EventFileInputs
{
    private readonly Option<FileInfo[]> _queueLogs = new("--queue-log")
    {
        Description = "Asterisk queue_log file(s) to read (epoch|callid|queue|agent|EVENT|data…).",
        AllowMultipleArgumentsPerToken = true,
    };

    private readonly Option<FileInfo[]> _cdrs = new("--cdr")
    {
        Description = "Asterisk Master.csv CDR file(s); outbound rows (see --outbound-*) become campaign attempts.",
        AllowMultipleArgumentsPerToken = true,
    };

    private readonly Option<FileInfo[]> _events = new("--events")
    {
        Description = "Newline-delimited JSON event file(s) in the schema of docs/events.md.",
        AllowMultipleArgumentsPerToken = true,
    };

    private readonly Option<string?> _timeZone = new("--tz")
    {
        Description = "IANA time zone whose local clock defines intervals and days; also the zone of CDR times. Default: Metrics:TimeZone (Asia/Shanghai).",
    };

    private readonly Option<string[]> _outboundContexts = new("--outbound-context")
    {
        Description = "CDR dcontext(s) whose calls are outbound campaign calls.",
        AllowMultipleArgumentsPerToken = true,
    };

    private readonly Option<string[]> _outboundAccountCodes = new("--outbound-accountcode")
    {
        Description = "CDR accountcode(s) of outbound campaign calls; a trailing * matches a prefix.",
        AllowMultipleArgumentsPerToken = true,
    };

    private readonly Option<string?> _outboundChannel = new("--outbound-channel")
    {
        Description = "Regular expression on the CDR channel that marks outbound campaign calls.",
    };

    private readonly KpiDefinitionOptions _definitions;
    private readonly CliDirectoryOptions _directory = new();
    private BatchTimeRule? _timeRule;

    /// <param name="withFormula">Whether the command computes ratios and so takes <c>--sl-formula</c>.</param>
    public EventFileInputs(bool withFormula)
    {
        _definitions = new KpiDefinitionOptions(withFormula);
        _timeZone.Validators.Add(result =>
        {
            var zone = result.GetValueOrDefault<string?>();
            if (zone is not null && NodaTime.DateTimeZoneProviders.Tzdb.GetZoneOrNull(zone) is null)
            {
                result.AddError($"--tz: '{zone}' is not an IANA time zone (e.g. Asia/Shanghai, Europe/London)");
            }
        });
    }

    public void AddTo(Command command)
    {
        foreach (var option in new Option[]
        {
            _queueLogs, _cdrs, _events, _timeZone, _outboundContexts, _outboundAccountCodes, _outboundChannel,
        })
        {
            command.Options.Add(option);
        }

        _directory.AddTo(command);
        _definitions.AddTo(command);
    }

    /// <summary>
    /// The definitions given on the command line, the server's settings for the others, and the
    /// directory; writes the zone used to <paramref name="errors"/>. Null after writing what is wrong
    /// (a bad option or setting, an unreadable or invalid directory).
    /// </summary>
    public async Task<(KpiOptions Options, NameDirectory Names)?> PrepareAsync(
        ParseResult parseResult, IConfiguration configuration, IntervalLength interval, TextWriter errors, int callTarget = 0)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        ArgumentNullException.ThrowIfNull(errors);
        KpiOptions options;
        try
        {
            var metrics = CliConfiguration.Metrics(configuration);
            _timeRule = BatchTimeRule.From(configuration);
            var given = parseResult.GetValue(_timeZone);
            options = _definitions.Create(parseResult, metrics, given ?? metrics.TimeZone, interval, callTarget);
            await errors.WriteLineAsync($"zone: {options.TimeZone} ({(given is null ? "Metrics:TimeZone; --tz to change" : "--tz")})").ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
        {
            await errors.WriteLineAsync($"error: {ex.Message}").ConfigureAwait(false);
            return null;
        }
        catch (Microsoft.Extensions.Options.OptionsValidationException ex)
        {
            await errors.WriteLineAsync($"error: {string.Join("; ", ex.Failures)}").ConfigureAwait(false);
            return null;
        }

        return await _directory.LoadAsync(parseResult, configuration, errors).ConfigureAwait(false) is { } names ? (options, names) : null;
    }

    /// <summary>
    /// Reads every input file into <paramref name="engine"/> in time order, closes sessions at the
    /// last line and writes the summary to <paramref name="errors"/>.
    /// </summary>
    /// <param name="parseResult">The command line.</param>
    /// <param name="engine">Counts the events.</param>
    /// <param name="names">The directory (agents' aliases).</param>
    /// <param name="errors">Where the summary and problems go.</param>
    /// <param name="cancellationToken">Stops the reading.</param>
    /// <param name="through">Where events go instead, when it passes them on to <paramref name="engine"/> itself (import's writer).</param>
    /// <returns>0, or 2 without inputs, or 1 when an input cannot be read at all.</returns>
    public async Task<int> ReadAsync(ParseResult parseResult, KpiEngine engine, NameDirectory names, TextWriter errors, CancellationToken cancellationToken, IContactEventSink? through = null)
    {
        ArgumentNullException.ThrowIfNull(names);
        var timeRule = _timeRule ?? throw new InvalidOperationException($"{nameof(PrepareAsync)} first");
        // Events that go to the engine alone need no call or caller ids as text: it tells them apart by key.
        var inputs = Inputs(parseResult, engine.Options.TimeZone, new AgentAliases(names.Aliases), keepIdText: through is not null);
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

        using (var progress = new ProgressLine(errors, inputs.Sum(input => input.File.Length)))
        {
            try
            {
                if (through is null && inputs is [{ ReadsInParallel: true } only])
                {
                    // kpi over one queue_log: its reader parses on threads of its own and hands the events
                    // over in order, so it feeds the engine on this thread. Merging would add a hand-over
                    // through a channel and the thread pool, whose code the JIT re-compiled while the file was
                    // read: some 125 methods, a tenth of the CPU of kpi over 200 MB. (import's writer keeps
                    // the merge and its buffering.)
                    only.Read(engine, timeRule, progress.Report, cancellationToken);
                }
                else
                {
                    await MergedSources.RunAsync(
                        [.. inputs.Select(input => (Action<IContactEventSink>)(sink => input.Read(sink, timeRule, progress.Report, cancellationToken)))],
                        through ?? engine,
                        cancellationToken).ConfigureAwait(false);
                }
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
            // Sessions still open close at the time of the input's last line.
            engine.FlushOpenSessions(engine.WatermarkMs);
        }

        await WriteSummaryAsync(inputs, engine, errors).ConfigureAwait(false);
        return 0;
    }

    private List<EventFile> Inputs(ParseResult parseResult, string timeZone, AgentAliases aliases, bool keepIdText)
    {
        var codes = parseResult.GetValue(_outboundAccountCodes) ?? [];
        var channel = parseResult.GetValue(_outboundChannel);
        var rules = new CdrDirectionRules
        {
            OutboundContexts = new HashSet<string>(parseResult.GetValue(_outboundContexts) ?? [], StringComparer.Ordinal),
            OutboundAccountCodes = new HashSet<string>(codes.Where(code => !code.EndsWith('*')), StringComparer.Ordinal),
            OutboundAccountCodePrefixes = [.. codes.Where(code => code.EndsWith('*')).Select(code => code.TrimEnd('*'))],
            OutboundChannelPattern = string.IsNullOrEmpty(channel) ? null : CdrDirectionRules.CreateChannelPattern(channel),
        };
        var cdrZone = TimeZoneInfo.FindSystemTimeZoneById(timeZone);
        var inputs = new List<EventFile>();
        foreach (var file in parseResult.GetValue(_queueLogs) ?? [])
        {
            inputs.Add(new EventFile(
                file,
                file.Name,
                EventFileFormat.QueueLog(file.FullName, aliases),
                (sink, report, progress, cancellationToken) => new ChunkedQueueLogReader(() => new QueueLogParser(aliases) { KeepIdText = keepIdText }) { Progress = progress }
                    .ReadFile(file.FullName, sink, report, cancellationToken),
                readsInParallel: true));
        }

        foreach (var file in parseResult.GetValue(_cdrs) ?? [])
        {
            // Files are read on threads of their own, and a reader is not thread-safe.
            inputs.Add(new EventFile(file, file.FullName, EventFileFormat.Cdr(file.FullName, cdrZone, rules, aliases), (sink, report, _, _) => new CdrReader(cdrZone, rules, aliases).ReadFile(file.FullName, sink, report)));
        }

        foreach (var file in parseResult.GetValue(_events) ?? [])
        {
            inputs.Add(new EventFile(file, file.Name, EventFileFormat.Json(file.FullName, aliases), (sink, report, _, _) =>
            {
                using var stream = File.OpenRead(file.FullName);
                new JsonEventReader(new JsonEventParser(aliases: aliases)).Read(stream, file.Name, sink, report);
            }));
        }

        return inputs;
    }

    private static async Task WriteSummaryAsync(List<EventFile> inputs, KpiEngine engine, TextWriter errors)
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
            await errors.WriteLineAsync($"  {(error.Repaired ? "repaired" : "malformed")}: {error}").ConfigureAwait(false);
        }

        if (total.Malformed + total.Repaired > Shown)
        {
            await errors.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  … and {total.Malformed + total.Repaired - Shown} more malformed or repaired lines")).ConfigureAwait(false);
        }

        if (engine.SpansNotAccounted > 0)
        {
            await errors.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"  {engine.SpansNotAccounted} spans of login or pause time longer than Metrics:MaxSilenceDays ({engine.Options.Limits.MaxSilenceDays} days) without an event were not accounted")).ConfigureAwait(false);
        }

        await errors.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"total: {total.LinesRead} lines read, {total.Malformed} malformed, {total.Unknown} unknown, {total.Ignored} ignored, {total.Repaired} repaired; {engine.Inconsistent} events out of sequence; {engine.MasqueradesResolved} lines of attended transfers into a queue put on their call")).ConfigureAwait(false);
    }

    /// <summary>One input file and the report of what reading it found.</summary>
    /// <param name="file">The file.</param>
    /// <param name="source">The file as its reader names it in errors.</param>
    /// <param name="format">Its time field and lines, for <see cref="BatchTimeRule"/>.</param>
    /// <param name="read">Reads it into a sink, reporting progress, until cancelled where it can be.</param>
    /// <param name="readsInParallel">Whether its reader parses on threads of its own, handing the sink events on the calling thread.</param>
    private sealed class EventFile(FileInfo file, string source, EventFileFormat format, Action<IContactEventSink, IngestReport, Action<long, long>?, CancellationToken> read, bool readsInParallel = false)
    {
        public FileInfo File { get; } = file;

        public IngestReport Report { get; } = new();

        public bool ReadsInParallel { get; } = readsInParallel;

        /// <summary>Reads the file through <paramref name="timeRule"/>'s screen; the lines it refuses are counted as malformed.</summary>
        public void Read(IContactEventSink sink, BatchTimeRule timeRule, Action<long, long>? progress, CancellationToken cancellationToken)
        {
            var screen = timeRule.Screen(sink);
            read(screen, Report, progress, cancellationToken);
            screen.Complete();
            timeRule.Report(screen, Report, source, format);
        }
    }
}
