using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Wallboard.Hub.Durability;
using Wallboard.Hub.Hosting;
using Wallboard.Hub.Operations;
using Wallboard.Hub.Names;
using Wallboard.Ingest.Aliases;
using Wallboard.Ingest.Cdr;
using Wallboard.Ingest.Model;
using Wallboard.Ingest.QueueLog;

namespace Wallboard.Hub.Live.Ingest;

/// <summary>Where one followed file is, for <c>/healthz</c>, with the last line refused (file, line number, reason).</summary>
internal sealed record TailStatus(string Kind, string File, long Offset, long Lines, long Events, long Malformed, string? LastError = null);

/// <summary>
/// Follows the configured files — each queue_log of <c>Sources:QueueLogs</c> and the CDR file or
/// folder of <c>Sources:Cdr</c> — on a timer on the injected clock, publishing new events to the
/// ingest channel (waiting while the core is full, so nothing is lost).
/// </summary>
/// <remarks>
/// Each poll's events go to the core as one batch with the source's position after them, and the
/// core's checkpoint keeps the positions of the batches it applied; at start every source resumes
/// at its position in the restored checkpoint, so a line is counted once whatever the moment of a
/// crash. A backlog is read in slices of <see cref="IngestChannel.BatchEvents"/> lines, polled again
/// at once. Lines dated outside the server's window (<c>Ingest:MaxClockSkewSeconds</c>,
/// <c>Ingest:HorizonDays</c>) or longer than <c>Ingest:MaxLineBytes</c> are malformed: counted,
/// reported with their line number, never applied.
/// </remarks>
internal sealed partial class FileSources(
    ISourceLog log,
    StatePaths paths,
    IOptions<SourcesOptions> sources,
    IOptions<MetricsOptions> metrics,
    IOptions<IngestOptions> ingest,
    WallboardMetrics counters,
    TimeProvider time,
    ILoggerFactory loggers,
    DirectoryService directory) : BackgroundService
{
    private readonly ILogger _logger = loggers.CreateLogger<FileSources>();
    private readonly Lock _lock = new();
    private readonly Dictionary<string, TailStatus> _status = new(StringComparer.Ordinal);
    private Func<string, string?> _saved = _ => null;

    public IReadOnlyList<TailStatus> Status
    {
        get
        {
            lock (_lock)
            {
                return [.. _status.Values];
            }
        }
    }

    /// <summary>The name under which a queue_log's position is kept in the checkpoint.</summary>
    public static string QueueLogSource(string path) => "queue_log:" + path;

    /// <summary>The name under which a CDR file's offset is kept in the checkpoint.</summary>
    public static string CdrSource(string file) => "cdr:" + file;

    /// <summary>One pass over every source; public to tests so they can poll without a timer.</summary>
    public async Task PollOnceAsync(IReadOnlyList<QueueLogTail> tails, CdrTail? cdr, CancellationToken cancellationToken)
    {
        foreach (var tail in tails)
        {
            var report = new IngestReport();
            do
            {
                tail.Parser.TimeLimits = ingest.Value.TimeLimitsAt(time.GetUtcNow().ToUnixTimeMilliseconds());
                var sink = new BufferSink();
                var before = tail.Position;
                await tail.PollAsync(sink, report, cancellationToken).ConfigureAwait(false);
                var after = tail.Position;
                if (sink.Events.Count > 0 || after != before)
                {
                    await log.PublishAsync(sink.ToBatch(QueueLogSource(tail.Path), after.ToString()), cancellationToken).ConfigureAwait(false);
                }
            }
            while (tail.HasMore);

            Update("queue_log", tail.Path, tail.Offset, report, tail.LineNumber);
        }

        if (cdr is not null)
        {
            cdr.TimeLimits = ingest.Value.TimeLimitsAt(time.GetUtcNow().ToUnixTimeMilliseconds());
            foreach (var (file, offset, moved, report, sink) in cdr.Poll())
            {
                if (moved)
                {
                    await log.PublishAsync(sink.ToBatch(CdrSource(file), offset.ToString(CultureInfo.InvariantCulture)), cancellationToken).ConfigureAwait(false);
                }

                Update("cdr", file, offset, report, null);
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var options = sources.Value;
        if (options.QueueLogs.Count == 0 && string.IsNullOrEmpty(options.Cdr))
        {
            return;
        }

        _saved = await log.PositionsAsync(stoppingToken).ConfigureAwait(false);
        var tails = options.QueueLogs
            .Select(path => Path.GetFullPath(path))
            .Select(NewTail)
            .ToList();
        var cdr = string.IsNullOrEmpty(options.Cdr)
            ? null
            : new CdrTail(Path.GetFullPath(options.Cdr), SavedCdrOffset, TimeZoneInfo.FindSystemTimeZoneById(metrics.Value.TimeZone), Rules(options), directory.Aliases);
        foreach (var tail in tails)
        {
            Log.Following(_logger, "queue_log", tail.Path);
        }

        if (cdr is not null)
        {
            Log.Following(_logger, "CDR", cdr.Path);
        }

        try
        {
            using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.PollSeconds), time);
            do
            {
                try
                {
                    await PollOnceAsync(tails, cdr, stoppingToken).ConfigureAwait(false);
                }
                catch (IOException ex)
                {
                    Log.PollFailed(_logger, ex.Message);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        finally
        {
            foreach (var tail in tails)
            {
                tail.Dispose();
            }
        }
    }

    /// <summary>A tail resuming where the restored checkpoint says, or where an older version's state file says.</summary>
    private QueueLogTail NewTail(string path)
    {
        var tail = new QueueLogTail(path, statePath: null, new QueueLogParser(directory.Aliases), loggers.CreateLogger<QueueLogTail>())
        {
            MaxLineBytes = ingest.Value.MaxLineBytes,
            MaxLinesPerPoll = IngestChannel.BatchEvents,
        };
        if (TailPosition.TryParse(_saved(QueueLogSource(path)), out var saved))
        {
            tail.ResumeFrom(saved);
        }
        else
        {
            tail.ResumeFrom(QueueLogTail.ReadStateFile(Path.Combine(paths.LegacyTailStates, "queue_log-" + Key(path) + ".state")));
        }

        return tail;
    }

    private long? SavedCdrOffset(string file)
    {
        if (long.TryParse(_saved(CdrSource(file)), NumberStyles.None, CultureInfo.InvariantCulture, out var offset))
        {
            return offset;
        }

        // Written by versions before the checkpoint.
        var legacy = Path.Combine(paths.LegacyTailStates, "cdr-" + Key(file) + ".offset");
        return File.Exists(legacy) && long.TryParse(File.ReadAllText(legacy), NumberStyles.None, CultureInfo.InvariantCulture, out var saved) ? saved : null;
    }

    private static CdrDirectionRules Rules(SourcesOptions options) => new()
    {
        OutboundContexts = new HashSet<string>(options.CdrOutboundContexts, StringComparer.Ordinal),
        OutboundAccountCodes = new HashSet<string>(options.CdrOutboundAccountCodes.Where(code => !code.EndsWith('*')), StringComparer.Ordinal),
        OutboundAccountCodePrefixes = [.. options.CdrOutboundAccountCodes.Where(code => code.EndsWith('*')).Select(code => code.TrimEnd('*'))],
        OutboundChannelPattern = string.IsNullOrEmpty(options.CdrOutboundChannel) ? null : CdrDirectionRules.CreateChannelPattern(options.CdrOutboundChannel),
    };

    private void Update(string kind, string file, long offset, IngestReport report, long? line)
    {
        counters.EventsIngested(kind, report.Events);
        counters.LinesRejected(kind, report.Malformed);
        lock (_lock)
        {
            var before = _status.GetValueOrDefault(file) ?? new TailStatus(kind, file, 0, 0, 0, 0);
            if (report.Malformed > 0)
            {
                Log.Malformed(_logger, file, report.Malformed, report.Errors.FirstOrDefault(error => !error.Repaired)?.ToString() ?? string.Empty);
            }

            if (report.Repaired > 0)
            {
                Log.Repaired(_logger, file, report.Repaired, report.Errors.FirstOrDefault(error => error.Repaired)?.ToString() ?? string.Empty);
            }

            _status[file] = before with
            {
                Offset = offset,
                Lines = line ?? before.Lines + report.LinesRead,
                Events = before.Events + report.Events,
                Malformed = before.Malformed + report.Malformed,
                LastError = report.Errors.Count > 0 ? report.Errors[^1].ToString() : before.LastError,
            };
        }
    }

    internal static string Key(string path) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(path)))[..16];

    private static partial class Log
    {
        [LoggerMessage(EventId = 500, Level = LogLevel.Information, Message = "Following {Kind} {Path}")]
        public static partial void Following(ILogger logger, string kind, string path);

        [LoggerMessage(EventId = 501, Level = LogLevel.Warning, Message = "{Path}: {Count} malformed lines, the first: {First}")]
        public static partial void Malformed(ILogger logger, string path, long count, string first);

        [LoggerMessage(EventId = 502, Level = LogLevel.Warning, Message = "Reading a source failed, retrying at the next poll: {Reason}")]
        public static partial void PollFailed(ILogger logger, string reason);

        [LoggerMessage(EventId = 503, Level = LogLevel.Warning, Message = "{Path}: {Count} lines read after repairing them, the first: {First}")]
        public static partial void Repaired(ILogger logger, string path, long count, string first);
    }
}

/// <summary>
/// Follows a Master.csv file, or every *.csv of a folder: each poll reads the complete rows
/// appended since the last one (up to the last newline) from the byte offset the caller's
/// checkpoint kept. A file shorter than its offset was truncated and is read again from the start.
/// A slice of <see cref="MaxBytesPerPoll"/> with no newline in it is a row too long to be one: it is
/// skipped up to its newline and reported.
/// </summary>
internal sealed class CdrTail(string path, Func<string, long?> savedOffset, TimeZoneInfo zone, CdrDirectionRules rules, AgentAliases? aliases = null)
{
    public const int MaxBytesPerPoll = 4 << 20;

    private readonly CdrReader _reader = new(zone, rules, aliases);
    private readonly Dictionary<string, long> _offsets = new(StringComparer.Ordinal);

    public string Path => path;

    /// <summary>Event times accepted from the next poll on.</summary>
    public EventTimeLimits TimeLimits
    {
        get => _reader.TimeLimits;
        set => _reader.TimeLimits = value;
    }

    /// <summary>For each file, its offset after the rows read now, whether it moved, the counts and the events.</summary>
    public IEnumerable<(string File, long Offset, bool Moved, IngestReport Report, BufferSink Events)> Poll()
    {
        var files = Directory.Exists(path) ? Directory.GetFiles(path, "*.csv").Order(StringComparer.Ordinal).ToArray()
            : File.Exists(path) ? [path] : [];
        foreach (var file in files)
        {
            var report = new IngestReport();
            var sink = new BufferSink();
            var before = _offsets.TryGetValue(file, out var known) ? known : savedOffset(file) ?? 0;
            var offset = Read(file, before, sink, report);
            _offsets[file] = offset;
            yield return (file, offset, offset != before, report, sink);
        }
    }

    private long Read(string file, long offset, IContactEventSink sink, IngestReport report)
    {
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        if (stream.Length < offset)
        {
            offset = 0;
        }

        if (stream.Length == offset)
        {
            return offset;
        }

        // A large backlog (first start on a big file) is read a slice per poll.
        stream.Position = offset;
        var bytes = new byte[Math.Min(stream.Length - offset, MaxBytesPerPoll)];
        stream.ReadExactly(bytes);
        var end = Array.LastIndexOf(bytes, (byte)'\n') + 1;
        if (end > 0)
        {
            _reader.Read(new StringReader(Encoding.UTF8.GetString(bytes, 0, end)), file, sink, report);
            return offset + end;
        }

        if (bytes.Length < MaxBytesPerPoll)
        {
            // A row still being written.
            return offset;
        }

        // No newline in a whole slice: pass over the row to its newline, without holding it.
        var skipped = (long)bytes.Length;
        var chunk = new byte[1 << 16];
        int read;
        while ((read = stream.Read(chunk)) > 0)
        {
            var newline = Array.IndexOf(chunk, (byte)'\n', 0, read);
            if (newline >= 0)
            {
                skipped += newline + 1;
                report.CountMalformed(new IngestError(file, 0, string.Create(
                    CultureInfo.InvariantCulture, $"the row at byte {offset} is {skipped - 1} bytes long, more than {MaxBytesPerPoll}; skipped")));
                return offset + skipped;
            }

            skipped += read;
        }

        return offset;
    }
}
