using System.Diagnostics;
using Wallboard.Tests.Durability;
using Xunit.Abstractions;

namespace Wallboard.Tests.Cluster;

/// <summary>
/// Redis killed (SIGKILL) and started again in the middle of a recorded day posted to two hubs:
/// while it is away ingest answers 503 with Retry-After (the batch was not taken), the sender sends
/// the batch again with its Idempotency-Key, and at the end the figures and history equal
/// <c>wallboard kpi</c> over every line — no event lost, none counted twice (docs/cluster.md).
/// </summary>
[Collection(ClusterGroup.Name)]
public sealed class RedisRestartTests(ClusterServersFixture servers, ITestOutputHelper output)
{
    private const int Seed = 20261207;

    [Fact]
    public async Task WhileRedisIsAwayIngestAnswers503AndEveryBatchSentAgainIsCountedOnce()
    {
        // A Redis of this test's own, to kill: its append-only file is fsynced at every write.
        await using var redis = await RedisServer.StartAsync();
        var day = RecordedDay.Make(TimeProvider.System.GetUtcNow(), Seed, TimeSpan.FromMinutes(15));
        await using var cluster = await HubProcesses.CreateAsync(servers, output, redis.Configuration);
        var a = await cluster.StartAsync(0, day.Zone);
        await HubProcesses.WaitAsync(a, HubProcesses.RunsAsync, "hub a to run the core");
        var b = await cluster.StartAsync(1, day.Zone);

        var downAt = day.Chunks.Count / 3;
        Task? outage = null;
        await cluster.FeedAsync(day, chunk =>
        {
            if (chunk == downAt)
            {
                outage = OutageAsync();
            }

            return Task.CompletedTask;
        });

        async Task OutageAsync()
        {
            await redis.KillAsync();
            var down = Stopwatch.GetTimestamp();
            // The feed goes on meanwhile: its batches are refused until Redis is back.
            await HubProcesses.WaitAsync(a, async hub => a.ToldToRetry + b.ToldToRetry >= 20, "ingest to answer 503 while Redis is away");
            using (var health = await a.HealthAsync())
            {
                Assert.Equal("unhealthy", health.RootElement.GetProperty("status").GetString());
                Assert.Contains(health.RootElement.GetProperty("problems").EnumerateArray(), problem => problem.GetString()!.StartsWith("cluster: Redis is not connected", StringComparison.Ordinal));
            }

            await redis.StartAgainAsync();
            output.WriteLine($"Redis away for {Stopwatch.GetElapsedTime(down).TotalSeconds:0.0} s; {a.ToldToRetry + b.ToldToRetry} batches answered 503 meanwhile");
        }

        Assert.NotNull(outage);
        await outage;
        Assert.True(a.ToldToRetry + b.ToldToRetry >= 20);
        var owner = await HubProcesses.RunsAsync(a) ? a : b;
        await cluster.WaitCaughtUpAsync(owner);
        await cluster.AssertFiguresEqualKpiAsync(owner, day);
        using var after = await b.HealthAsync();
        Assert.True(after.RootElement.GetProperty("cluster").GetProperty("redis").GetBoolean());
    }
}
