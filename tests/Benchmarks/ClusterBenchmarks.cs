using BenchmarkDotNet.Attributes;
using Wallboard.Hub.Cluster;
using Wallboard.Metrics;
using Wallboard.Metrics.Counters;
using Wallboard.Metrics.Engine;
using Wallboard.Metrics.Live;

namespace Wallboard.Benchmarks;

/// <summary>
/// What a cluster adds to each tick (docs/cluster.md): a partition's core encodes its figures for
/// Redis, every hub decodes them and merges the partitions. The figures of a large site: 50 queues
/// with calls waiting, 1,200 agents and 10 campaigns, every window's counters non-zero (the worst
/// case for leaving zeros out). Its size on the wire is printed at setup.
/// </summary>
[MemoryDiagnoser]
public class ClusterBenchmarks
{
    private PartitionSnapshot _published = null!;
    private byte[] _bytes = [];
    private LiveSnapshot[] _two = [];

    [GlobalSetup]
    public void Setup()
    {
        var atMs = new DateTimeOffset(2026, 5, 4, 2, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
        var windows = Enum.GetValues<LiveWindow>();
        var queues = Enumerable.Range(0, 50).Select(q => new LiveQueueFigures(
            "queue-" + q,
            ServiceLevelFormula.Offered,
            q % 7,
            q % 7 == 0 ? null : 20 + q,
            windows.ToDictionary(window => window, window => new QueueCounters { Offered = 400 + q, Answered = 380, AnsweredWithinSl = 330, Abandoned = 20, ShortAbandoned = 4, Handled = 370, TalkMs = 370 * 240_000L, HoldMs = 9_000_000, WrapUpMs = 12_000_000, AnsweredWaitMs = 380 * 9_000L, MaxWaitMs = 95_000, RingKnown = 380, AnsweredWithinRings = 300 }))
        {
            WaitingArrivals = [.. Enumerable.Range(0, q % 7).Select(i => atMs - (i * 9_000L))],
            AgentsStaffed = 24,
            AgentsAvailable = 3,
            Name = "队列 " + q,
            Team = "team-" + (q % 5),
        }).ToList();
        var agents = Enumerable.Range(0, 1_200).Select(a => new LiveAgentFigures(
            "PJSIP/" + (2001 + a),
            (AgentStatus)(1 + (a % 5)),
            30 + (a * 7 % 900),
            a % 5 == 4 ? "小休" : null,
            ["queue-" + (a % 50), "queue-" + ((a + 1) % 50)],
            windows.ToDictionary(window => window, _ => new AgentCounters { Answered = 20, Handled = 19, TalkMs = 4_560_000, HoldMs = 120_000, WrapUpMs = 600_000, LoginMs = 3_600_000, PauseMs = 300_000 }))
        {
            Name = "坐席" + a,
            Team = "team-" + (a % 40),
            CurrentQueue = a % 5 == 2 ? "queue-" + (a % 50) : null,
        }).ToList();
        var campaigns = Enumerable.Range(0, 10).Select(c => new LiveCampaignFigures(
            "campaign-" + c,
            windows.ToDictionary(window => window, _ => new CampaignCounters { Attempts = 900, Connected = 400, NoAnswer = 300, Busy = 100, Failed = 100, TalkMs = 40_000_000, Contacts = 380, Conversions = 60 }))).ToList();
        var snapshot = new LiveSnapshot(atMs, queues, agents, campaigns);
        _published = new PartitionSnapshot("beijing", "hub-a", "1764900000000-0", 1_000_000, snapshot);
        _bytes = SnapshotCodec.Encode(_published);
        Console.WriteLine($"// a 50-queue, 1,200-agent partition's figures: {_bytes.Length:N0} bytes in Redis");
        _two =
        [
            snapshot with { Agents = agents[..600] },
            snapshot with { Queues = [.. queues.Select(queue => queue with { Queue = "sh-" + queue.Queue })], Agents = agents[600..], Campaigns = [] },
        ];
    }

    [Benchmark]
    public byte[] Encode() => SnapshotCodec.Encode(_published);

    [Benchmark]
    public LiveSnapshot Decode() => SnapshotCodec.Decode(_bytes).Snapshot;

    /// <summary>Two partitions of 600 agents and 50 queues each, merged into the figures every hub serves.</summary>
    [Benchmark]
    public LiveSnapshot MergeTwoPartitions() => ClusterView.Merge(_two).Snapshot;
}
