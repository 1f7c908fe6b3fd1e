using System.CommandLine;
using System.Text.Json;
using Wallboard.Hub.Cli;

namespace Wallboard.Tests.Cli;

public sealed class StaffingCommandTests
{
    private static async Task<(int Exit, string Output, string Errors)> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var errors = new StringWriter();
        var exit = await WallboardCommandLine.Build().Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = errors });
        return (exit, output.ToString(), errors.ToString());
    }

    [Fact]
    public async Task PrintsThePublishedExampleAsOneObjectWithExactlyTheDocumentedNames()
    {
        var (exit, output, errors) = await RunAsync("staffing", "--model", "erlang-c", "--arrivals", "360", "--aht", "180", "--sl-threshold", "20", "--sl-target", "0.8");

        Assert.True(exit == 0, errors);
        var result = JsonDocument.Parse(output).RootElement;
        Assert.Equal(
            ["agents", "service_level", "probability_of_wait", "abandon_rate", "occupancy", "asa_seconds"],
            result.EnumerateObject().Select(property => property.Name));
        Assert.Equal(22, result.GetProperty("agents").GetInt32());
        Assert.Equal(0.8217, result.GetProperty("service_level").GetDouble(), 4);
        Assert.Equal(0.2781, result.GetProperty("probability_of_wait").GetDouble(), 4);
        Assert.Equal(0, result.GetProperty("abandon_rate").GetDouble());
        Assert.Equal(18.0 / 22, result.GetProperty("occupancy").GetDouble(), 9);
        Assert.Equal(12.51, result.GetProperty("asa_seconds").GetDouble(), 2);
    }

    [Fact]
    public async Task ErlangAWithAGivenNumberOfAgentsPrintsWhatTheyAchieve()
    {
        var (exit, output, _) = await RunAsync("staffing", "--model", "erlang-a", "--arrivals", "360", "--aht", "180", "--patience", "120", "--sl-threshold", "20", "--agents", "18");

        Assert.Equal(0, exit);
        var result = JsonDocument.Parse(output).RootElement;
        Assert.Equal(18, result.GetProperty("agents").GetInt32());

        // Hand check: 18 agents for 18 Erlangs is the critical load; Erlang C has no steady state there,
        // Erlang A does because the queue sheds callers: a few percent abandon.
        Assert.InRange(result.GetProperty("abandon_rate").GetDouble(), 0.02, 0.15);
        Assert.InRange(result.GetProperty("service_level").GetDouble(), 0.3, 0.8);
        Assert.Equal(
            (1 - result.GetProperty("abandon_rate").GetDouble()) * 18 / 18,
            result.GetProperty("occupancy").GetDouble(),
            9);
    }

    [Fact]
    public async Task ErlangCWithTooFewAgentsHasNoAsa()
    {
        var (exit, output, _) = await RunAsync("staffing", "--arrivals", "360", "--aht", "180", "--sl-threshold", "20", "--agents", "18");

        Assert.Equal(0, exit);
        var result = JsonDocument.Parse(output).RootElement;
        Assert.Equal(JsonValueKind.Null, result.GetProperty("asa_seconds").ValueKind);
        Assert.Equal(0, result.GetProperty("service_level").GetDouble());
    }

    [Fact]
    public async Task TableFormatShowsTheSameFigures()
    {
        var (exit, output, _) = await RunAsync("staffing", "--arrivals", "360", "--aht", "180", "--sl-threshold", "20", "--sl-target", "0.8", "--format", "table");

        Assert.Equal(0, exit);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("agents", lines[0], StringComparison.Ordinal);
        Assert.Contains("asa_seconds", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("22", lines[^1].TrimStart(), StringComparison.Ordinal);
        Assert.Contains("0.822", lines[^1], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--arrivals", "0", "--arrivals must be more than 0")]
    [InlineData("--arrivals", "-5", "--arrivals must be more than 0")]
    [InlineData("--sl-target", "1.5", "--sl-target must be a fraction")]
    [InlineData("--sl-target", "-0.2", "--sl-target must be a fraction")]
    [InlineData("--model", "erlang-a", "erlang-a needs the callers' mean patience")]
    [InlineData("--max-occupancy", "0", "--max-occupancy must be a fraction")]
    public async Task InvalidInputIsAClearErrorWithExitStatus2(string option, string value, string message)
    {
        var args = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["--arrivals"] = "360",
            ["--aht"] = "180",
            ["--sl-threshold"] = "20",
            ["--sl-target"] = "0.8",
        };
        args[option] = value;

        var (exit, output, errors) = await RunAsync(["staffing", .. args.SelectMany(pair => new[] { pair.Key, pair.Value })]);

        Assert.Equal(2, exit);
        Assert.Equal(string.Empty, output);
        Assert.Contains(message, errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TargetAndAgentsTogetherOrNeitherAreRefused()
    {
        var (both, _, bothErrors) = await RunAsync("staffing", "--arrivals", "360", "--aht", "180", "--sl-threshold", "20", "--sl-target", "0.8", "--agents", "20");
        var (neither, _, neitherErrors) = await RunAsync("staffing", "--arrivals", "360", "--aht", "180", "--sl-threshold", "20");

        Assert.Equal(2, both);
        Assert.Contains("not both", bothErrors, StringComparison.Ordinal);
        Assert.Equal(2, neither);
        Assert.Contains("--sl-target FRACTION", neitherErrors, StringComparison.Ordinal);
    }
}
