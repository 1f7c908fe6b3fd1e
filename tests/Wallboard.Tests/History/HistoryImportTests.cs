using NodaTime;
using Wallboard.Hub.History;
using Wallboard.Ingest.Simulation;
using Wallboard.Metrics;
using Wallboard.Metrics.Calendar;
using Wallboard.Metrics.Engine;
using Wallboard.Metrics.History;

namespace Wallboard.Tests.History;

/// <summary><c>wallboard import</c> writes while it reads (<see cref="HistoryImport"/>).</summary>
public sealed class HistoryImportTests : IDisposable
{
    private static readonly DateTimeZone Shanghai = DateTimeZoneProviders.Tzdb["Asia/Shanghai"];
    private static readonly StoredRollups Rollups = StoredRollups.For([Shanghai]);

    private readonly string _folder = Directory.CreateTempSubdirectory("wallboard-import-pipeline-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>
    /// Two simulated days handed to the writer every 500 events (so intervals still open are written
    /// and written again) store the same intervals, roll-ups and watermark as the engine's whole
    /// content written once after reading.
    /// </summary>
    [Fact]
    public async Task WritingWhileReadingStoresWhatWritingAfterReadingStores()
    {
        var simulation = new SimulationOptions { Seed = 11, TimeZone = "Asia/Shanghai", Duration = TimeSpan.FromDays(2) };
        var events = new ContactCentreSimulator(simulation).Enumerate().ToList();
        using var whileReading = new SqliteHistoryStore(Path.Combine(_folder, "while.db"), Rollups);
        using var afterReading = new SqliteHistoryStore(Path.Combine(_folder, "after.db"), Rollups);

        var engine = NewEngine();
        var import = new HistoryImport(engine, whileReading, drainEvery: 500);
        foreach (var e in events)
        {
            import.Accept(e);
        }

        engine.FlushOpenSessions(engine.WatermarkMs);
        var stored = await import.CompleteAsync(CancellationToken.None);

        var reference = NewEngine();
        foreach (var e in events)
        {
            reference.Accept(e);
        }

        reference.FlushOpenSessions(reference.WatermarkMs);
        var written = await new HistoryWriter(reference, afterReading).WriteAllAsync();

        Assert.Equal(written, stored);
        Assert.True(import.PointsWritten > stored, $"{import.PointsWritten} points written for {stored} intervals: nothing was written twice, so nothing was written while reading");
        var (from, to) = HistoryRollup.AlignToSteps(simulation.Start.ToUnixTimeMilliseconds(), simulation.Start.AddDays(3).ToUnixTimeMilliseconds(), IntervalLength.Day, Shanghai);
        foreach (var kind in Enum.GetValues<HistoryKind>())
        {
            Assert.Equal(Flat(await afterReading.QueryAsync(kind, null, from, to)), Flat(await whileReading.QueryAsync(kind, null, from, to)));
            var days = await whileReading.QueryForStepsAsync(kind, null, from, to, IntervalLength.Day, Shanghai);
            Assert.Equal(Flat(await afterReading.QueryForStepsAsync(kind, null, from, to, IntervalLength.Day, Shanghai)), Flat(days));
            Assert.All(days, day => Assert.Equal(Shanghai.AtStartOfDay(Instant.FromUnixTimeMilliseconds(day.IntervalStartMs).InZone(Shanghai).Date).ToInstant().ToUnixTimeMilliseconds(), day.IntervalStartMs));
        }

        Assert.Equal(await afterReading.GetWrittenUpToAsync(), await whileReading.GetWrittenUpToAsync());
    }

    [Fact]
    public async Task AStoreThatFailsIsReportedWhenTheImportCompletes()
    {
        using var sqlite = new SqliteHistoryStore(Path.Combine(_folder, "history.db"));
        var engine = NewEngine();
        var import = new HistoryImport(engine, new FailingFirstWrite(sqlite), drainEvery: 100);
        foreach (var e in new ContactCentreSimulator(new SimulationOptions { Seed = 3, TimeZone = "Asia/Shanghai" }).Enumerate().Take(5_000))
        {
            import.Accept(e);
        }

        await Assert.ThrowsAsync<IOException>(() => import.CompleteAsync(CancellationToken.None));
    }

    private static KpiEngine NewEngine() => new(new KpiOptions { TimeZone = "Asia/Shanghai", Interval = IntervalLength.FifteenMinutes });

    private static List<(string, long, string)> Flat(IEnumerable<HistoryPoint> points) =>
        [.. points.Select(point => (point.Id, point.IntervalStartMs, string.Join(",", point.Values)))];
}
