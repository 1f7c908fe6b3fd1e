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

    public SupervisorBroadcast Add(string text, IReadOnlyList<string> dashboards, TimeSpan lifetime, string severity)
    {
        var broadcast = new SupervisorBroadcast(Guid.NewGuid().ToString("N"), text, dashboards, time.GetUtcNow() + lifetime, severity);
        ImmutableInterlocked.Update(ref _active, list => list.Add(broadcast));
        return broadcast;
    }

    public bool Remove(string id) =>
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
