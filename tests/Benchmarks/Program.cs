using System.Globalization;
using BenchmarkDotNet.Running;
using Wallboard.Benchmarks.DuckDb;

namespace Wallboard.Benchmarks;

internal static class BenchmarkProgram
{
    public static int Main(string[] args)
    {
        if (args is ["--make-queue-log", var megabytes, var path])
        {
            // Input for the end-to-end `wallboard kpi` timing in README (not a BenchmarkDotNet run).
            return LargeQueueLog.Write(path, long.Parse(megabytes, CultureInfo.InvariantCulture) << 20);
        }

        if (args is ["--make-queue-log-weeks", var weeks, var weeksPath])
        {
            // Whole weeks of the 1,200-agent centre: the history sizes in README (issue 16) grow from them.
            return LargeQueueLog.Write(weeksPath, long.MaxValue, int.Parse(weeks, CultureInfo.InvariantCulture));
        }

        if (args is ["--versus-duckdb", var queueLog, .. var rest])
        {
            // `wallboard kpi` against DuckDB's query over the same file (README, issue 16). Not a
            // BenchmarkDotNet run: kpi is timed as a process, alternated with DuckDB round by round.
            var rounds = rest is [var count, ..] ? int.Parse(count, CultureInfo.InvariantCulture) : 5;
            var wallboard = rest is [_, var program] ? program : Path.Combine(AppContext.BaseDirectory, "wallboard");
            return KpiVersusDuckDb.Run(queueLog, rounds, wallboard);
        }

        if (args is ["--import-phases", var importLog, .. var importRest])
        {
            return ImportPhases.Run(importLog, importRest is [var count, ..] ? int.Parse(count, CultureInfo.InvariantCulture) : 3);
        }

        BenchmarkSwitcher.FromAssembly(typeof(BenchmarkProgram).Assembly).Run(args);
        return 0;
    }
}
