using System.Collections.Immutable;

namespace Wallboard.Hub.Live.Screens;

/// <summary>A supervisor's broadcast as kept by the server.</summary>
internal sealed record SupervisorBroadcast(string Id, string Text, IReadOnlyList<string> Dashboards, DateTimeOffset Expires, string Severity)
{
    public bool Targets(string dashboardId) => Dashboards.Count == 0 || Dashboards.Contains(dashboardId, StringComparer.Ordinal);

    public BroadcastMessage ToMessage() => new(Id, Text, ScreenCalculator.Iso(Expires.ToUnixTimeMilliseconds()), Severity);
}

/// <summary>
/// The broadcasts in force. Each dashboard shows the newest unexpired broadcast aimed at it;
/// expiry is read from the injected clock at every tick, and expired ones are forgotten.
/// </summary>
internal sealed class BroadcastStore(TimeProvider time)
{
    private ImmutableList<SupervisorBroadcast> _active = [];

    /// <summary>Raised when a supervisor adds a broadcast on this server (a cluster shares it with the other hubs).</summary>
    public event Action<SupervisorBroadcast>? Added;

    /// <summary>Raised when a supervisor removes a broadcast on this server.</summary>
    public event Action<string>? Removed;

    public SupervisorBroadcast Add(string text, IReadOnlyList<string> dashboards, TimeSpan lifetime, string severity)
    {
        var broadcast = new SupervisorBroadcast(Guid.NewGuid().ToString("N"), text, dashboards, time.GetUtcNow() + lifetime, severity);
        Take(broadcast);
        Added?.Invoke(broadcast);
        return broadcast;
    }

    public bool Remove(string id)
    {
        var removed = Forget(id);
        if (removed)
        {
            Removed?.Invoke(id);
        }

        return removed;
    }

    /// <summary>Keeps a broadcast added elsewhere (another hub of a cluster), once.</summary>
    public void Take(SupervisorBroadcast broadcast) =>
        ImmutableInterlocked.Update(ref _active, list => list.Exists(held => held.Id == broadcast.Id) ? list : list.Add(broadcast));

    /// <summary>Drops a broadcast removed elsewhere; whether it was held.</summary>
    public bool Forget(string id) =>
        ImmutableInterlocked.Update(ref _active, list => list.RemoveAll(broadcast => broadcast.Id == id));

    /// <summary>The broadcasts still in force (expired ones are dropped).</summary>
    public IReadOnlyList<SupervisorBroadcast> Active()
    {
        var now = time.GetUtcNow();
        ImmutableInterlocked.Update(ref _active, list => list.RemoveAll(broadcast => broadcast.Expires <= now));
        return Volatile.Read(ref _active);
    }

    /// <summary>The newest broadcast in force for a dashboard.</summary>
    public static BroadcastMessage? For(IReadOnlyList<SupervisorBroadcast> active, string dashboardId)
    {
        for (var i = active.Count - 1; i >= 0; i--)
        {
            if (active[i].Targets(dashboardId))
            {
                return active[i].ToMessage();
            }
        }

        return null;
    }
}
