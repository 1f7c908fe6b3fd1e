using System.Diagnostics;
using Wallboard.Tests.Durability;
using Xunit.Abstractions;

namespace Wallboard.Tests.Cluster;

/// <summary>
/// Two hubs as the published server runs them (separate processes) on one Redis and one PostgreSQL,
/// a recorded day posted to both in batches; the hub that runs the partition's core is killed with
/// SIGKILL in the middle. The other must take the core over within 10 s, and at the end the
/// partition's live figures and its stored history (PostgreSQL) must equal <c>wallboard kpi</c>
/// over every line: nothing lost, nothing counted twice (docs/cluster.md).
/// </summary>
[Collection(ClusterGroup.Name)]
public sealed class FailoverTests(ClusterServersFixture servers, ITestOutputHelper output)
{
    private const int Seed = 20261206;
    private static readonly TimeSpan TakeOverTarget = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task AfterTheCoresHubIsKilledTheOtherTakesOverWithinTenSecondsAndTheFiguresEqualKpi()
    {
        var day = RecordedDay.Make(TimeProvider.System.GetUtcNow(), Seed, TimeSpan.FromMinutes(10));
        await using var cluster = await HubProcesses.CreateAsync(servers, output);
        await HubProcesses.WaitAsync(await cluster.StartAsync(0, day.Zone), HubProcesses.RunsAsync, "hub a to run the core");
        await cluster.StartAsync(1, day.Zone);

        var fed = Stopwatch.StartNew();
        var killAt = day.Chunks.Count * 2 / 5;
        var killed = new TaskCompletionSource<(int Owner, long At)>(TaskCreationOptions.RunContinuationsAsynchronously);
        var feeding = cluster.FeedAsync(day, async chunk =>
        {
            if (chunk == killAt)
            {
                // Mid-day, the feed going on: the hub that runs the core dies at once.
                var owner = await HubProcesses.RunsAsync(cluster.Hubs[0]!) ? 0 : 1;
                Assert.True(await HubProcesses.RunsAsync(cluster.Hubs[owner]!), "one of the hubs runs the core");
                // Timed from the signal: waiting for the process to be gone is part of the takeover.
                var at = Stopwatch.GetTimestamp();
                cluster.Hubs[owner]!.Kill();
                killed.SetResult((owner, at));
            }
        });

        var (owner, at) = await killed.Task.WaitAsync(TimeSpan.FromSeconds(120));
        var survivor = cluster.Hubs[1 - owner]!;
        var (ownerName, survivorName) = (HubProcesses.NodeName(owner), HubProcesses.NodeName(1 - owner));
        await HubProcesses.WaitAsync(survivor, HubProcesses.RunsAsync, $"hub {survivorName} to take the core over");
        var running = Stopwatch.GetElapsedTime(at);
        await HubProcesses.WaitAsync(survivor, async hub => await HubProcesses.PublishedByAsync(hub) == survivorName, $"hub {survivorName}'s figures");
        var publishing = Stopwatch.GetElapsedTime(at);
        var takeOver = (await HubProcesses.RunningAsync(survivor))!.Value.GetProperty("takeOverMilliseconds").GetDouble();
        output.WriteLine(
            $"takeover after kill -9 of hub {ownerName} at chunk {killAt} of {day.Chunks.Count}: core running on hub {survivorName} after {running.TotalSeconds:0.00} s "
            + $"(restoring its checkpoint and replaying the stream took {takeOver:0} ms), its figures published after {publishing.TotalSeconds:0.00} s");
        Assert.True(running < TakeOverTarget, $"the core ran again only {running.TotalSeconds:0.0} s after the kill");
        Assert.True(publishing < TakeOverTarget, $"the partition's figures came again only {publishing.TotalSeconds:0.0} s after the kill");

        // A generous bound: on a machine shared with other builds the day takes 15–60 s to post.
        await feeding.WaitAsync(TimeSpan.FromMinutes(5));
        output.WriteLine($"the day posted in {fed.Elapsed.TotalSeconds:0} s");
        await cluster.WaitCaughtUpAsync(survivor);
        await cluster.AssertFiguresEqualKpiAsync(survivor, day);

        // The killed hub, started again, stands by (the core stays where it is) and serves the same figures.
        var restarted = await cluster.StartAsync(owner, day.Zone);
        await HubProcesses.WaitAsync(restarted, async hub => await HubProcesses.PublishedByAsync(hub) == survivorName, $"restarted hub {ownerName} to read the figures");
        Assert.False(await HubProcesses.RunsAsync(restarted));
        Assert.Equal(await survivor.GetStringAsync("api/live/queues?limit=10000"), await restarted.GetStringAsync("api/live/queues?limit=10000"));
    }
}
