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
    NextHours? NextHours = null)
{
    /// <summary>The list of calls waiting in the board's queues; null when the board has none.</summary>
    public WaitingList? WaitingList { get; init; }

    /// <summary>Other dashboards shown in turn; null for a board that shows figures itself.</summary>
    public Rotation? Rotation { get; init; }
}

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
    Thresholds? Thresholds)
{
    /// <summary><c>small</c> (one cell), <c>medium</c> (two rows high) or <c>large</c> (two rows, two columns): the figures that matter most are the largest.</summary>
    public string Size { get; init; } = TileSizes.Small;
}

/// <summary>The tile sizes a layout may give.</summary>
public static class TileSizes
{
    public const string Small = "small";
    public const string Medium = "medium";
    public const string Large = "large";
}

/// <summary>Colour bands: <c>above</c> is red when value ≥ red, amber when ≥ amber; <c>below</c> the mirror.</summary>
public sealed record Thresholds(string Direction, double? Amber, double? Red);

/// <summary>
/// The queue table: one row per board queue, these KPIs over this window. <c>Thresholds</c> holds
/// every KPI of the table that has bands: the table's own, else the board's first tile of that KPI,
/// else the product's default (<see cref="KpiCatalog.DefaultThresholds"/>).
/// </summary>
public sealed record QueueTable(string Window, IReadOnlyList<string> Kpis)
{
    public IReadOnlyDictionary<string, Thresholds> Thresholds { get; init; } = new Dictionary<string, Thresholds>();
}

/// <summary>
/// The agent board: agents of these teams (or, with no team, of the board's queues) in these
/// states. Time in a state turns amber, then red, at <c>Thresholds</c> (seconds, per state; a pause
/// reason may have its own); <c>Figures</c> are today's counts shown per agent. When not all agents
/// fit (<c>Overflow</c>), the screen either pages through the teams, <c>PageSeconds</c> a page
/// (<c>pages</c>), or shows the agents nearest a threshold and counts the rest (<c>priority</c>).
/// </summary>
public sealed record AgentBoard(IReadOnlyList<string> Teams, IReadOnlyList<string> States)
{
    public IReadOnlyDictionary<string, Thresholds> Thresholds { get; init; } = new Dictionary<string, Thresholds>();

    public IReadOnlyDictionary<string, Thresholds> PauseReasons { get; init; } = new Dictionary<string, Thresholds>();

    public IReadOnlyList<string> Figures { get; init; } = ["handled"];

    public int PageSeconds { get; init; } = 10;

    public string Overflow { get; init; } = AgentOverflow.Pages;
}

/// <summary>What an agent board does with more agents than fit: <c>pages</c> or <c>priority</c>.</summary>
public static class AgentOverflow
{
    public const string Pages = "pages";
    public const string Priority = "priority";
}

/// <summary>The calls waiting in the board's queues, longest first, at most <c>Max</c>; waits coloured by <c>Thresholds</c> (of the longest wait).</summary>
public sealed record WaitingList(int Max, Thresholds? Thresholds);

/// <summary>Dashboards shown in turn, <c>Seconds</c> each.</summary>
public sealed record Rotation(int Seconds, IReadOnlyList<string> Pages);

/// <summary>The "next hours" strip: the board's queues forecast for the coming hours, agents required beside those on the rota.</summary>
public sealed record NextHours(int Hours, int StepMinutes);
