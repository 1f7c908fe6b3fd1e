using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Wallboard.Hub.Durability;
using Wallboard.Hub.History;
using Wallboard.Hub.Hosting;
using Wallboard.Hub.Live.Screens;
using Wallboard.Ingest.Model;
using Wallboard.Metrics.History;
using Wallboard.Tests.Live;
using static Wallboard.Tests.Live.LiveServer;

namespace Wallboard.Tests.Durability;

/// <summary>Nothing one event or one store does can stop the core or the screens.</summary>
public sealed class CoreSafetyTests : IDisposable
{
    private static readonly long Nine = new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();

    private readonly string _dir = Directory.CreateTempSubdirectory("wallboard-safety-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task AnEventThatThrowsIsQuarantinedWithItsReasonAndTheOthersCount()
    {
        // The middle event has no agent at all (null, which no parser makes): the engine throws on it.
        var file = Path.Combine(_dir, "dead-letters.ndjson");
        var core = new MetricsCore(Options.Create(new MetricsOptions { TimeZone = "UTC" }), null, new DeadLetters(file, 1 << 20, TimeProvider.System));
        core.Apply(
        [
            new ContactEvent { Kind = ContactEventKind.CallQueued, UnixTimeMs = Nine, CallId = "c1", Queue = "sales", Agent = "" },
            new ContactEvent { Kind = ContactEventKind.AgentLoggedIn, UnixTimeMs = Nine + 1_000, CallId = "", Queue = "", Agent = null! },
            new ContactEvent { Kind = ContactEventKind.CallAbandoned, UnixTimeMs = Nine + 30_000, CallId = "c1", Queue = "sales", Agent = "", WaitMs = 30_000 },
        ]);
        var (_, changes) = core.Tick(Nine + 60_000);

        Assert.Equal(1, core.Quarantined);
        var change = Assert.Single(changes.Queues);
        Assert.Equal((1L, 1L), (change.Counters.Offered, change.Counters.Abandoned));
        var line = Assert.Single(await File.ReadAllLinesAsync(file));
        Assert.Contains("\"reason\":\"NullReferenceException:", line, StringComparison.Ordinal);
        Assert.Contains("\"kind\":\"AgentLoggedIn\"", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AHistoryStoreThatHangsDoesNotHoldUpTheScreens()
    {
        // InfluxDB stopped with SIGSTOP froze pushes for 3–10 s: the write shared the tick.
        var hung = new HungStore();
        var server = await StartAsync(null, builder => builder.Services.AddSingleton<IKpiHistoryStore>(hung), ("sales.json", TestDashboards.Sales));
        try
        {
            await using var screen = await server.ConnectAsync();
            await screen.JoinAsync("sales-floor");
            // c0's abandon changes a history interval, so the first tick starts a write; c1 waits.
            await server.PostQueueLogAsync(Lines(
                QueueLog(90, "c0", "sales", "NONE", "ENTERQUEUE", "", "0", "1"),
                QueueLog(80, "c0", "sales", "NONE", "ABANDON", "1", "1", "10"),
                QueueLog(60, "c1", "sales", "NONE", "ENTERQUEUE", "", "1", "1")));
            await server.TickAsync().WaitAsync(LiveServer.Timeout);
            await hung.Entered.Task.WaitAsync(LiveServer.Timeout);

            await server.PostQueueLogAsync(Lines(QueueLog(30, "c2", "sales", "NONE", "ENTERQUEUE", "", "2", "1")));
            server.Time.Advance(TimeSpan.FromSeconds(1));
            await server.TickAsync().WaitAsync(LiveServer.Timeout);

            TileValue[] tiles;
            do
            {
                tiles = await ScreenClient.NextAsync(screen.Tiles);
            }
            while (!tiles.Any(tile => tile.Id == "waiting" && tile.Value == 2));

            Assert.False(server.Service<HistoryTickWriter>().Writing.IsCompleted);
        }
        finally
        {
            hung.Release.TrySetResult();
            await server.DisposeAsync();
        }
    }

    /// <summary>A history store whose writes wait until released, as a stopped InfluxDB does until its timeout.</summary>
    private sealed class HungStore : IKpiHistoryStore
    {
        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async Task WriteAsync(IReadOnlyList<HistoryPoint> points, long? writtenUpToMs, CancellationToken cancellationToken = default)
        {
            Entered.TrySetResult();
            await Release.Task.WaitAsync(cancellationToken);
        }

        public Task<IReadOnlyList<HistoryPoint>> QueryAsync(HistoryKind kind, IReadOnlyCollection<string>? ids, long fromMs, long toMs, CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyList<HistoryPoint>>([]);

        public Task<long?> GetWrittenUpToAsync(CancellationToken cancellationToken = default) => Task.FromResult<long?>(null);
    }
}
