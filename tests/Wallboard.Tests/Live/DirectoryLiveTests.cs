using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using Wallboard.Hub.Live.Screens;

namespace Wallboard.Tests.Live;

/// <summary>The server with a directory (docs/directory.example.json): names on the API and boards, teams from campaigns, masquerades live.</summary>
public sealed class DirectoryLiveTests
{
    private static readonly string Example = Path.Combine(RepositoryPaths.RepositoryRoot, "docs", "directory.example.json");

    private static Dictionary<string, string> WithDirectory() => new() { ["Directory:Path"] = Example };

    /// <summary>The eight lines of https://github.com/asterisk/asterisk/issues/759 moved to ten minutes before now, ids untouched.</summary>
    private static string Issue759Today()
    {
        var shift = LiveServer.UnixSeconds(600) - 1717397259;
        return LiveServer.Lines([.. Metrics.KpiEngineDialectTests.Issue759.Select(line =>
        {
            var bar = line.IndexOf('|', StringComparison.Ordinal);
            return (long.Parse(line[..bar], CultureInfo.InvariantCulture) + shift).ToString(CultureInfo.InvariantCulture) + line[bar..];
        })]);
    }

    [Fact]
    public async Task TheLiveBoardOfAReplayedMasqueradeShowsNothingWaitingAndTheQueuesByName()
    {
        await using var server = await LiveServer.StartAsync(WithDirectory(), ("sales.json", TestDashboards.Sales));
        var answer = await server.PostQueueLogAsync(Issue759Today());
        Assert.Equal((6L, 2L, 0L), (answer.Accepted, answer.Ignored, answer.Rejected));
        await server.TickAsync();

        using var http = server.Http();
        var queues = (await http.GetFromJsonAsync<List<QueueFigures>>(new Uri("api/live/queues", UriKind.Relative)))!.ToDictionary(q => q.Queue);
        Assert.Equal(("Sales hotline", "team-sales", 0), (queues["1501"].QueueName, queues["1501"].Team, queues["1501"].CallsWaiting));
        Assert.Equal(("VIP 专线", 0), (queues["1509"].QueueName, queues["1509"].CallsWaiting));
        var a = queues["1501"].Windows["today"];
        var b = queues["1509"].Windows["today"];
        Assert.Equal((1.0, 1.0, 1.0, 120.0), (a["offered"], a["answered"], a["handled"], a["talk_seconds"]));
        Assert.Equal((1.0, 1.0, 1.0, 173.0), (b["offered"], b["answered"], b["handled"], b["talk_seconds"]));

        var health = await http.GetFromJsonAsync<Health>(new Uri("healthz", UriKind.Relative));
        Assert.Empty(health!.DirectoryErrors);
    }

    [Fact]
    public async Task TheOutboundBoardShowsTheAgentsWhoDialItsTeamsCampaigns()
    {
        const string Outbound = """
            {
              "id": "outbound", "name": "Outbound", "queues": ["support"], "campaigns": ["sales-q4"],
              "tiles": [ { "id": "attempts", "title": "Attempts", "kpi": "attempts", "window": "today", "campaigns": ["sales-q4"] } ],
              "agentBoard": { "teams": ["team-outbound"], "states": ["available", "ringing", "on_call", "wrap_up", "paused"] }
            }
            """;
        await using var server = await LiveServer.StartAsync(WithDirectory(), ("outbound.json", Outbound));
        var t = LiveServer.UnixSeconds(300);
        var events = string.Join('\n',
            $$"""{"type":"agent_state","time":{{t}},"agent":"Agent/3001","state":"logged_in"}""",
            $$"""{"type":"agent_state","time":{{t}},"agent":"Agent/3002","state":"logged_in"}""",
            $$"""{"type":"outbound_attempt","time":{{t + 60}},"call_id":"o1","campaign":"sales-q4","agent":"Agent/3001","customer":"13800000009","result":"connected","ring_seconds":8,"talk_seconds":50}""",
            $$"""{"type":"agent_state","time":{{t}},"agent":"SIP/1001","state":"logged_in","queue":"support"}""") + "\n";
        using var http = server.Http();
        using var content = new StringContent(events, Encoding.UTF8, "application/x-ndjson");
        (await http.PostAsync(new Uri("api/events", UriKind.Relative), content)).EnsureSuccessStatusCode();
        await server.WhenAllAppliedAsync();
        await server.TickAsync();

        var board = server.Service<LiveBroadcaster>().StateOf("outbound")!;

        // Agent/3001 dials sales-q4, whose team is team-outbound; Agent/3002 dials nothing; SIP/1001 is 王芳 (an alias) of team-support.
        var agent = Assert.Single(board.Agents);
        Assert.Equal(("Agent/3001", "Agent/3001", "team-outbound"), (agent.Agent, agent.Name, agent.Team));
        var agents = (await http.GetFromJsonAsync<List<AgentFigures>>(new Uri("api/live/agents", UriKind.Relative)))!.ToDictionary(a => a.Agent);
        Assert.Equal(("sales-q4", "team-outbound"), (agents["Agent/3001"].Campaign, agents["Agent/3001"].Team));
        Assert.Equal(("王芳", "team-support"), (agents["王芳"].AgentName, agents["王芳"].Team));
        Assert.False(agents.ContainsKey("SIP/1001"));
    }

    private sealed record QueueFigures(string Queue, string QueueName, string? Team, int CallsWaiting, Dictionary<string, Dictionary<string, double?>> Windows);

    private sealed record AgentFigures(string Agent, string AgentName, string? Team, string? Campaign);

    private sealed record Health(List<string> DirectoryErrors);
}
