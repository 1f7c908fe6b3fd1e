using System.CommandLine;
using System.CommandLine.Invocation;
using Wallboard.Hub.Hosting;
using Wallboard.Hub.Operations;

namespace Wallboard.Hub.Cli;

/// <summary>The executable's sub-commands; with none, it serves.</summary>
internal static class WallboardCommandLine
{
    /// <summary>The exit status of a usage or setup error (an unknown command, bad configuration, a folder that cannot be written).</summary>
    public const int UsageError = 2;

    public static async Task<int> InvokeAsync(string[] args, InvocationConfiguration? configuration = null)
    {
        configuration ??= new InvocationConfiguration();
        configuration.EnableDefaultExceptionHandler = false;
        try
        {
            return await Build().Parse(args).InvokeAsync(configuration).ConfigureAwait(false);
        }
        catch (SetupException ex)
        {
            // What to fix, in one line: a stack trace would bury it.
            await configuration.Error.WriteLineAsync("wallboard: " + ex.Message).ConfigureAwait(false);
            return UsageError;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Anything else is a defect: the whole trace, as the parser's own handler printed it.
            await configuration.Error.WriteLineAsync("Unhandled exception: " + ex).ConfigureAwait(false);
            return 1;
        }
    }

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
            new StaffingCommand(),
        };

        // With no command the rest of the line is the server's (--urls, --Metrics:TimeZone=…), so the
        // parser lets unknown tokens through; a first word that is no command is refused here instead,
        // or a typo (wallboard staffng) would start a demo server.
        root.TreatUnmatchedTokensAsErrors = false;
        root.SetAction((parseResult, cancellationToken) =>
            parseResult.Tokens is [var first, ..] && !first.Value.StartsWith('-')
                ? UnknownCommandAsync(parseResult, root, first.Value)
                : ServeCommand.RunAsync(parseResult, cancellationToken));
        foreach (var version in root.Options.OfType<VersionOption>())
        {
            version.Action = new PrintVersion();
        }

        return root;
    }

    private static async Task<int> UnknownCommandAsync(ParseResult parseResult, RootCommand root, string typed)
    {
        var commands = root.Subcommands.Select(command => command.Name).ToList();
        var near = commands.FirstOrDefault(command => Spelling.IsNear(typed, command));
        var hint = near is null ? string.Empty : $" Did you mean '{near}'?";
        await parseResult.InvocationConfiguration.Error.WriteLineAsync(
            $"wallboard: '{typed}' is not a command.{hint} Commands: {string.Join(", ", commands)} (wallboard --help; with no command it serves).").ConfigureAwait(false);
        return UsageError;
    }

    /// <summary><c>--version</c>: the version and the commit it was built from.</summary>
    private sealed class PrintVersion : SynchronousCommandLineAction
    {
        public override int Invoke(ParseResult parseResult)
        {
            parseResult.InvocationConfiguration.Output.WriteLine(BuildInfo.Line);
            return 0;
        }
    }
}
