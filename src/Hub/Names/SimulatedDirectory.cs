using Wallboard.Ingest.Simulation;
using Wallboard.Metrics.Names;

namespace Wallboard.Hub.Names;

/// <summary>The directory of a simulated centre: its queues', teams' and campaigns' display names, and each agent's team.</summary>
internal static class SimulatedDirectory
{
    // Common surnames and given names: a demo floor of people, not of extensions.
    private const string Surnames = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗";
    private static readonly string[] GivenNames =
    [
        "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛",
        "明", "超", "秀英", "霞", "平", "刚", "桂英", "晨", "欣怡", "子涵", "浩然", "雨桐", "俊杰", "思雨", "佳琪",
    ];

    /// <param name="options">The simulated centre.</param>
    /// <param name="agentNames">Whether agents get people's names (the live demo); the <c>simulate</c> command's directory keeps the ids.</param>
    public static DirectoryLayer Of(SimulationOptions options, bool agentNames = false)
    {
        ArgumentNullException.ThrowIfNull(options);
        var outboundTeams = options.Teams.Where(team => team.Outbound).Select(team => team.Id).ToList();
        var campaignTeam = outboundTeams.Count == 1 ? outboundTeams[0] : null;
        var campaigns = new Dictionary<string, CampaignEntry>(StringComparer.Ordinal)
        {
            [options.Outbound.Id] = new() { Name = options.Outbound.DisplayName, Team = campaignTeam },
        };
        if (options.Callback.Enabled)
        {
            campaigns[options.Callback.Id] = new() { Name = options.Callback.DisplayName, Team = campaignTeam };
        }

        return new DirectoryLayer
        {
            Queues = options.Queues.ToDictionary(queue => queue.Id, queue => new QueueEntry { Name = queue.DisplayName }, StringComparer.Ordinal),
            Agents = options.Roster().Select((agent, index) => (agent.Agent, Entry: new AgentEntry { Team = agent.Team.Id, Name = agentNames ? PersonName(index) : null }))
                .ToDictionary(agent => agent.Agent, agent => agent.Entry, StringComparer.Ordinal),
            Campaigns = campaigns,
            Teams = options.Teams.ToDictionary(team => team.Id, team => new TeamEntry { Name = team.DisplayName }, StringComparer.Ordinal),
        };
    }

    /// <summary>A distinct name for each of the first 600 agents (surname by the index, given name by the index over 20), numbered beyond.</summary>
    internal static string PersonName(int index)
    {
        var name = string.Concat(Surnames[index % Surnames.Length].ToString(), GivenNames[index / Surnames.Length % GivenNames.Length]);
        var round = index / (Surnames.Length * GivenNames.Length);
        return round == 0 ? name : name + (round + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
