using System.Text.RegularExpressions;
using Wallboard.Hub.Names;
using Wallboard.Metrics.Names;

namespace Wallboard.Tests.Names;

public sealed partial class DirectoryFileTests
{
    private static string Docs(string file) => Path.Combine(RepositoryPaths.RepositoryRoot, "docs", file);

    [Fact]
    public void TheDocumentedExampleIsValidAndIsTheExampleFile()
    {
        var file = File.ReadAllText(Docs("directory.example.json"));
        var shown = JsonBlock().Match(File.ReadAllText(Docs("directory.md"))).Groups[1].Value;
        Assert.Equal(file.ReplaceLineEndings().Trim(), shown.ReplaceLineEndings().Trim());

        var layer = DirectoryFile.Parse("directory.example.json", file, out var errors);

        Assert.Empty(errors);
        var names = NameDirectory.Create([layer!], []);
        Assert.Equal("Sales hotline", names.QueueName("1501"));
        Assert.Equal(0.9, names.SlTarget("1509"));
        Assert.Equal("Sathish Kumar", names.AgentName("Sathish"));
        Assert.Equal(80, names.DailyCallTarget("Sathish"));
        Assert.Equal("Q4 销售外呼", names.CampaignName("sales-q4"));
        Assert.Equal("外呼组", names.TeamName("team-outbound"));
        Assert.Equal("Sathish", names.Aliases.Resolve("Local/7009@from-queue/n"));
        Assert.Equal("王芳", names.Aliases.Resolve("Agent/1001"));
        Assert.Equal("unknown", names.QueueName("unknown"));
    }

    [Fact]
    public void EveryProblemIsReportedWithItsJsonPath()
    {
        const string Json = """
            {
              "queues": { "q1": { "name": " ", "slThresholdSeconds": -1, "slTarget": 80, "team": "nobody" } },
              "agents": {
                "a1": { "aliases": ["SIP/1", "SIP/1", "a2"], "dailyCallTarget": -3 },
                "a2": { "aliases": ["SIP/1"] }
              },
              "teams": { "team-a": { } }
            }
            """;

        Assert.Null(DirectoryFile.Parse("directory.json", Json, out var errors));

        Assert.Equal(
        [
            "directory.json: $.queues.q1.name: must be a non-empty string",
            "directory.json: $.queues.q1.team: 'nobody' is not one of $.teams",
            "directory.json: $.queues.q1.slThresholdSeconds: must be 0–3600 seconds, got -1",
            "directory.json: $.queues.q1.slTarget: must be a fraction between 0 and 1 (0.8 = 80 %), got 80",
            "directory.json: $.agents.a1.dailyCallTarget: must be 0 or more, got -3",
            "directory.json: $.agents.a1.aliases[1]: 'SIP/1' is listed twice",
            "directory.json: $.agents.a1.aliases[2]: 'a2' is the id of another agent",
            "directory.json: $.agents.a2.aliases[0]: 'SIP/1' is already an alias of agent 'a1'",
        ],
        errors.Select(error => error.ToString()));
    }

    [Theory]
    [InlineData("""{ "agents": { "a1": { "dailycalltarget": 5 } } }""", "$.agents.a1.dailycalltarget")]
    [InlineData("""{ "queues": { "q1": { "slTarget": "high" } } }""", "$.queues.q1.slTarget")]
    [InlineData("""{ "agents": [] }""", "$.agents")]
    [InlineData("""{ "queues": { "q1": { "name": "x" } }""", "$")]
    public void AFileThatIsNotTheFormatIsRefusedNamingWhere(string json, string path)
    {
        Assert.Null(DirectoryFile.Parse("directory.json", json, out var errors));
        var error = Assert.Single(errors);
        Assert.StartsWith(path, error.Path, StringComparison.Ordinal);
        Assert.Contains("line ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WhatIsWrittenReadsBack()
    {
        var layer = new DirectoryLayer
        {
            Queues = new Dictionary<string, QueueEntry> { ["sales"] = new() { Name = "销售热线", SlTarget = 0.8 } },
            Agents = new Dictionary<string, AgentEntry> { ["Agent/1001"] = new() { Team = "team-sales", Aliases = ["SIP/1001"] } },
        };

        var back = DirectoryFile.Parse("directory.json", DirectoryFile.Write(layer), out var errors);

        Assert.Empty(errors);
        Assert.Equal(layer.Queues["sales"], back!.Queues["sales"]);
        Assert.Equal(["SIP/1001"], back.Agents["Agent/1001"].Aliases);
        Assert.Contains("销售热线", DirectoryFile.Write(layer), StringComparison.Ordinal); // readable, not \u-escaped
    }

    [GeneratedRegex("```json\\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex JsonBlock();
}
