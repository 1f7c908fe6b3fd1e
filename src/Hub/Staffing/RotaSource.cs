using Microsoft.Extensions.Options;
using NodaTime;
using Wallboard.Hub.Hosting;
using Wallboard.Metrics.Staffing;

namespace Wallboard.Hub.Staffing;

/// <summary>
/// The rota in force: the template's days around now plus the lines of the rota file. The file is
/// read again when it changes (checked at most every ten seconds), so next week's rota needs no
/// restart; a bad line is skipped and reported (<see cref="Errors"/>), the good ones stay.
/// </summary>
internal sealed partial class RotaSource(
    IOptions<StaffingOptions> options,
    IOptions<MetricsOptions> metrics,
    TimeProvider time,
    ILogger<RotaSource> logger)
{
    private const long CheckEveryMs = 10_000;

    private readonly Lock _lock = new();
    private readonly DateTimeZone _zone = DateTimeZoneProviders.Tzdb[metrics.Value.TimeZone];
    private readonly RotaTemplate? _template = options.Value.RotaTemplate?.ToTemplate();
    private List<RotaEntry> _fileEntries = [];
    private DateTime _fileStamp = DateTime.MinValue;
    private long _nextCheckMs = long.MinValue;
    private LocalDate _builtFor;
    private Rota _rota = Rota.Empty;
    private IReadOnlyList<RotaError> _errors = [];

    /// <summary>Problems of the last read of the rota file.</summary>
    public IReadOnlyList<RotaError> Errors => _errors;

    public string? FilePath { get; } = options.Value.RotaFile is { Length: > 0 } file
        ? Live.ContentPaths.Configured(file)
        : null;

    /// <summary>The rota from yesterday to the day after tomorrow (local), reread if the file changed.</summary>
    public Rota Current()
    {
        var nowMs = time.GetUtcNow().ToUnixTimeMilliseconds();
        lock (_lock)
        {
            var changed = nowMs >= _nextCheckMs && ReadFileIfChanged();
            if (changed)
            {
                _nextCheckMs = nowMs + CheckEveryMs;
            }

            var today = Instant.FromUnixTimeMilliseconds(nowMs).InZone(_zone).Date;
            if (changed || today != _builtFor)
            {
                _rota = Build(today.PlusDays(-1), 4);
                _builtFor = today;
            }

            return _rota;
        }
    }

    /// <summary>The rota of the local days [from, from + days): for forecasts and reports of other days.</summary>
    public Rota For(LocalDate from, int days)
    {
        lock (_lock)
        {
            ReadFileIfChanged();
            return Build(from, days);
        }
    }

    private Rota Build(LocalDate from, int days) =>
        new([.. _template?.Expand(from, days, _zone) ?? [], .. _fileEntries]);

    /// <summary>
    /// The rota of the local days [from, from + days) read once, for the command line (no watching):
    /// the template's days and the file's lines, bad lines in <paramref name="errors"/>.
    /// </summary>
    public static Rota Load(StaffingOptions options, DateTimeZone zone, LocalDate from, int days, List<RotaError> errors)
    {
        List<RotaEntry> lines = [];
        if (options.RotaFile is { Length: > 0 } file)
        {
            lines = File.Exists(file) ? RotaFile.Parse(File.ReadAllText(file), zone, errors) : [];
            if (!File.Exists(file))
            {
                errors.Add(new RotaError(0, "file", $"{Path.GetFullPath(file)} does not exist"));
            }
        }

        return new([.. options.RotaTemplate?.ToTemplate().Expand(from, days, zone) ?? [], .. lines]);
    }

    private bool ReadFileIfChanged()
    {
        if (FilePath is null)
        {
            // No file: only the template, which is "read" once.
            var first = _fileStamp == DateTime.MinValue;
            _fileStamp = DateTime.MaxValue;
            return first;
        }

        var info = new FileInfo(FilePath);
        var stamp = info.Exists ? info.LastWriteTimeUtc : DateTime.MinValue.AddTicks(1);
        if (stamp == _fileStamp)
        {
            return false;
        }

        _fileStamp = stamp;
        var errors = new List<RotaError>();
        if (!info.Exists)
        {
            errors.Add(new RotaError(0, "file", $"{FilePath} does not exist"));
            _fileEntries = [];
        }
        else
        {
            try
            {
                _fileEntries = RotaFile.Parse(File.ReadAllText(FilePath), _zone, errors);
            }
            catch (IOException ex)
            {
                // Being rewritten: try again at the next check.
                _fileStamp = DateTime.MinValue;
                errors.Add(new RotaError(0, "file", ex.Message));
            }
        }

        _errors = errors;
        Log.RotaRead(logger, FilePath, _fileEntries.Count, errors.Count);
        foreach (var error in errors.Take(20))
        {
            Log.RotaError(logger, FilePath, error.ToString());
        }

        return true;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1400, Level = LogLevel.Information, Message = "Rota {File}: {Lines} lines read, {Errors} errors")]
        public static partial void RotaRead(ILogger logger, string file, int lines, int errors);

        [LoggerMessage(EventId = 1401, Level = LogLevel.Warning, Message = "Rota {File}: {Error}")]
        public static partial void RotaError(ILogger logger, string file, string error);
    }
}
