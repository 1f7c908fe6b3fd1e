using System.CommandLine;
using System.Text.RegularExpressions;
using Wallboard.Hub.Cli;

namespace Wallboard.Tests.Operations;

/// <summary>What the executable does with its first word: a command, nothing (serve), or an error.</summary>
public sealed partial class CommandLineTests
{
    /// <summary>It used to start the demo server: a typo looked like success.</summary>
    [Theory]
    [InlineData("frobnicate", "--x", "1")]
    [InlineData("reprot", "--period", "daily")]
    public async Task AnUnknownCommandExitsTwoListingTheCommands(params string[] args)
    {
        var (exit, output, errors) = await RunAsync(args);

        Assert.Equal(2, exit);
        Assert.Empty(output);
        Assert.Contains($"'{args[0]}' is not a command.", errors, StringComparison.Ordinal);
        Assert.Contains("Commands: serve, kpi, simulate, import, report", errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ATypoOfACommandIsAnsweredWithTheCommandMeant()
    {
        var (exit, _, errors) = await RunAsync("reprot");

        Assert.Equal(2, exit);
        Assert.Contains("Did you mean 'report'?", errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VersionPrintsTheVersionAndTheCommitItWasBuiltFrom()
    {
        var (exit, output, _) = await RunAsync("--version");

        Assert.Equal(0, exit);
        Assert.Matches(VersionLine(), output.Trim());
    }

    /// <summary>The version line: a version, then the full commit (the tests run from a git checkout).</summary>
    [GeneratedRegex(@"^wallboard \d+\.\d+\.\d+(-[0-9A-Za-z.]+)? \(commit [0-9a-f]{40}\)$")]
    internal static partial Regex VersionLine();

    private static async Task<(int Exit, string Output, string Errors)> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var errors = new StringWriter();
        // Bounded: without the check an unknown command started a server that never returned.
        var exit = await WallboardCommandLine.InvokeAsync(args, new InvocationConfiguration { Output = output, Error = errors }).WaitAsync(TimeSpan.FromSeconds(30));
        return (exit, output.ToString(), errors.ToString());
    }
}
