using System.Net.Http.Json;
using Wallboard.Hub.Live.Screens;
using Wallboard.Tests.Live;

namespace Wallboard.Tests.Cluster;

/// <summary>
/// What a hub does when it starts pushing the screens in another's place, or after Redis was away
/// (its pushes may have been lost): the next tick sends every dashboard whole, the broadcast in force too.
/// </summary>
public sealed class ResendTests
{
    [Fact]
    public async Task AfterAResendTheScreensGetTheTilesAndTheBroadcastInForceAgain()
    {
        await using var server = await LiveServer.StartAsync(null, ("sales.json", TestDashboards.Sales));
        await using var screen = await server.ConnectAsync();
        await screen.JoinAsync("sales-floor");
        using var http = server.Http();
        using var created = await http.PostAsJsonAsync(new Uri("api/broadcasts", UriKind.Relative), new { text = "Fire drill", expiresInMinutes = 60 });
        created.EnsureSuccessStatusCode();
        await server.TickAsync();
        Assert.Equal("Fire drill", (await ScreenClient.NextAsync(screen.Broadcasts))!.Text);
        while (screen.Tiles.Reader.TryRead(out _))
        {
        }

        server.Service<LiveBroadcaster>().ResendAll();
        await server.TickAsync();

        // Nothing changed since the last tick, yet the screen gets the broadcast and every tile again.
        Assert.Equal("Fire drill", (await ScreenClient.NextAsync(screen.Broadcasts))!.Text);
        Assert.Equal(5, (await ScreenClient.NextAsync(screen.Tiles)).Length);
    }
}
