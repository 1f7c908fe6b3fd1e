using Wallboard.Hub.Cli;
using Wallboard.Hub.Cluster;
using Wallboard.Metrics;
using Wallboard.Metrics.Counters;
using Wallboard.Metrics.Engine;
using Wallboard.Metrics.Live;

namespace Wallboard.Tests.Cluster;

/// <summary>How a hub merges the partitions' figures, and what the Cluster section refuses at start.</summary>
public sealed class ClusterViewTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("wallboard-cluster-config-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void DistinctNamesSitSideBySideAndANameInTwoPartitionsIsSummedAndReported()
    {
        // Beijing at 10:00:10 — queue sales: 2 waiting (arrived at 100 and 300), longest 40 s; today offered 5,
        // answered 4, longest answered wait 30 s. Agent 1001 available for 30 s.
        var beijing = new LiveSnapshot(
            10_000,
            [new LiveQueueFigures("sales", ServiceLevelFormula.Offered, 2, 40, Today(new QueueCounters { Offered = 5, Answered = 4, MaxWaitMs = 30_000 })) { WaitingArrivals = [100, 300], AgentsStaffed = 3 }],
            [new LiveAgentFigures("1001", AgentStatus.Available, 30, null, ["sales"], Today(new AgentCounters { Answered = 4 }))],
            []);
        // Shanghai, its figures a second older — sales: 1 waiting (arrived at 200), longest 55 s; offered 3,
        // answered 3, longest answered wait 50 s; queue support alone. Agent 1001 on a sales call for 5 s
        // (6 s at Beijing's instant: the later state), also in support.
        var shanghai = new LiveSnapshot(
            9_000,
            [
                new LiveQueueFigures("sales", ServiceLevelFormula.Offered, 1, 55, Today(new QueueCounters { Offered = 3, Answered = 3, MaxWaitMs = 50_000 })) { WaitingArrivals = [200], AgentsStaffed = 2 },
                new LiveQueueFigures("support", ServiceLevelFormula.Offered, 0, null, Today(new QueueCounters { Offered = 1 })),
            ],
            [new LiveAgentFigures("1001", AgentStatus.OnCall, 5, null, ["support", "sales"], Today(new AgentCounters { Answered = 2 })) { CurrentQueue = "sales" }],
            []);

        var (merged, shared) = ClusterView.Merge([beijing, shanghai]);

        Assert.Equal(10_000, merged.AtMs);
        Assert.Equal(["sales", "support"], merged.Queues.Select(queue => queue.Queue));
        var sales = merged.Queues[0];
        Assert.Equal((3, 55.0, 5), (sales.Waiting, sales.LongestWaitSeconds!.Value, sales.AgentsStaffed));
        Assert.Equal([100L, 200L, 300L], sales.WaitingArrivals);
        Assert.Equal((8L, 7L, 50_000L), (sales.Windows[LiveWindow.Today].Offered, sales.Windows[LiveWindow.Today].Answered, sales.Windows[LiveWindow.Today].MaxWaitMs));
        var agent = Assert.Single(merged.Agents);
        Assert.Equal((AgentStatus.OnCall, 6.0, "sales", 6L), (agent.Status, agent.SecondsInStatus, agent.CurrentQueue, agent.Windows[LiveWindow.Today].Answered));
        Assert.Equal(["sales", "support"], agent.Queues.Order(StringComparer.Ordinal));
        Assert.Equal(["queue sales", "agent 1001"], shared);
    }

    [Fact]
    public void OnePartitionsFiguresAreServedAsTheyAre()
    {
        var only = new LiveSnapshot(5, [new LiveQueueFigures("sales", ServiceLevelFormula.Offered, 1, 3, Today(new QueueCounters { Offered = 1 }))], [], []);

        var (merged, shared) = ClusterView.Merge([only]);

        Assert.Same(only, merged);
        Assert.Empty(shared);
    }

    [Fact]
    public async Task ServeRefusesAClusterSectionThatIsIncompleteOrWrongNamingEachKey()
    {
        var errors = new StringWriter();
        var exit = await WallboardCommandLine.InvokeAsync(
            [
                "serve", "--urls", "http://127.0.0.1:0", "--Storage:DataPath=" + Path.Combine(_root, "data"), "--Logging:LogLevel:Default=None",
                "--Cluster:Redis=127.0.0.1:6379", "--Cluster:Name=floor 2", "--Cluster:Partitions:0=beijing", "--Cluster:Partitions:1=beijing",
                "--Cluster:Partition=shanghai", "--Sources:Demo=true",
            ],
            new System.CommandLine.InvocationConfiguration { Output = new StringWriter(), Error = errors }).WaitAsync(TimeSpan.FromSeconds(60));

        var lines = errors.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(2, exit);
        Assert.Contains(lines, line => line.StartsWith("wallboard: configuration: Cluster:PostgreSql is required with Cluster:Redis", StringComparison.Ordinal));
        Assert.Contains("wallboard: configuration: Cluster:Name must be 1–64 letters, digits, '-' or '_' (it prefixes Redis keys), got 'floor 2'", lines);
        Assert.Contains("wallboard: configuration: Cluster:Partitions:1 'beijing' is listed twice", lines);
        Assert.Contains("wallboard: configuration: Cluster:Partition 'shanghai' is not one of Cluster:Partitions (beijing, beijing)", lines);
        Assert.Contains(lines, line => line.StartsWith("wallboard: configuration: Sources:Demo: the demo simulator runs on a single server only", StringComparison.Ordinal));
    }

    private static Dictionary<LiveWindow, T> Today<T>(T counters)
        where T : struct => new() { [LiveWindow.Today] = counters };
}
