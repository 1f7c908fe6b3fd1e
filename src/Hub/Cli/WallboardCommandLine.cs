using System.CommandLine;

namespace Wallboard.Hub.Cli;

/// <summary>The executable's sub-commands; with none, it serves.</summary>
internal static class WallboardCommandLine
{
    public static Task<int> InvokeAsync(string[] args) => Build().Parse(args).InvokeAsync();

    /// <param name="configuration">Where <c>kpi</c>, <c>import</c> and <c>report</c> take their defaults; null to build it as the host does (<see cref="CliConfiguration"/>).</param>
    public static RootCommand Build(IConfiguration? configuration = null)
    {
        var root = new RootCommand("Wallboard: real-time wallboard and KPI analytics for contact centres. With no command it runs the server (see 'serve --help').")
        {
            new ServeCommand(),
            new KpiCommand(configuration),
            new SimulateCommand(),
            new ImportCommand(configuration),
            new ReportCommand(configuration),
        };
        root.TreatUnmatchedTokensAsErrors = false;
        root.SetAction((parseResult, cancellationToken) => ServeCommand.RunAsync(parseResult, cancellationToken));
        return root;
    }
}
