using System.Globalization;
using BenchmarkDotNet.Running;

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

        BenchmarkSwitcher.FromAssembly(typeof(BenchmarkProgram).Assembly).Run(args);
        return 0;
    }
}
