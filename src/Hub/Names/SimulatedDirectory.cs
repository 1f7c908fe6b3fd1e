using Wallboard.Ingest.Simulation;
using Wallboard.Metrics.Names;

namespace Wallboard.Hub.Names;

/// <summary>The directory of a simulated centre: its queues', teams' and campaigns' display names, and each agent's team.</summary>
internal static class SimulatedDirectory
{
    public static DirectoryLayer Of(SimulationOptions options)
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
            Agents = options.Roster().ToDictionary(agent => agent.Agent, agent => new AgentEntry { Team = agent.Team.Id }, StringComparer.Ordinal),
            Campaigns = campaigns,
            Teams = options.Teams.ToDictionary(team => team.Id, team => new TeamEntry { Name = team.DisplayName }, StringComparer.Ordinal),
        };
    }
}
