using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace Wallboard.Benchmarks.DuckDb;

/// <summary>
/// <c>wallboard kpi --by queue --interval total</c> against DuckDB's query over the same queue_log
/// (issue 16: kpi at least five times faster, same numbers). A bounded program rather than a
/// BenchmarkDotNet run: kpi is timed as the user meets it, a process from start to exit, and the two
/// are alternated round by round so that a busy machine slows both alike; the ratio of each round
/// is reported with its spread.
/// </summary>
/// <remarks>
/// DuckDB runs in this process with its default threads (one per core), from opening a connection
/// to the last row read, so it pays no process start and its library is loaded by the warm-up:
/// the comparison favours DuckDB a little. Both read the file once untimed first, so that both
/// find it in the page cache.
/// </remarks>
internal static class KpiVersusDuckDb
{
    public static int Run(string queueLog, int rounds, string wallboard)
    {
        var kpiArguments = new[] { "kpi", "--queue-log", queueLog, "--by", "queue", "--interval", "total", "--format", "csv" };
        Console.WriteLine($"// {queueLog}: {new FileInfo(queueLog).Length >> 20} MB; {wallboard} {string.Join(' ', kpiArguments)}");

        var expected = DuckDbQueueKpis.Run(queueLog);
        var (kpiCsv, _, _) = RunKpi(wallboard, kpiArguments);
        var differences = QueueFigures.Differences(expected, QueueFigures.FromKpiCsv(kpiCsv));
        foreach (var difference in differences)
        {
            Console.WriteLine($"DIFFERENT: {difference}");
        }

        Console.WriteLine(differences.Count == 0 ? $"// same numbers: {expected.Count} queue rows" : "// the numbers differ");

        var duckDbSeconds = new List<double>();
        var kpiSeconds = new List<double>();
        Console.WriteLine("round  duckdb_s  duckdb_cpu_s  kpi_s  kpi_cpu_s  ratio");
        for (var round = 1; round <= rounds; round++)
        {
            // Who goes first alternates, so that neither always meets the other's leftovers.
            (double Wall, double Cpu) duck, kpi;
            if (round % 2 == 1)
            {
                duck = TimeDuckDb(queueLog);
                kpi = TimeKpi(wallboard, kpiArguments);
            }
            else
            {
                kpi = TimeKpi(wallboard, kpiArguments);
                duck = TimeDuckDb(queueLog);
            }

            duckDbSeconds.Add(duck.Wall);
            kpiSeconds.Add(kpi.Wall);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{round,5}  {duck.Wall,8:F3}  {duck.Cpu,12:F3}  {kpi.Wall,5:F3}  {kpi.Cpu,9:F3}  {duck.Wall / kpi.Wall,5:F2}"));
        }

        var ratios = duckDbSeconds.Zip(kpiSeconds, (d, k) => d / k).ToList();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"// duckdb {Spread(duckDbSeconds, "F3")} s; kpi {Spread(kpiSeconds, "F3")} s; ratio {Spread(ratios, "F2")} (median, min–max of {rounds} rounds)"));
        return differences.Count == 0 ? 0 : 1;
    }

    private static (double Wall, double Cpu) TimeDuckDb(string queueLog)
    {
        var self = Process.GetCurrentProcess();
        var cpu = self.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        _ = DuckDbQueueKpis.Run(queueLog);
        var wall = clock.Elapsed.TotalSeconds;
        self.Refresh();
        return (wall, (self.TotalProcessorTime - cpu).TotalSeconds);
    }

    private static (double Wall, double Cpu) TimeKpi(string wallboard, string[] arguments)
    {
        var (_, wall, cpu) = RunKpi(wallboard, arguments);
        return (wall, cpu);
    }

    private static (string Output, double Wall, double Cpu) RunKpi(string wallboard, string[] arguments)
    {
        var start = new ProcessStartInfo(wallboard)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var childrenCpu = ChildrenCpuSeconds();
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{wallboard} did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        var wall = clock.Elapsed.TotalSeconds;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{wallboard} kpi exited with {process.ExitCode}: {errors.Result}");
        }

        return (output.Result, wall, ChildrenCpuSeconds() - childrenCpu);
    }

    /// <summary>User and system time of the children that have exited (a process's own time is gone once it exits).</summary>
    private static double ChildrenCpuSeconds()
    {
        const int RusageChildren = -1;
        return GetRusage(RusageChildren, out var usage) == 0
            ? usage.UserSeconds + (usage.UserMicroseconds / 1e6) + usage.SystemSeconds + (usage.SystemMicroseconds / 1e6)
            : double.NaN;
    }

    [DllImport("libc", EntryPoint = "getrusage")]
    private static extern int GetRusage(int who, out ResourceUsage usage);

    // struct rusage on 64-bit Linux: two timevals, then 14 longs (maxrss … nivcsw) this program does not read.
    [StructLayout(LayoutKind.Sequential, Size = 144)]
    private struct ResourceUsage
    {
        public long UserSeconds;
        public long UserMicroseconds;
        public long SystemSeconds;
        public long SystemMicroseconds;
    }

    private static string Spread(List<double> values, string format)
    {
        var sorted = values.Order().ToList();
        var median = sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
        return string.Create(CultureInfo.InvariantCulture, $"{median.ToString(format, CultureInfo.InvariantCulture)} ({sorted[0].ToString(format, CultureInfo.InvariantCulture)}–{sorted[^1].ToString(format, CultureInfo.InvariantCulture)})");
    }
}
