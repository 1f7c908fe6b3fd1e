using Wallboard.Metrics;
using Wallboard.Metrics.Names;

namespace Wallboard.Tests.Names;

public sealed class NameDirectoryTests
{
    private static readonly DirectoryLayer Settings = new()
    {
        Agents = new Dictionary<string, AgentEntry>
        {
            ["Agent/1001"] = new() { Name = "Old name", Team = "team-old", Aliases = ["SIP/1001"] },
        },
    };

    private static readonly DirectoryLayer File = new()
    {
        Queues = new Dictionary<string, QueueEntry>
        {
            ["sales"] = new() { Team = "team-sales", SlThresholdSeconds = 10 },
            ["support"] = new() { Team = "team-support" },
        },
        Agents = new Dictionary<string, AgentEntry>
        {
            ["Agent/1001"] = new() { Name = "王芳", Aliases = ["PJSIP/1001"] },
        },
        Campaigns = new Dictionary<string, CampaignEntry> { ["sales-q4"] = new() { Team = "team-outbound" } },
    };

    [Fact]
    public void ALaterLayerWinsPropertyByPropertyAndAliasesAddUp()
    {
        var names = NameDirectory.Create([Settings, File], []);

        var agent = names.Agents["Agent/1001"];
        Assert.Equal(("王芳", "team-old"), (agent.Name, agent.Team));
        Assert.Equal(["SIP/1001", "PJSIP/1001"], agent.Aliases);
        Assert.Equal("Agent/1001", names.Aliases.Resolve("SIP/1001"));
        Assert.Equal("Agent/1001", names.Aliases.Resolve("PJSIP/1001"));
    }

    [Fact]
    public void TheDirectorysOwnAliasesComeBeforeQueuesConfAndConflictsAreReported()
    {
        var names = NameDirectory.Create([File], [new AliasSource("PJSIP/1001", "Wang", "queues.conf:12"), new AliasSource("PJSIP/2002", "Li", "queues.conf:13")]);

        Assert.Equal("Agent/1001", names.Aliases.Resolve("PJSIP/1001"));
        Assert.Equal("Li", names.Aliases.Resolve("PJSIP/2002"));
        Assert.Equal(
            ["queues.conf:12: 'PJSIP/1001' is already an alias of 'Agent/1001' (directory agent Agent/1001); kept for 'Agent/1001', not 'Wang'"],
            names.Conflicts);
    }

    [Theory]
    [InlineData("Agent/1001", new[] { "sales" }, "sales-q4", "team-old")] // its own team first
    [InlineData("Agent/2001", new[] { "support", "sales" }, "sales-q4", "team-outbound")] // then its campaign's
    [InlineData("Agent/2001", new[] { "support", "sales" }, null, "team-sales")] // then its first queue with a team
    [InlineData("Agent/2001", new[] { "zeta", "alpha" }, null, "alpha")] // then, as before, its first queue
    [InlineData("Agent/2001", new string[0], null, null)]
    public void AnAgentsTeamIsItsOwnElseItsCampaignsElseItsQueues(string agent, string[] queues, string? campaign, string? team)
    {
        var names = NameDirectory.Create([Settings, File], []);
        Assert.Equal(team, names.AgentTeam(agent, queues, campaign));
    }

    [Fact]
    public void QueueThresholdsOverrideTheConfiguredOnesAndKeepTheirFormula()
    {
        var configured = new KpiOptions
        {
            Queues = new Dictionary<string, QueueTargets> { ["sales"] = new() { SlThresholdSeconds = 30, SlFormula = ServiceLevelFormula.Answered }, ["vip"] = new() { SlThresholdSeconds = 5 } },
        };

        var targets = NameDirectory.Create([File], []).QueueTargets(configured);

        Assert.Equal(new QueueTargets { SlThresholdSeconds = 10, SlFormula = ServiceLevelFormula.Answered }, targets["sales"]);
        Assert.Equal(5, targets["vip"].SlThresholdSeconds);
        Assert.False(targets.ContainsKey("support"));
    }
}
