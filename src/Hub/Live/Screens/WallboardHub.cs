using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using Wallboard.Hub.Live.Access;

namespace Wallboard.Hub.Live.Screens;

/// <summary>The screens' hub (<c>/hubs/wallboard</c>): a screen joins one dashboard and then only listens.</summary>
[Authorize(Policy = WallboardPolicies.Viewer)]
internal sealed class WallboardHub(LiveBroadcaster screens, Operations.WallboardMetrics metrics) : Hub<IWallboardClient>
{
    private const string DashboardKey = "dashboard";

    public override Task OnConnectedAsync()
    {
        metrics.ScreenConnected();
        return base.OnConnectedAsync();
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        metrics.ScreenDisconnected();
        return base.OnDisconnectedAsync(exception);
    }

    /// <summary>Leaves any other dashboard, joins <c>dashboard:{id}</c> and returns the full state.</summary>
    public async Task<DashboardState> JoinDashboard(string dashboardId)
    {
        if (Context.Items.TryGetValue(DashboardKey, out var joined) && joined is string previous && previous != dashboardId)
        {
            await Groups.RemoveFromGroupAsync(Context.ConnectionId, LiveBroadcaster.GroupOf(previous)).ConfigureAwait(false);
            Context.Items.Remove(DashboardKey);
        }

        if (screens.StateOf(dashboardId) is null)
        {
            throw new HubException($"there is no dashboard '{dashboardId}'");
        }

        // Join first, then read the state: a push that happens in between reaches this screen too.
        await Groups.AddToGroupAsync(Context.ConnectionId, LiveBroadcaster.GroupOf(dashboardId)).ConfigureAwait(false);
        Context.Items[DashboardKey] = dashboardId;
        return screens.StateOf(dashboardId)!;
    }
}
