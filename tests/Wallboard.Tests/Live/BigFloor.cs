using System.Globalization;
using System.Text;
using System.Text.Json;
using Wallboard.Hub.Names;

namespace Wallboard.Tests.Live;

/// <summary>
/// A floor of 210 agents in three teams (sales 70, support 100, VIP 40), each with a person's name
/// from a directory file, at 10:00, worked out so that every count on the board is known:
/// <list type="bullet">
/// <item>on a call: 100 — 2 for 25 min (red, from 20 min), 3 for 12 min (amber, from 10 min), 95 for under 5 min;</item>
/// <item>in wrap-up: 10 — 1 for 3 min (red, from 2 min), 9 for 20 s;</item>
/// <item>paused: 30 — 2 "小休" for 16 min (red, from 15 min), 2 "小休" for 11 min (amber, from 10 min),
///   2 "午餐" for 50 min (amber: lunch turns amber at 45 min), 24 "培训" for 5 min;</item>
/// <item>ringing: 4 — 1 for 40 s (red, from 30 s), 1 for 20 s (amber, from 15 s), 2 for 5 s;</item>
/// <item>available: 66.</item>
/// </list>
/// 14 exceptions: 6 red, 8 amber. Four calls wait: in support for 70 s, 40 s and 10 s, in sales for
/// 5 s, each caller's number in the log. Categories are dealt to agents by a fixed permutation, so
/// every team has some of each.
/// </summary>
internal static class BigFloor
{
    public const int Agents = 210;
    public const string CallerNumber = "13800138000";

    public static readonly (string Team, string Name, string Queue, string QueueName, int Agents)[] Teams =
    [
        ("team-sales", "销售组", "sales", "销售热线", 70),
        ("team-support", "客服组", "support", "客服热线", 100),
        ("team-vip", "VIP 组", "vip", "VIP 专线", 40),
    ];

    public static string AgentId(int index) => string.Create(CultureInfo.InvariantCulture, $"Agent/{2001 + index}");

    public static string AgentName(int index) => SimulatedDirectory.PersonName(index);

    /// <summary>The directory file: queues', teams' and agents' names, each agent's team.</summary>
    public static string Directory()
    {
        var agents = new Dictionary<string, object>();
        for (var i = 0; i < Agents; i++)
        {
            agents[AgentId(i)] = new { name = AgentName(i), team = TeamOf(i).Team };
        }

        return JsonSerializer.Serialize(new
        {
            queues = Teams.ToDictionary(team => team.Queue, team => new { name = team.QueueName, team = team.Team }),
            teams = Teams.ToDictionary(team => team.Team, team => new { name = team.Name }),
            agents,
        });
    }

