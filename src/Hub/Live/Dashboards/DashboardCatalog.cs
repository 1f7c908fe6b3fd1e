using System.Collections.Frozen;
using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Wallboard.Hub.Live.Dashboards;

/// <summary>Configuration section <c>Dashboards</c>.</summary>
internal sealed class DashboardsOptions
{
    public const string Section = "Dashboards";

    /// <summary>
    /// The user's folder of layout files (absolute, or relative to the working directory): its
    /// dashboards add to the built-in ones, and one with the id of a built-in dashboard replaces it.
    /// Empty for the built-in ones only.
    /// </summary>
    public string? Path { get; set; }

    /// <summary>Whether the layouts shipped beside the executable are offered; false for the user's folder alone.</summary>
    public bool BuiltIn { get; set; } = true;

    /// <summary>How often the folder is checked for changed files.</summary>
    [Range(0.1, 3600)]
    public double PollSeconds { get; set; } = 2;
}

/// <summary>
/// The dashboards in use: the built-in layouts shipped beside the executable, then the user's folder
/// (<c>Dashboards:Path</c>), whose dashboards add to them or replace a built-in one with the same id.
/// Files are checked on a timer on the injected clock (a polling watcher behaves the same on every
/// file system, network shares included); a changed file is parsed and validated, and when it is
/// invalid its errors are logged and kept while the last good version stays in use.
/// </summary>
internal sealed partial class DashboardCatalog : BackgroundService
{
    private readonly Lock _lock = new();

    /// <summary>The folders read, built-in first: a later folder's dashboard replaces an earlier one's with the same id.</summary>
    private readonly string[] _folders;
    private readonly DashboardsOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<DashboardCatalog> _logger;
    private readonly Dictionary<string, FileEntry> _files = new(StringComparer.Ordinal);
    private volatile FrozenDictionary<string, Dashboard> _current = FrozenDictionary<string, Dashboard>.Empty;
    private volatile IReadOnlyList<DashboardError> _errors = [];

    public DashboardCatalog(IOptions<DashboardsOptions> options, TimeProvider time, ILogger<DashboardCatalog> logger)
    {
        _options = options.Value;
        var folders = new List<string>(2);
        if (_options.BuiltIn)
        {
            folders.Add(ContentPaths.BuiltIn("dashboards"));
        }

        if (!string.IsNullOrWhiteSpace(_options.Path))
        {
            folders.Add(ContentPaths.Configured(_options.Path));
        }

        _folders = [.. folders];
        _time = time;
        _logger = logger;
        Refresh();
    }

    /// <summary>The folders read, built-in first.</summary>
    public string Folder => string.Join(", ", _folders);

    /// <summary>The dashboards in use, by id.</summary>
    public FrozenDictionary<string, Dashboard> Current => _current;

    /// <summary>The problems of the files as they are now on disk (a file listed here may still be in use in its last good version).</summary>
    public IReadOnlyList<DashboardError> Errors => _errors;

    public bool TryGet(string id, out Dashboard dashboard) => _current.TryGetValue(id, out dashboard!);

