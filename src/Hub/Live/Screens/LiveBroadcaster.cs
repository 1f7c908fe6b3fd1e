using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using Wallboard.Hub.Hosting;
using Wallboard.Hub.Live.Dashboards;
using Wallboard.Metrics;
using Wallboard.Metrics.Live;

namespace Wallboard.Hub.Live.Screens;

/// <summary>
/// At every tick, computes each dashboard's frame and pushes what changed since the previous
/// tick to the dashboard's group. Sends are not awaited: SignalR serialises a message once per
/// group and writes it to each connection's own buffer, so a slow screen only delays itself, and
/// the tick never waits on any screen. Sends still in flight when the next tick pushes are counted.
/// </summary>
internal sealed partial class LiveBroadcaster(
    IHubContext<WallboardHub, IWallboardClient> hub,
    DashboardCatalog catalog,
    BroadcastStore broadcasts,
    ILiveFigures figures,
    AlertWebhook webhook,
    Staffing.ForecastStrip forecast,
    Names.DirectoryService directory,
    IOptions<MetricsOptions> metrics,
    Operations.WallboardMetrics counters,
    TimeProvider time,
    ILogger<LiveBroadcaster> logger) : ICoreTickSubscriber
{
    private readonly ServiceLevelFormula _defaultFormula =
        KpiOptions.TryParseFormula(metrics.Value.SlFormula, out var formula) ? formula : default;

    private readonly ConcurrentDictionary<string, Screen> _screens = new(StringComparer.Ordinal);
    private readonly Lock _tickGate = new();
    private long _pushes;
    private long _pushesBehind;
    private long _sendFailures;
    private long _alerts;

    public static string GroupOf(string dashboardId) => "dashboard:" + dashboardId;

    /// <summary>Group sends issued.</summary>
    public long Pushes => Interlocked.Read(ref _pushes);

    /// <summary>Pushes issued while an earlier push to the same dashboard was still being delivered to some screen.</summary>
    public long PushesBehind => Interlocked.Read(ref _pushesBehind);

    public long SendFailures => Interlocked.Read(ref _sendFailures);

    public long Alerts => Interlocked.Read(ref _alerts);

    /// <summary>How long the last tick took to compute every dashboard and issue the sends, in ms.</summary>
    public double LastTickMilliseconds { get; private set; }

    /// <summary>The longest tick so far, in ms.</summary>
    public double MaxTickMilliseconds { get; private set; }

    /// <summary>The full state of a dashboard for a screen that joins it; null when there is no such dashboard.</summary>
    public DashboardState? StateOf(string dashboardId)
    {
        if (!catalog.TryGet(dashboardId, out var dashboard))
        {
            return null;
        }

        // The latest frame when it is of this layout; before the first tick, one computed now.
        var frame = _screens.TryGetValue(dashboardId, out var screen) && screen.Latest is { } latest && ReferenceEquals(latest.Dashboard, dashboard)
            ? latest
            : ScreenCalculator.Compute(dashboard, Context(figures.Latest), null, BroadcastStore.For(broadcasts.Active(), dashboardId));
        return new DashboardState(frame.Dashboard, frame.Tiles, frame.Queues, frame.Agents, frame.Broadcast, ScreenCalculator.Iso(time.GetUtcNow().ToUnixTimeMilliseconds()))
        {
            NextHours = frame.NextHours,
            Waiting = frame.Waiting,
        };
    }

    /// <summary>
    /// Forgets the frames pushed, so the next tick sends every dashboard whole: in a cluster, after the
    /// backplane was away (its pushes were lost) or when this hub starts pushing in another's place.
    /// </summary>
    public void ResendAll()
    {
        foreach (var screen in _screens.Values)
        {
            screen.Latest = null;
            screen.Whole = true;
        }
    }

    public ValueTask OnTickAsync(LiveSnapshot snapshot, IntervalChanges changes, CancellationToken cancellationToken)
    {
        // The ticker never overlaps itself, but a test may tick by hand while the timer ticks.
        lock (_tickGate)
        {
            var started = time.GetTimestamp();
            Tick(snapshot);
            var elapsed = time.GetElapsedTime(started);
            counters.PushDuration(elapsed);
            LastTickMilliseconds = elapsed.TotalMilliseconds;
            MaxTickMilliseconds = Math.Max(MaxTickMilliseconds, LastTickMilliseconds);
        }

        return ValueTask.CompletedTask;
    }

    private void Tick(LiveSnapshot snapshot)
    {
        var context = Context(snapshot);
        var active = broadcasts.Active();
        var dashboards = catalog.Current;
        foreach (var id in _screens.Keys.Where(id => !dashboards.ContainsKey(id)))
        {
            _screens.TryRemove(id, out _);
        }

        foreach (var (id, dashboard) in dashboards)
        {
            var screen = _screens.GetOrAdd(id, static _ => new Screen());
            var previous = screen.Latest;
            if (previous is not null && !ReferenceEquals(previous.Dashboard, dashboard))
            {
                screen.History.KeepOnly(dashboard.Tiles.Select(tile => TileHistory.KeyOf(dashboard, tile)));
            }

            var frame = ScreenCalculator.Compute(dashboard, context, screen.History, BroadcastStore.For(active, id));
            screen.Latest = frame;
            Push(screen, id, previous, frame, snapshot.AtMs);
        }
    }

    private void Push(Screen screen, string id, ScreenFrame? previous, ScreenFrame frame, long atMs)
    {
        var group = hub.Clients.Group(GroupOf(id));
        var sameLayout = previous is not null && ReferenceEquals(previous.Dashboard, frame.Dashboard);
        if (previous is not null && !sameLayout)
        {
            Send(screen, group.layout(frame.Dashboard));
        }

        var before = sameLayout ? previous : null;
        var tiles = Changed(frame.Tiles, before?.Tiles, tile => tile.Id);
        if (tiles.Count > 0)
        {
            Send(screen, group.tiles(tiles));
        }

        var queues = Changed(frame.Queues, before?.Queues, row => row.Queue);
        if (queues.Count > 0)
        {
            Send(screen, group.queues(queues));
        }

        var agents = Changed(frame.Agents, before?.Agents, row => row.Agent);
        if (agents.Count > 0)
        {
            Send(screen, group.agents(agents));
        }

        if (before is not null)
        {
            var now = frame.Agents.Select(row => row.Agent).ToHashSet(StringComparer.Ordinal);
            var removed = before.Agents.Select(row => row.Agent).Where(agent => !now.Contains(agent)).ToList();
            if (removed.Count > 0)
            {
                Send(screen, group.agentsRemoved(removed));
            }
        }

        if (frame.Dashboard.NextHours is not null && (before is null || !before.NextHours.SequenceEqual(frame.NextHours)))
        {
            Send(screen, group.nextHours(frame.NextHours));
        }

        if (frame.Dashboard.WaitingList is not null && (before is null || !before.Waiting.SequenceEqual(frame.Waiting)))
        {
            Send(screen, group.waiting(frame.Waiting));
        }

        // Sent again whole after a resend (the screens may have missed its pushes), not on the very first tick: a screen that joins gets it.
        if (previous is not null ? previous.Broadcast != frame.Broadcast : screen.Whole && frame.Broadcast is not null)
        {
            Send(screen, group.broadcast(frame.Broadcast));
        }

        screen.Whole = false;

        if (before is null)
        {
            return;
        }

        var beforeStates = before.Tiles.ToDictionary(tile => tile.Id, tile => tile.State, StringComparer.Ordinal);
        foreach (var tile in frame.Tiles)
        {
            // Only a crossing from green or amber alerts: a tile that starts red (at start-up, on a
            // new layout, or when its first figure arrives) would otherwise alert on every restart.
            if (tile.State == "red" && beforeStates.TryGetValue(tile.Id, out var was) && was is "green" or "amber")
            {
                var alert = new AlertMessage(id, tile.Id, tile.Value, tile.Display, ScreenCalculator.Iso(atMs));
                Interlocked.Increment(ref _alerts);
                Log.TileRed(logger, id, tile.Id, tile.Display);
                Send(screen, group.alert(alert));
                webhook.Enqueue(alert);
            }
        }
    }

    private static List<T> Changed<T>(IReadOnlyList<T> now, IReadOnlyList<T>? before, Func<T, string> key)
        where T : IEquatable<T>
    {
        if (before is null)
        {
            return [.. now];
        }

        var old = new Dictionary<string, T>(before.Count, StringComparer.Ordinal);
        foreach (var item in before)
        {
            old[key(item)] = item;
        }

        return [.. now.Where(item => !old.TryGetValue(key(item), out var was) || !was.Equals(item))];
    }

    private void Send(Screen screen, Task send)
    {
        Interlocked.Increment(ref _pushes);
        if (Interlocked.Increment(ref screen.InFlight) > 1)
        {
            Interlocked.Increment(ref _pushesBehind);
        }

        if (send.IsCompleted)
        {
            Completed(send, screen);
            return;
        }

        send.ContinueWith(task => Completed(task, screen), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private void Completed(Task send, Screen screen)
    {
        Interlocked.Decrement(ref screen.InFlight);
        if (send.IsFaulted)
        {
            Interlocked.Increment(ref _sendFailures);
            Log.SendFailed(logger, send.Exception!.GetBaseException().Message);
        }
    }

    private ScreenContext Context(LiveSnapshot snapshot) => new(snapshot, _defaultFormula, forecast.Latest, directory.Current);

    private sealed class Screen
    {
        public volatile ScreenFrame? Latest;
        public int InFlight;

        /// <summary>Set by <see cref="ResendAll"/>: the next push sends everything, the broadcast too.</summary>
        public volatile bool Whole;

        /// <summary>The tiles' last fifteen minutes, for their trend arrows; touched only under the tick lock.</summary>
        public TileHistory History { get; } = new();
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 400, Level = LogLevel.Warning, Message = "Dashboard {Dashboard}: tile {Tile} turned red at {Display}")]
        public static partial void TileRed(ILogger logger, string dashboard, string tile, string display);

        [LoggerMessage(EventId = 401, Level = LogLevel.Warning, Message = "Push to screens failed: {Reason}")]
        public static partial void SendFailed(ILogger logger, string reason);
    }
}