    /// <summary>Posts the floor (queue_log, then the JSON events that queue_log cannot say: ringing, wrap-up) and ticks.</summary>
    public static async Task PostAsync(LiveServer server, string? ingestKey)
    {
        var queueLog = new List<(int Ago, string Line)>();
        var json = new List<(int Ago, string Line)>();
        var labels = Labels();
        var waiting = new[] { ("q1", "support", 70), ("q2", "support", 40), ("q3", "support", 10), ("q4", "sales", 5) };
        foreach (var (call, queue, ago) in waiting)
        {
            queueLog.Add((ago, LiveServer.QueueLog(ago, call, queue, "NONE", "ENTERQUEUE", string.Empty, CallerNumber, 1)));
        }

        var rings = 0;
        for (var i = 0; i < Agents; i++)
        {
            var agent = AgentId(i);
            var queue = TeamOf(i).Queue;
            queueLog.Add((3600, LiveServer.QueueLog(3600, "NONE", queue, agent, "ADDMEMBER", string.Empty)));
            var (kind, seconds, reason) = labels[(i * 97) % Agents];
            var call = "c" + i.ToString(CultureInfo.InvariantCulture);
            switch (kind)
            {
                case "call":
                    queueLog.Add((seconds + 5, LiveServer.QueueLog(seconds + 5, call, queue, "NONE", "ENTERQUEUE", string.Empty, CallerNumber, 1)));
                    queueLog.Add((seconds, LiveServer.QueueLog(seconds, call, queue, agent, "CONNECT", 5, call + ".1", 2)));
                    break;
                case "wrap":
                    // A call with its wrap-up reported earlier tells the core this agent's wrap-ups are
                    // reported; the second call's wrap-up is then open since it ended.
                    json.Add((1200, Event(1200, "call_queued", call + "a", queue, null, $"\"caller\":\"{CallerNumber}\"")));
                    json.Add((1195, Event(1195, "call_answered", call + "a", queue, agent, "\"wait_seconds\":5")));
                    json.Add((1100, Event(1100, "call_ended", call + "a", queue, agent, "\"wait_seconds\":5,\"talk_seconds\":95")));
                    json.Add((1080, Event(1080, "wrapup_ended", call + "a", queue, agent, "\"wrapup_seconds\":20")));
                    json.Add((seconds + 100, Event(seconds + 100, "call_queued", call + "b", queue, null, $"\"caller\":\"{CallerNumber}\"")));
                    json.Add((seconds + 95, Event(seconds + 95, "call_answered", call + "b", queue, agent, "\"wait_seconds\":5")));
                    json.Add((seconds, Event(seconds, "call_ended", call + "b", queue, agent, "\"wait_seconds\":5,\"talk_seconds\":95")));
                    break;
                case "pause":
                    queueLog.Add((seconds, LiveServer.QueueLog(seconds, "NONE", queue, agent, "PAUSE", reason!)));
                    break;
                case "ring":
                    var (waitingCall, waitingQueue, _) = waiting[rings++];
                    json.Add((seconds, Event(seconds, "call_ringing", waitingCall, waitingQueue, agent, null)));
                    break;
            }
        }

        var answer = await server.PostQueueLogAsync(LiveServer.Lines([.. queueLog.OrderByDescending(line => line.Ago).Select(line => line.Line)]), ingestKey);
        Assert.Equal((queueLog.Count, 0L), (answer.Accepted, answer.Rejected));
        using var http = server.Http(ingestKey);
        using var content = new StringContent(string.Join('\n', json.OrderByDescending(line => line.Ago).Select(line => line.Line)) + "\n", Encoding.UTF8, "application/x-ndjson");
        (await http.PostAsync(new Uri("api/events", UriKind.Relative), content)).EnsureSuccessStatusCode();
        await server.WhenAllAppliedAsync();
        await server.TickAsync();
    }

    private static (string Team, string Name, string Queue, string QueueName, int Agents) TeamOf(int index) =>
        index < 70 ? Teams[0] : index < 170 ? Teams[1] : Teams[2];

    private static List<(string Kind, int Seconds, string? Reason)> Labels()
    {
        var labels = new List<(string, int, string?)>();
        void Add(int count, string kind, int seconds, string? reason = null) => labels.AddRange(Enumerable.Repeat((kind, seconds, reason), count));
        Add(2, "call", 1500);
        Add(3, "call", 720);
        for (var i = 0; i < 95; i++)
        {
            labels.Add(("call", 30 + (i * 3), null));
        }

        Add(1, "wrap", 180);
        Add(9, "wrap", 20);
        Add(2, "pause", 960, "小休");
        Add(2, "pause", 660, "小休");
        Add(2, "pause", 3000, "午餐");
        Add(24, "pause", 300, "培训");
        Add(1, "ring", 40);
        Add(1, "ring", 20);
        Add(2, "ring", 5);
        Add(66, "available", 0);
        Assert.Equal(Agents, labels.Count);
        return labels;
    }

    private static string Event(int secondsAgo, string type, string call, string queue, string? agent, string? extra) =>
        "{" + string.Join(',', new[]
        {
            $"\"type\":\"{type}\"",
            string.Create(CultureInfo.InvariantCulture, $"\"time\":{LiveServer.UnixSeconds(secondsAgo)}"),
            $"\"call_id\":\"{call}\"",
            $"\"queue\":\"{queue}\"",
            agent is null ? null : $"\"agent\":\"{agent}\"",
            extra,
        }.Where(part => part is not null)) + "}";
}
