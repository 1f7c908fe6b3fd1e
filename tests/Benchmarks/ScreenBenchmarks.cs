using BenchmarkDotNet.Attributes;
using Wallboard.Hub.Live.Dashboards;
using Wallboard.Hub.Live.Screens;
using Wallboard.Metrics;
using Wallboard.Metrics.Counters;
using Wallboard.Metrics.Engine;
using Wallboard.Metrics.Live;

namespace Wallboard.Benchmarks;

/// <summary>
/// One tick of one screen: the frame of a shipped layout (tiles with their fifteen-minute trend
/// history, queue rows, waiting calls, agent rows) from a snapshot of 3 queues with 10 calls
/// waiting each and 210 agents, what the broadcaster computes for every dashboard once a second.
/// </summary>
[MemoryDiagnoser]
public class ScreenBenchmarks
{
    private const int Agents = 210;
    private static readonly string[] QueueIds = ["sales", "support", "vip"];
    private static readonly string[] CampaignIds = ["sales-q4", "callback"];

    private Dashboard _dashboard = null!;
    private ScreenContext _context = null!;
    private TileHistory _history = null!;

    [Params("inbound-floor", "floor-agents")]
    public string Layout { get; set; } = "inbound-floor";

    [GlobalSetup]
    public void Setup()
    {
        var file = Path.Combine(AppContext.BaseDirectory, "dashboards", Layout + ".json");
        _dashboard = DashboardParser.Parse(file, File.ReadAllText(file), out var errors) ?? throw new InvalidOperationException(string.Join("; ", errors));
        var atMs = new DateTimeOffset(2026, 5, 4, 2, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
        var windows = Enum.GetValues<LiveWindow>();
        var queues = QueueIds.Select((queue, q) => new LiveQueueFigures(
            queue,
            ServiceLevelFormula.Offered,
            10,
            70,
            windows.ToDictionary(window => window, _ => new QueueCounters { Offered = 400, Answered = 380, AnsweredWithinSl = 330, Handled = 370, TalkMs = 370 * 240_000L, AnsweredWaitMs = 380 * 9_000L }))
        {
            WaitingArrivals = [.. Enumerable.Range(0, 10).Select(i => atMs - ((70 - (i * 7)) * 1000L))],
            AgentsStaffed = 60,
            AgentsAvailable = 10,
            Name = queue,
        }).ToList();
        var statuses = new[] { AgentStatus.OnCall, AgentStatus.OnCall, AgentStatus.Available, AgentStatus.WrapUp, AgentStatus.Paused, AgentStatus.Ringing };
        var agents = Enumerable.Range(0, Agents).Select(a => new LiveAgentFigures(
            "Agent/" + (2001 + a),
            statuses[a % statuses.Length],
            30 + (a * 7 % 900),
            a % statuses.Length == 4 ? "小休" : null,
            [QueueIds[a % 3]],
            windows.ToDictionary(window => window, _ => new AgentCounters { Answered = 20, Handled = 19, LoginMs = 3_600_000 }))
        {
            Name = "坐席" + a,
            Team = a < 70 ? "team-sales" : a < 170 ? "team-support" : "team-outbound",
            CurrentQueue = QueueIds[a % 3],
        }).ToList();
        var campaigns = CampaignIds.Select(campaign => new LiveCampaignFigures(
            campaign,
            windows.ToDictionary(window => window, _ => new CampaignCounters { Attempts = 300, Connected = 100, Contacts = 90, Conversions = 12 }))).ToList();
        _context = new ScreenContext(new LiveSnapshot(atMs, queues, agents, campaigns), ServiceLevelFormula.Offered);
        _history = new TileHistory();
    }

    /// <summary>The figures stay the same from tick to tick, so the history keeps one value a tile, as on a quiet board.</summary>
    [Benchmark]
    public int Tick()
    {
        var frame = ScreenCalculator.Compute(_dashboard, _context, _history, null);
        return frame.Tiles.Count + frame.Agents.Count + frame.Waiting.Count;
    }
}
