using Wallboard.Hub.Live.Dashboards;

namespace Wallboard.Hub.Live.Screens;

// The messages of docs/live-protocol.md. Public because the typed SignalR client proxy is emitted
// into another assembly, which can only implement a public interface over public types.

/// <summary>Server → screen calls; the method names are the protocol's message names.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Style", "IDE1006:Naming Styles", Justification = "The wire names of docs/live-protocol.md are lower-case.")]
public interface IWallboardClient
{
    Task tiles(IReadOnlyList<TileValue> tiles);

    Task queues(IReadOnlyList<QueueRow> queues);

    Task agents(IReadOnlyList<AgentRow> agents);

    Task agentsRemoved(IReadOnlyList<string> agents);

    Task broadcast(BroadcastMessage? broadcast);

    Task alert(AlertMessage alert);

    Task layout(Dashboard dashboard);

    Task nextHours(IReadOnlyList<NextHoursCell> cells);

    Task waiting(IReadOnlyList<WaitingCall> calls);
}

/// <summary>Everything a screen needs when it joins a dashboard.</summary>
public sealed record DashboardState(
    Dashboard Dashboard,
    IReadOnlyList<TileValue> Tiles,
    IReadOnlyList<QueueRow> Queues,
    IReadOnlyList<AgentRow> Agents,
    BroadcastMessage? Broadcast,
    string ServerTime)
{
    /// <summary>The "next hours" strip; empty when the dashboard has none.</summary>
    public IReadOnlyList<NextHoursCell> NextHours { get; init; } = [];

    /// <summary>The calls waiting, longest first; empty when the dashboard has no waiting list.</summary>
    public IReadOnlyList<WaitingCall> Waiting { get; init; } = [];
}

/// <summary>
/// A call waiting in one of the board's queues: its position in that queue (1 is next), the queue
/// (id and display name) and since when it waits (ISO 8601 UTC; the screen counts the wait up).
/// The caller is never sent: the engine keeps no caller number, and a wall is no place for one.
/// </summary>
public sealed record WaitingCall(string Queue, string Name, int Position, string Since);

/// <summary>
/// One step of the "next hours" strip: its local start (HH:mm), calls forecast for the board's
/// queues, agents they need and agents on the rota. <c>State</c>: red when the rota has fewer than
/// needed, green when at least as many, none when either is unknown.
/// </summary>
public sealed record NextHoursCell(string Start, double Offered, int? Required, double? Scheduled, string State);

/// <summary>One tile's value now. <c>State</c>: green, amber, red or none; <c>Trend</c>: up, down or flat.</summary>
public sealed record TileValue(string Id, double? Value, string Display, string State, string Trend, double? Target);

/// <summary>One queue of the queue table: its display name, the table's KPIs and their threshold states.</summary>
public sealed record QueueRow(string Queue, IReadOnlyDictionary<string, double?> Values, IReadOnlyDictionary<string, string> States)
{
    /// <summary>The display name from the directory; the id when it has none.</summary>
    public string Name { get; init; } = Queue;

    public bool Equals(QueueRow? other) =>
        other is not null && Queue == other.Queue && Name == other.Name && Same(Values, other.Values) && Same(States, other.States);

    public override int GetHashCode() => Queue.GetHashCode(StringComparison.Ordinal);

    private static bool Same<T>(IReadOnlyDictionary<string, T> a, IReadOnlyDictionary<string, T> b) =>
        a.Count == b.Count && a.All(pair => b.TryGetValue(pair.Key, out var value) && EqualityComparer<T>.Default.Equals(pair.Value, value));
}

/// <summary>One agent on the board. No caller number ever appears here.</summary>
public sealed record AgentRow(string Agent, string Name, string? Team, string Status, string Since, string? PauseReason, long Handled)
{
    /// <summary>Adherence to today's rota so far (docs/staffing.md); null without a rota today.</summary>
    public double? Adherence { get; init; }

    /// <summary>The display name of the queue of the call the agent is on or wrapping up; null otherwise.</summary>
    public string? Queue { get; init; }

    /// <summary>The display name of the team (the directory's); null without a team.</summary>
    public string? TeamName { get; init; }

    /// <summary>Outbound attempts today.</summary>
    public long Attempts { get; init; }

    /// <summary>Outbound attempts today that a person answered.</summary>
    public long Connected { get; init; }

    /// <summary>Conversions (sales) today.</summary>
    public long Conversions { get; init; }
}

/// <summary>A supervisor's message scrolling on the screens of some dashboards until it expires.</summary>
public sealed record BroadcastMessage(string Id, string Text, string Expires, string Severity);

/// <summary>A tile crossed into red.</summary>
public sealed record AlertMessage(string DashboardId, string TileId, double? Value, string Display, string At);