    /// <summary>Reads the files that changed since the last look; returns whether the dashboards in use changed.</summary>
    public bool Refresh()
    {
        lock (_lock)
        {
            var changed = false;
            var touched = false;
            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (var rank = 0; rank < _folders.Length; rank++)
            {
                var folder = _folders[rank];
                var files = Directory.Exists(folder) ? Directory.GetFiles(folder, "*.json") : [];
                System.Array.Sort(files, StringComparer.Ordinal);
                foreach (var path in files)
                {
                    seen.Add(path);
                    var info = new FileInfo(path);
                    var stamp = (info.LastWriteTimeUtc, info.Length);
                    if (_files.TryGetValue(path, out var entry) && entry.Stamp == stamp)
                    {
                        continue;
                    }

                    touched = true;
                    changed |= Load(path, rank, stamp, entry);
                }
            }

            foreach (var gone in _files.Keys.Where(path => !seen.Contains(path)).ToList())
            {
                touched = true;
                changed |= _files[gone].Good is not null;
                _files.Remove(gone);
            }

            if (touched)
            {
                Publish();
            }

            return changed;
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(_options.PollSeconds), _time);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                Refresh();
            }
            catch (IOException ex)
            {
                Log.FolderUnreadable(_logger, Folder, ex.Message);
            }
        }
    }

    private bool Load(string path, int rank, (DateTime, long) stamp, FileEntry? previous)
    {
        var name = System.IO.Path.GetFileName(System.IO.Path.GetDirectoryName(path)) + "/" + System.IO.Path.GetFileName(path);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (IOException ex)
        {
            // Being written right now: look again at the next poll.
            Log.FolderUnreadable(_logger, path, ex.Message);
            return false;
        }

        var dashboard = DashboardParser.Parse(name, text, out var errors);
        // One id per folder; across folders the later one wins (Publish).
        if (dashboard is not null && _files.Values.FirstOrDefault(file => file.Path != path && file.Rank == rank && file.Good?.Id == dashboard.Id) is { } other)
        {
            errors = [new DashboardError(name, "$.id", $"'{dashboard.Id}' is already the id of {other.Name}")];
            dashboard = null;
        }

        if (dashboard is null)
        {
            foreach (var error in errors)
            {
                Log.Invalid(_logger, error.File, error.Path, error.Message, previous?.Good is not null);
            }

            _files[path] = new FileEntry(path, name, rank, stamp, previous?.Good, errors);
            return false;
        }

        Log.Loaded(_logger, name, dashboard.Id, dashboard.Tiles.Count);
        _files[path] = new FileEntry(path, name, rank, stamp, dashboard, []);
        return true;
    }

    private void Publish()
    {
        _current = _files.Values.Where(file => file.Good is not null)
            .GroupBy(file => file.Good!.Id, StringComparer.Ordinal)
            .ToFrozenDictionary(group => group.Key, group => group.MaxBy(file => file.Rank)!.Good!, StringComparer.Ordinal);
        _errors = [.. _files.Values.SelectMany(file => file.Errors), .. RotationErrors(_current, _files.Values)];
    }

    /// <summary>
    /// Pages of rotations that name no dashboard in use, or another rotation: reported, and skipped
    /// by the screens (a page can come later than its rotation, so the rotation is not refused).
    /// </summary>
    private static IEnumerable<DashboardError> RotationErrors(FrozenDictionary<string, Dashboard> current, IEnumerable<FileEntry> files)
    {
        foreach (var file in files)
        {
            if (file.Good?.Rotation is not { } rotation || !ReferenceEquals(current.GetValueOrDefault(file.Good.Id), file.Good))
            {
                continue;
            }

            for (var i = 0; i < rotation.Pages.Count; i++)
            {
                var page = rotation.Pages[i];
                var path = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"$.rotation.pages[{i}]");
                if (!current.TryGetValue(page, out var shown))
                {
                    yield return new DashboardError(file.Name, path, $"there is no dashboard '{page}'");
                }
                else if (shown.Rotation is not null)
                {
                    yield return new DashboardError(file.Name, path, $"'{page}' is a rotation itself");
                }
            }
        }
    }

    /// <summary>A layout file as last read; <c>Rank</c> is the index of its folder in <c>_folders</c> (a higher one wins an id).</summary>
    private sealed record FileEntry(string Path, string Name, int Rank, (DateTime, long) Stamp, Dashboard? Good, IReadOnlyList<DashboardError> Errors);

    private static partial class Log
    {
        [LoggerMessage(EventId = 300, Level = LogLevel.Information, Message = "Dashboard {File} loaded: '{Id}' with {Tiles} tiles")]
        public static partial void Loaded(ILogger logger, string file, string id, int tiles);

        [LoggerMessage(EventId = 301, Level = LogLevel.Error, Message = "Dashboard {File}: {Path}: {Message} (last good version kept: {Kept})")]
        public static partial void Invalid(ILogger logger, string file, string path, string message, bool kept);

        [LoggerMessage(EventId = 302, Level = LogLevel.Warning, Message = "Dashboards: cannot read {Path}: {Reason}")]
        public static partial void FolderUnreadable(ILogger logger, string path, string reason);
    }
}
