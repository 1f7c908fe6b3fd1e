using Microsoft.Extensions.Options;
using Npgsql;
using Wallboard.Hub.Live.Screens;
using Wallboard.Metrics.Live;

namespace Wallboard.Hub.Cluster;

/// <summary>What /healthz shows of the cluster from this hub.</summary>
internal sealed record ClusterHealth(
    string Cluster,
    string Node,
    string SourcePartition,
    bool Redis,
    bool PostgreSql,
    bool PushesScreens,
    long AppendFailures,
    IReadOnlyList<RunningPartition> Running,
    IReadOnlyList<PartitionView> Partitions,
    IReadOnlyList<string> SharedNames,
    double StaleSeconds);

/// <summary>
/// This hub's part in the cluster. Every <c>Cluster:LockPollSeconds</c> it checks the locks it holds
/// (a failed session stops what the lock guarded at once) and tries those nobody holds: each
/// partition's core, and the screens' pushes. Its own partition (<c>Cluster:Partition</c>) it tries
/// from the start; the others only after two periods, so hubs that start together each take their
/// own. Nothing moves a core back to "its" hub later: a hub that restarts finds its partition run
/// elsewhere and stands by.
/// </summary>
/// <remarks>
/// Screens: one hub at a time merges the partitions' figures into frames and pushes them, through
/// the SignalR Redis backplane, to the screens of every hub — so a screen gets each change once,
/// whichever hub it is connected to. That hub also sends the threshold alerts (and their webhook)
/// once for the cluster.
/// </remarks>
internal sealed partial class ClusterNode(
    ClusterConnections connections,
    ClusterKeys keys,
    ClusterView view,
    ClusterEventLog log,
    LiveBroadcaster screens,
    PartitionServices services,
    IOptions<ClusterOptions> options,
    TimeProvider time,
    ILogger<ClusterNode> logger) : BackgroundService
{
    /// <summary>The merged figures carry no history intervals: each partition's core writes its own.</summary>
    private static readonly Hosting.IntervalChanges NoChanges = new([], [], []);

    private readonly Lock _lock = new();
    private readonly Dictionary<string, PartitionCore> _running = new(StringComparer.Ordinal);
    private LockSession? _screensSession;
    private bool _postgreSqlUp;

    public ClusterHealth Health
    {
        get
        {
            var cluster = options.Value;
            List<RunningPartition> running;
            lock (_lock)
            {
                running = [.. _running.Values.Select(core => core.Health)];
            }

            return new ClusterHealth(
                cluster.Name, cluster.NodeName, cluster.OwnPartition, connections.Redis.IsConnected, Volatile.Read(ref _postgreSqlUp),
                _screensSession is { IsLost: false }, log.AppendFailures, running, view.Partitions, view.SharedNames, cluster.StaleSeconds);
        }
    }

    /// <summary>Whether this hub runs <paramref name="partition"/>'s core now.</summary>
    public bool Runs(string partition)
    {
        lock (_lock)
        {
            return _running.ContainsKey(partition);
        }
    }

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        view.Changed += Push;
        connections.Redis.ConnectionRestored += (_, _) => screens.ResendAll();
        await base.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        view.Changed -= Push;
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        List<PartitionCore> running;
        lock (_lock)
        {
            running = [.. _running.Values];
            _running.Clear();
        }

        // Handed over whole: the last entries applied, history written, a checkpoint saved, the lock released.
        foreach (var core in running)
        {
            try
            {
                await core.StopAsync().ConfigureAwait(false);
                Log.HandedOver(logger, core.Partition);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Log.StopFailed(logger, core.Partition, ex);
            }
        }

        if (_screensSession is not null)
        {
            await _screensSession.DisposeAsync().ConfigureAwait(false);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var cluster = options.Value;
        var period = TimeSpan.FromSeconds(cluster.LockPollSeconds);
        var startedAt = time.GetUtcNow();
        var order = cluster.PartitionNames.OrderBy(partition => partition == cluster.OwnPartition ? 0 : 1).ToList();
        var schemaReady = false;
        using var timer = new PeriodicTimer(period, time);
        do
        {
            try
            {
                if (!schemaReady)
                {
                    await ClusterSchema.EnsureAsync(connections.Data, stoppingToken).ConfigureAwait(false);
                    schemaReady = true;
                }

                var othersToo = time.GetUtcNow() - startedAt >= 2 * period;
                foreach (var partition in order)
                {
                    if (partition == cluster.OwnPartition || othersToo)
                    {
                        await KeepOrTakeAsync(partition, stoppingToken).ConfigureAwait(false);
                    }
                }

                await KeepOrTakeScreensAsync(stoppingToken).ConfigureAwait(false);
                Volatile.Write(ref _postgreSqlUp, true);
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException or System.Net.Sockets.SocketException)
            {
                Volatile.Write(ref _postgreSqlUp, false);
                Log.PostgreSqlAway(logger, ex.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    private async Task KeepOrTakeAsync(string partition, CancellationToken cancellationToken)
    {
        PartitionCore? running;
        lock (_lock)
        {
            running = _running.GetValueOrDefault(partition);
        }

        if (running is not null)
        {
            if (!await running.Session.CheckAsync(cancellationToken).ConfigureAwait(false))
            {
                lock (_lock)
                {
                    _running.Remove(partition);
                }

                await running.AbandonAsync().ConfigureAwait(false);
            }

            return;
        }

        var session = await LockSession.TryAcquireAsync(connections.Sessions, keys.CoreLock(partition), cancellationToken).ConfigureAwait(false);
        if (session is null)
        {
            return;
        }

        var core = new PartitionCore(partition, session, services);
        try
        {
            await core.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Redis or PostgreSQL went away while taking over: let go, try again at the next period.
            Log.TakeOverFailed(logger, partition, ex);
            await core.AbandonAsync().ConfigureAwait(false);
            return;
        }

        lock (_lock)
        {
            _running[partition] = core;
        }
    }

    private async Task KeepOrTakeScreensAsync(CancellationToken cancellationToken)
    {
        if (_screensSession is { } held)
        {
            if (await held.CheckAsync(cancellationToken).ConfigureAwait(false))
            {
                return;
            }

            _screensSession = null;
            await held.DisposeAsync().ConfigureAwait(false);
            Log.ScreensLost(logger);
        }

        var session = await LockSession.TryAcquireAsync(connections.Sessions, keys.ScreensLock, cancellationToken).ConfigureAwait(false);
        if (session is not null)
        {
            // The screens were pushed by another hub: this one starts from whole frames.
            screens.ResendAll();
            _screensSession = session;
            Log.PushingScreens(logger);
        }
    }

    /// <summary>A partition published: when this hub pushes the screens, the merged figures go to them now.</summary>
    private void Push(LiveSnapshot merged)
    {
        if (_screensSession is { IsLost: false })
        {
            // Synchronous: the broadcaster computes and issues the sends without waiting for any screen.
            screens.OnTickAsync(merged, NoChanges, CancellationToken.None).AsTask().GetAwaiter().GetResult();
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1530, Level = LogLevel.Warning, Message = "PostgreSQL is away ({Reason}); the cores this hub runs stop if their sessions fail, and it tries again")]
        public static partial void PostgreSqlAway(ILogger logger, string reason);

        [LoggerMessage(EventId = 1531, Level = LogLevel.Error, Message = "Partition {Partition}: taking over failed; trying again at the next period")]
        public static partial void TakeOverFailed(ILogger logger, string partition, Exception exception);

        [LoggerMessage(EventId = 1532, Level = LogLevel.Information, Message = "Partition {Partition}: handed over (checkpoint saved, lock released)")]
        public static partial void HandedOver(ILogger logger, string partition);

        [LoggerMessage(EventId = 1533, Level = LogLevel.Error, Message = "Partition {Partition}: stopping its core failed")]
        public static partial void StopFailed(ILogger logger, string partition, Exception exception);

        [LoggerMessage(EventId = 1534, Level = LogLevel.Information, Message = "This hub pushes the screens of the cluster")]
        public static partial void PushingScreens(ILogger logger);

        [LoggerMessage(EventId = 1535, Level = LogLevel.Warning, Message = "This hub lost the screens' lock; another hub pushes them")]
        public static partial void ScreensLost(ILogger logger);
    }
}

/// <summary>What makes a hub of a cluster unhealthy in /healthz.</summary>
internal static class ClusterProblems
{
    public static IEnumerable<string> Of(ClusterHealth? health)
    {
        if (health is null)
        {
            yield break;
        }

        if (!health.Redis)
        {
            yield return "cluster: Redis is not connected (HTTP ingest answers 503, sources wait, screens get no pushes)";
        }

        if (!health.PostgreSql)
        {
            yield return "cluster: PostgreSQL does not answer (no core can be taken over, checkpoints are not saved)";
        }

        foreach (var partition in health.Partitions)
        {
            if (partition.AgeSeconds > health.StaleSeconds)
            {
                yield return $"cluster: partition {partition.Partition} has published no figures for {partition.AgeSeconds:0} s (last run by {partition.Node}): is any hub running its core?";
            }
        }

        if (health.SharedNames.Count > 0)
        {
            yield return $"cluster: {health.SharedNames.Count} names are in several partitions (their live figures are summed; history keeps one row per name), e.g. {health.SharedNames[0]}";
        }
    }
}
