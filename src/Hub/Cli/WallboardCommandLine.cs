using System.CommandLine;

namespace Wallboard.Hub.Cli;

/// <summary>The executable's sub-commands.</summary>
internal static class WallboardCommandLine
{
    public static Task<int> InvokeAsync(string[] args) => Build().Parse(args).InvokeAsync();

    public static RootCommand Build() => new("Wallboard: real-time wallboard and KPI analytics for contact centres.")
    {
        new KpiCommand(),
        new ImportCommand(),
        new ReportCommand(),
    };
}
