using Microsoft.Extensions.Options;
using Wallboard.Ingest.Aliases;
using Wallboard.Ingest.QueueLog;
using Wallboard.Metrics.Names;

namespace Wallboard.Hub.Names;

/// <summary>
/// The server's one source of display names, teams and aliases: the directory file
/// (<c>Directory:Path</c>), the queues.conf files (<c>Directory:QueuesConf</c>), the older
/// <c>Teams</c>/<c>AgentNames</c> settings and, in the demo, the simulated centre. Files are checked on
/// a timer on the injected clock; a file that became invalid or unreadable is reported (logged and in
/// <see cref="Errors"/>) while its last good version stays in use. Readers resolve agents through
/// <see cref="Aliases"/>; the snapshot, the APIs and the reports take names from <see cref="Current"/>.
/// </summary>
internal sealed partial class DirectoryService : BackgroundService
{
    public const string TeamsSection = "Teams";
    public const string AgentNamesSection = "AgentNames";

    private readonly Lock _lock = new();
    private readonly DirectoryOptions _options;
    private readonly string? _directoryPath;
    private readonly IReadOnlyList<string> _queuesConfPaths;
    private readonly DirectoryLayer _settings;
    private readonly TimeProvider _time;
    private readonly ILogger<DirectoryService> _logger;
    private readonly Dictionary<string, FileStamp> _stamps = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IReadOnlyList<QueueMember>> _members = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IReadOnlyList<string>> _problems = new(StringComparer.Ordinal);

    // The files each queues.conf included when last read, so that editing an included file is seen too.
    private readonly Dictionary<string, IReadOnlyList<string>> _includes = new(StringComparer.Ordinal);
    private DirectoryLayer _file = DirectoryLayer.Empty;
    private DirectoryLayer _demo = DirectoryLayer.Empty;
    private volatile NameDirectory _current = NameDirectory.Empty;
    private volatile IReadOnlyList<string> _errors = [];

    public DirectoryService(IOptions<DirectoryOptions> options, IConfiguration configuration, IHostEnvironment environment, TimeProvider time, ILogger<DirectoryService> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(environment);
        _options = options.Value;
        _directoryPath = _options.Path is { } path ? Resolve(path, environment.ContentRootPath) : null;
        _queuesConfPaths = [.. _options.QueuesConf.Select(conf => Resolve(conf, environment.ContentRootPath))];
        _settings = SettingsLayer(configuration);
        _time = time;
        _logger = logger;
        if (!Refresh())
        {
            // No file to read: the settings alone make the directory.
            lock (_lock)
            {
                Publish();
            }
        }
    }

    /// <summary>Raised (on the thread that refreshed) when <see cref="Current"/> changed.</summary>
    public event Action<NameDirectory>? Changed;

    /// <summary>The aliases every reader of this server resolves agents through; replaced as a whole on change.</summary>
    public AgentAliases Aliases { get; } = new();

    /// <summary>The directory in use.</summary>
    public NameDirectory Current => _current;

    /// <summary>Problems of the files as they are on disk now, and alias conflicts.</summary>
    public IReadOnlyList<string> Errors => _errors;

    /// <summary>The demo's simulated centre: its teams and campaigns give the boards their agents.</summary>
    public void SetDemo(DirectoryLayer layer)
    {
        ArgumentNullException.ThrowIfNull(layer);
        lock (_lock)
        {
            _demo = layer;
            Publish();
        }
    }

