using System.Diagnostics;
using System.Globalization;
using NodaTime;
using Wallboard.Hub.History;
using Wallboard.Ingest.Aliases;
using Wallboard.Ingest.Model;
using Wallboard.Ingest.Pipeline;
using Wallboard.Ingest.QueueLog;
using Wallboard.Metrics;
using Wallboard.Metrics.Calendar;
using Wallboard.Metrics.Engine;
using Wallboard.Metrics.History;

namespace Wallboard.Benchmarks;

/// <summary>
/// Where <c>wallboard import</c>'s time goes (issue 16: ≥ 1 M queue_log lines/s into SQLite), each
/// round in one process: the file read into a 15-minute engine alone (the parser and the core, as
/// <c>kpi</c> runs them); the same, then every point written to a fresh SQLite file with the default
/// roll-ups (UTC and Asia/Shanghai), and without roll-ups; and the import as the command runs it
/// into a new file, writing while it reads (<see cref="HistoryImport"/>, <see cref="SqliteNewFileImport"/>,
/// SQLite in multi-thread mode as in the command). A bounded program rather than a
/// BenchmarkDotNet run: a phase takes seconds and writes tens of MB, and what decides where to work
/// is the phases' ratio within one run. Times are wall and CPU (all threads) seconds.
/// </summary>
internal static class ImportPhases
{
    private static readonly StoredRollups DefaultRollups = StoredRollups.For([DateTimeZone.Utc, DateTimeZoneProviders.Tzdb["Asia/Shanghai"]]);

    public static int Run(string queueLog, int rounds)
    {
        Console.WriteLine($"// {queueLog}: {new FileInfo(queueLog).Length >> 20} MB; SQLite multi-thread mode: {SqliteThreading.TryMultiThread()}");
        Console.WriteLine("round  read_s  read_cpu  write_s  write_cpu  write_norollup_s  write_norollup_cpu  import_s  import_cpu  lines  points  lines_per_s  file_mb");
        for (var round = 1; round <= rounds; round++)
        {
            var (read, _) = Timed(() => ReadInto(queueLog, NewEngine()));
            var engine = NewEngine();
            var lines = ReadInto(queueLog, engine);
            var (write, _) = Timed(() => WriteAll(engine, DefaultRollups));
            var (writeBare, _) = Timed(() => WriteAll(engine, StoredRollups.None));
            var (import, (points, megabytes)) = Timed(() => Import(queueLog));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{round,5}  {read.Wall,6:F3}  {read.Cpu,8:F3}  {write.Wall,7:F3}  {write.Cpu,9:F3}  {writeBare.Wall,16:F3}  {writeBare.Cpu,18:F3}  {import.Wall,8:F3}  {import.Cpu,10:F3}  {lines}  {points}  {lines / import.Wall,11:F0}  {megabytes,7:F1}"));
        }

        return 0;
    }

    private static KpiEngine NewEngine() => new(new KpiOptions { TimeZone = "Asia/Shanghai", Interval = IntervalLength.FifteenMinutes });

    private static long ReadInto(string queueLog, IContactEventSink sink)
    {
        var report = new IngestReport();
        MergedSources.RunAsync(
            [into => new ChunkedQueueLogReader(() => new QueueLogParser(new AgentAliases())).ReadFile(queueLog, into, report)],
            sink).GetAwaiter().GetResult();
        return report.LinesRead;
    }

    private static long WriteAll(KpiEngine engine, StoredRollups rollups) =>
        InFreshStore(rollups, store => new HistoryWriter(engine, store).WriteAllAsync().GetAwaiter().GetResult()).Result;

    /// <summary><c>wallboard import</c>'s work into a new file: read, count and write at once; the intervals stored and the file's size.</summary>
    private static (long Points, double Megabytes) Import(string queueLog)
    {
        var folder = Directory.CreateTempSubdirectory("wallboard-import-phases-").FullName;
        try
        {
            long points;
            using (var newFile = SqliteNewFileImport.TryStart(Path.Combine(folder, "history.db"), DefaultRollups)!)
            {
                var engine = NewEngine();
                var import = new HistoryImport(engine, newFile.Store);
                ReadInto(queueLog, import);
                engine.FlushOpenSessions(engine.WatermarkMs);
                points = import.CompleteAsync(CancellationToken.None).GetAwaiter().GetResult();
                newFile.Complete();
            }

            return (points, new DirectoryInfo(folder).EnumerateFiles().Sum(file => file.Length) / (1024.0 * 1024.0));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static (long Result, double Megabytes) InFreshStore(StoredRollups rollups, Func<SqliteHistoryStore, long> work)
    {
        var folder = Directory.CreateTempSubdirectory("wallboard-import-phases-").FullName;
        try
        {
            long result;
            using (var store = new SqliteHistoryStore(Path.Combine(folder, "history.db"), rollups))
            {
                result = work(store);
            }

            return (result, new DirectoryInfo(folder).EnumerateFiles().Sum(file => file.Length) / (1024.0 * 1024.0));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static ((double Wall, double Cpu) Time, T Result) Timed<T>(Func<T> work)
    {
        using var self = Process.GetCurrentProcess();
        var cpu = self.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var result = work();
        var wall = clock.Elapsed.TotalSeconds;
        self.Refresh();
        return ((wall, (self.TotalProcessorTime - cpu).TotalSeconds), result);
    }
}
