using System.CommandLine;

namespace Wallboard.Hub.Cli;

/// <summary>The executable's sub-commands; with none, it serves.</summary>
internal static class WallboardCommandLine
{
    public static Task<int> InvokeAsync(string[] args) => Build().Parse(args).InvokeAsync();

    public static RootCommand Build()
    {
        var root = new RootCommand("Wallboard: real-time wallboard and KPI analytics for contact centres. With no command it runs the server (see 'serve --help').")
        {
            new ServeCommand(),
            new KpiCommand(),
            new SimulateCommand(),
            new ImportCommand(),
            new ReportCommand(),
            new StaffingCommand(),
        };
        root.TreatUnmatchedTokensAsErrors = false;
        root.SetAction((parseResult, cancellationToken) => ServeCommand.RunAsync(parseResult, cancellationToken));
        return root;
    }
}
