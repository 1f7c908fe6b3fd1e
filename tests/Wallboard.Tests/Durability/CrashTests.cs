using System.Globalization;
using Xunit.Abstractions;

namespace Wallboard.Tests.Durability;

/// <summary>
/// The published server as an operator runs it — a separate process, a tailed queue_log, HTTP
/// ingest, the default SQLite history — killed with SIGKILL at seeded random moments (some of them
/// in the middle of writing its checkpoint) and stopped with SIGTERM, restarted each time, while a
/// recorded day is fed in. At the end its history and its live figures must equal
/// <c>wallboard kpi</c> over the same input: nothing lost, nothing counted twice.
/// </summary>
public sealed class CrashTests(ITestOutputHelper output) : IDisposable
{
    private const int Seed = 20261205;
    private const int Lives = 25;
    private static readonly TimeSpan ChunkSpan = TimeSpan.FromMinutes(10);

    private readonly string _dir = Directory.CreateTempSubdirectory("wallboard-crash-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task AfterKillsAtRandomMomentsHistoryAndLiveEqualKpiOverTheSameInput()
    {
        var day = RecordedDay.Make(TimeProvider.System.GetUtcNow(), Seed, ChunkSpan);
        var tailed = Path.Combine(_dir, "queue_log");
        await File.WriteAllTextAsync(tailed, string.Empty);
        var random = new Random(Seed);
        var (appended, posted) = (0, 0);
        var (killed, killedMidWrite, terminated) = (0, 0, 0);

        // The day is spread over the lives, so that every one of them is killed while it is being fed.
        var perLife = (day.Chunks.Count / Lives) + 1;
        for (var life = 0; life < Lives; life++)
        {
            var quota = Math.Min(day.Chunks.Count, posted + perLife);
            // Every fourth life writes its checkpoints with a pause half-way, and is killed inside one.
            var midWrite = life % 4 == 2;
            var stopped = life is 8 or 17;
            await using var server = await StartAsync(_dir, day.Zone, tailed, midWrite ? 400 : 0, output);
            using var feeding = new CancellationTokenSource();
            var feeder = Task.Run(async () =>
            {
                while (posted < quota && !feeding.IsCancellationRequested)
                {
                    if (appended == posted)
                    {
                        await File.AppendAllTextAsync(tailed, day.Chunks[appended].QueueLog, CancellationToken.None);
                        appended++;
                    }

                    if (await server.PostEventsAsync(day.Chunks[posted].Events, "chunk-" + posted.ToString(CultureInfo.InvariantCulture), feeding.Token))
                    {
                        posted++;
                    }

                    await Task.Delay(TimeSpan.FromMilliseconds(25), TimeProvider.System, CancellationToken.None);
                }
            });

            if (midWrite)
            {
                killedMidWrite += await server.KillWhenWritingCheckpointAsync() ? 1 : 0;
                killed++;
            }
            else
            {
                await Task.Delay(TimeSpan.FromMilliseconds(random.Next(50, 900)), TimeProvider.System);
                if (stopped)
                {
                    Assert.Equal(0, await server.TerminateAsync());
                    terminated++;
                }
                else
                {
                    server.Kill();
                    killed++;
                }
            }

            await feeding.CancelAsync();
            await feeder;
        }

        output.WriteLine($"{killed} kills ({killedMidWrite} while a checkpoint was being written), {terminated} SIGTERM; {posted} of {day.Chunks.Count} chunks fed before the last start");
        Assert.True(killed >= 20, $"{killed} kills");
        Assert.True(killedMidWrite >= 3, $"only {killedMidWrite} kills landed inside a checkpoint write");

        // The last life: the rest of the day, then everything read, applied and written.
        await using (var server = await StartAsync(_dir, day.Zone, tailed, 0, output))
        {
            while (posted < day.Chunks.Count)
            {
                if (appended == posted)
                {
                    await File.AppendAllTextAsync(tailed, day.Chunks[appended++].QueueLog);
                }

                Assert.True(await server.PostEventsAsync(day.Chunks[posted].Events, "chunk-" + posted.ToString(CultureInfo.InvariantCulture), CancellationToken.None));
                posted++;
            }

            await server.WaitCaughtUpAsync(new FileInfo(tailed).Length);
            await File.WriteAllTextAsync(Path.Combine(_dir, "events.ndjson"), string.Concat(day.Chunks.Select(chunk => chunk.Events)));

            foreach (var by in new[] { "queue", "agent", "campaign" })
            {
                var expected = Rows(await KpiAsync(day.Zone, tailed, "--by", by, "--interval", "15m"), by);
                var actual = Rows(await server.HistoryAsync(by + "s", day.Start, day.Zone), by);
                Assert.True(expected.Count > (by == "campaign" ? 20 : 100), $"{by}: only {expected.Count} rows");
                AssertSameRows(expected, actual, "history by " + by);
            }

            AssertSameRows(
                Rows(await KpiAsync(day.Zone, tailed, "--by", "queue", "--interval", "total"), "queue"),
                await server.LiveTodayAsync("queues", "queue"),
                "live queues today");
            AssertSameRows(
                Rows(await KpiAsync(day.Zone, tailed, "--by", "agent", "--interval", "total"), "agent"),
                await server.LiveTodayAsync("agents", "agent"),
                "live agents today");
            Assert.Equal(0, await server.TerminateAsync());
        }
    }

    private async Task<string> KpiAsync(string zone, string queueLog, params string[] options) =>
        await KpiComparison.KpiAsync(["--queue-log", queueLog, "--events", Path.Combine(_dir, "events.ndjson"), "--tz", zone, .. options]);

    private static Dictionary<string, Dictionary<string, string>> Rows(string json, string id) => KpiComparison.Rows(json, id);

    private static void AssertSameRows(Dictionary<string, Dictionary<string, string>> expected, Dictionary<string, Dictionary<string, string>> actual, string what) =>
        KpiComparison.AssertSameRows(expected, actual, what);

    /// <summary>The server as the crash test runs it: the queue_log tailed, SQLite history, checkpoints every half second.</summary>
    private static Task<ServerProcess> StartAsync(string folder, string zone, string queueLog, int checkpointPauseMs, ITestOutputHelper log) =>
        ServerProcess.StartAsync(
            folder,
            [
                "--Sources:QueueLogs:0=" + queueLog,
                "--Storage:DataPath=" + Path.Combine(folder, "state"),
                "--Sources:PollSeconds=0.1",
                "--History:SqlitePath=" + Path.Combine(folder, "history.db"),
                "--History:FlushSeconds=1",
                "--Metrics:TimeZone=" + zone,
                "--Durability:CheckpointSeconds=0.5",
                "--Durability:TestWritePauseMilliseconds=" + checkpointPauseMs.ToString(CultureInfo.InvariantCulture),
                "--Dashboards:Path=" + Path.Combine(folder, "dashboards"),
                "--Logging:LogLevel:Default=Warning",
            ],
            log,
            checkpointWrite: Path.Combine(folder, "state", "checkpoint.bin.tmp"));
}
