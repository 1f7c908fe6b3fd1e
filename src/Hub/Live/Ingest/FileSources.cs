using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Wallboard.Hub.Hosting;
using Wallboard.Hub.Operations;
using Wallboard.Hub.Names;
using Wallboard.Ingest.Aliases;
using Wallboard.Ingest.Cdr;
using Wallboard.Ingest.Model;
using Wallboard.Ingest.QueueLog;

namespace Wallboard.Hub.Live.Ingest;

/// <summary>Where one followed file is, for <c>/healthz</c>.</summary>
internal sealed record TailStatus(string Kind, string File, long Offset, long Lines, long Events, long Malformed);

/// <summary>
/// Follows the configured files — each queue_log of <c>Sources:QueueLogs</c> and the CDR file or
/// folder of <c>Sources:Cdr</c> — on a timer on the injected clock, publishing new events to the
/// ingest channel (waiting while the core is full, so nothing is lost). Positions are kept under
/// <c>Sources:StatePath</c> in the data folder.
/// </summary>
internal sealed partial class FileSources(
    IngestChannel channel,
    IOptions<SourcesOptions> sources,
    IOptions<MetricsOptions> metrics,
    DataFolder data,
    WallboardMetrics counters,
    TimeProvider time,
    ILoggerFactory loggers,
    DirectoryService directory) : BackgroundService
{
    private readonly ILogger _logger = loggers.CreateLogger<FileSources>();

    // Created when the host starts, so a folder this user cannot write stops the start with one line.
    private readonly string? _statePath = sources.Value.QueueLogs.Count == 0 && string.IsNullOrEmpty(sources.Value.Cdr)
        ? null
        : data.Folder(SourcesOptions.Section + ":StatePath", sources.Value.StatePath);
    private readonly Lock _lock = new();
    private readonly Dictionary<string, TailStatus> _status = new(StringComparer.Ordinal);

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

    /// <summary>One pass over every source; public to tests so they can poll without a timer.</summary>
    public async Task PollOnceAsync(IReadOnlyList<QueueLogTail> tails, CdrTail? cdr, CancellationToken cancellationToken)
    {
        var sink = new BufferSink();
        foreach (var tail in tails)
        {
            var report = new IngestReport();
            await tail.PollAsync(sink, report, cancellationToken).ConfigureAwait(false);
            await sink.PublishAsync(channel, cancellationToken).ConfigureAwait(false);
            Update("queue_log", tail.Path, tail.Offset, report, tail.LineNumber);
        }

        if (cdr is not null)
        {
            foreach (var (file, offset, report) in cdr.Poll(sink))
            {
                await sink.PublishAsync(channel, cancellationToken).ConfigureAwait(false);
                Update("cdr", file, offset, report, null);
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var options = sources.Value;
        if (_statePath is not { } statePath)
        {
            return;
        }

        var tails = options.QueueLogs
            .Select(path => Path.GetFullPath(path))
            .Select(path => new QueueLogTail(path, Path.Combine(statePath, "queue_log-" + Key(path) + ".state"), new QueueLogParser(directory.Aliases), loggers.CreateLogger<QueueLogTail>()))
            .ToList();
        var cdr = string.IsNullOrEmpty(options.Cdr)
            ? null
            : new CdrTail(Path.GetFullPath(options.Cdr), statePath, TimeZoneInfo.FindSystemTimeZoneById(metrics.Value.TimeZone), Rules(options), directory.Aliases);
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
/// appended since the last one (up to the last newline) and keeps the byte offset per file in the
/// state folder. A file shorter than its offset was truncated and is read again from the start.
/// </summary>
internal sealed class CdrTail(string path, string statePath, TimeZoneInfo zone, CdrDirectionRules rules, AgentAliases? aliases = null)
{
    private const int MaxBytesPerPoll = 4 << 20;

    private readonly CdrReader _reader = new(zone, rules, aliases);
    private readonly Dictionary<string, long> _offsets = new(StringComparer.Ordinal);

    public string Path => path;

    public IEnumerable<(string File, long Offset, IngestReport Report)> Poll(IContactEventSink sink)
    {
        var files = Directory.Exists(path) ? Directory.GetFiles(path, "*.csv").Order(StringComparer.Ordinal).ToArray()
            : File.Exists(path) ? [path] : [];
        foreach (var file in files)
        {
            var report = new IngestReport();
            var offset = Read(file, sink, report);
            yield return (file, offset, report);
        }
    }

    private long Read(string file, IContactEventSink sink, IngestReport report)
    {
        var stateFile = System.IO.Path.Combine(statePath, "cdr-" + FileSources.Key(file) + ".offset");
        if (!_offsets.TryGetValue(file, out var offset))
        {
            offset = File.Exists(stateFile) && long.TryParse(File.ReadAllText(stateFile), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var saved) ? saved : 0;
        }

        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        if (stream.Length < offset)
        {
            offset = 0;
        }

        if (stream.Length == offset)
        {
            _offsets[file] = offset;
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
            offset += end;
            File.WriteAllText(stateFile, offset.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        _offsets[file] = offset;
        return offset;
    }
}
