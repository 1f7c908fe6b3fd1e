namespace Wallboard.Hub.Live.Dashboards;

/// <summary>A wallboard layout (one file of <c>dashboards/</c>), as docs/live-protocol.md describes it.</summary>
public sealed record Dashboard(
    string Id,
    IReadOnlyDictionary<string, string> Name,
    string? Language,
    IReadOnlyList<string> Queues,
    IReadOnlyDictionary<string, IReadOnlyList<string>> Groups,
    IReadOnlyList<string> Campaigns,
    IReadOnlyList<Tile> Tiles,
    QueueTable? QueueTable,
    AgentBoard? AgentBoard,
    NextHours? NextHours = null);

/// <summary>One big number: a KPI over a window over some queues (or groups) or campaigns.</summary>
public sealed record Tile(
    string Id,
    IReadOnlyDictionary<string, string> Title,
    string Kpi,
    string Window,
    IReadOnlyList<string>? Queues,
    IReadOnlyList<string>? Campaigns,
    string Format,
    double? Target,
    Thresholds? Thresholds);

/// <summary>Colour bands: <c>above</c> is red when value ≥ red, amber when ≥ amber; <c>below</c> the mirror.</summary>
public sealed record Thresholds(string Direction, double? Amber, double? Red);

/// <summary>The queue table: one row per board queue, these KPIs over this window.</summary>
public sealed record QueueTable(string Window, IReadOnlyList<string> Kpis);

/// <summary>The agent board: agents of these teams (or, with no team, of the board's queues) in these states.</summary>
public sealed record AgentBoard(IReadOnlyList<string> Teams, IReadOnlyList<string> States);

/// <summary>The "next hours" strip: the board's queues forecast for the coming hours, agents required beside those on the rota.</summary>
public sealed record NextHours(int Hours, int StepMinutes);