    /// <summary>Reads the files that changed since the last look; returns whether the directory changed.</summary>
    public bool Refresh()
    {
        lock (_lock)
        {
            var touched = false;
            if (_directoryPath is not null && HasChanged(_directoryPath))
            {
                touched = true;
                var errors = new List<string>();
                if (DirectorySources.ReadDirectoryFile(_directoryPath, errors) is { } layer)
                {
                    _file = layer;
                    Log.Loaded(_logger, _directoryPath, layer.Queues.Count, layer.Agents.Count, layer.Campaigns.Count);
                }

                Report(_directoryPath, errors);
            }

            foreach (var path in _queuesConfPaths)
            {
                if (HasChanged(path) | IncludesChanged(path))
                {
                    touched = true;
                    var errors = new List<string>();
                    var read = new List<string>();
                    if (DirectorySources.ReadQueuesConf(path, errors, read) is { } members)
                    {
                        _members[path] = members;
                        Log.QueuesConfLoaded(_logger, path, members.Count);
                    }

                    foreach (var file in read)
                    {
                        _stamps[file] = Stamp(file);
                    }

                    _includes[path] = read;
                    Report(path, errors);
                }
            }

            if (touched)
            {
                Publish();
            }

            return touched;
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_directoryPath is null && _queuesConfPaths.Count == 0)
        {
            return;
        }

        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(_options.PollSeconds), _time);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            Refresh();
        }
    }

    private bool IncludesChanged(string path) =>
        _includes.TryGetValue(path, out var files) && files.Any(file => file != path && _stamps.GetValueOrDefault(file) != Stamp(file));

    private bool HasChanged(string path)
    {
        var stamp = Stamp(path);
        if (_stamps.TryGetValue(path, out var seen) && seen == stamp)
        {
            return false;
        }

        _stamps[path] = stamp;
        return true;
    }

    private void Report(string path, List<string> errors)
    {
        _problems[path] = errors;
        foreach (var error in errors)
        {
            Log.Invalid(_logger, error);
        }
    }

    private void Publish()
    {
        var members = _queuesConfPaths.SelectMany(path => _members.GetValueOrDefault(path) ?? []);
        var directory = NameDirectory.Create([_settings, _demo, _file], DirectorySources.Aliases(members));
        foreach (var conflict in directory.Conflicts)
        {
            Log.Conflict(_logger, conflict);
        }

        _errors = [.. _problems.Values.SelectMany(errors => errors), .. directory.Conflicts];
        _current = directory;
        Aliases.Replace(directory.Aliases);
        Changed?.Invoke(directory);
    }

    /// <summary>The older settings <c>Teams: { team: [agents] }</c> and <c>AgentNames: { agent: name }</c>, below the file.</summary>
    private static DirectoryLayer SettingsLayer(IConfiguration configuration)
    {
        var agents = new Dictionary<string, AgentEntry>(StringComparer.Ordinal);
        var teams = configuration.GetSection(TeamsSection).Get<Dictionary<string, List<string>>>() ?? [];
        foreach (var (team, members) in teams.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            foreach (var agent in members)
            {
                agents.TryAdd(agent, new AgentEntry { Team = team });
            }
        }

        foreach (var (agent, name) in configuration.GetSection(AgentNamesSection).Get<Dictionary<string, string>>() ?? [])
        {
            agents[agent] = (agents.GetValueOrDefault(agent) ?? new AgentEntry()) with { Name = name };
        }

        return new DirectoryLayer { Agents = agents };
    }

    private static string Resolve(string path, string contentRoot) =>
        System.IO.Path.IsPathRooted(path) ? path : System.IO.Path.GetFullPath(System.IO.Path.Combine(contentRoot, path));

    private static FileStamp Stamp(string path)
    {
        var info = new FileInfo(path);
        return info.Exists ? new FileStamp(info.LastWriteTimeUtc, info.Length) : default;
    }

    private readonly record struct FileStamp(DateTime Written, long Length);

    private static partial class Log
    {
        [LoggerMessage(EventId = 700, Level = LogLevel.Information, Message = "Directory {Path} loaded: {Queues} queues, {Agents} agents, {Campaigns} campaigns")]
        public static partial void Loaded(ILogger logger, string path, int queues, int agents, int campaigns);

        [LoggerMessage(EventId = 701, Level = LogLevel.Information, Message = "queues.conf {Path} loaded: {Members} members")]
        public static partial void QueuesConfLoaded(ILogger logger, string path, int members);

        [LoggerMessage(EventId = 702, Level = LogLevel.Error, Message = "Directory: {Problem} (the last good version stays in use)")]
        public static partial void Invalid(ILogger logger, string problem);

        [LoggerMessage(EventId = 703, Level = LogLevel.Warning, Message = "Directory: alias conflict: {Conflict}")]
        public static partial void Conflict(ILogger logger, string conflict);
    }
}
