using System.Net;
using System.Net.Http.Json;
using Wallboard.Hub.Live.Screens;

namespace Wallboard.Tests.Live;

/// <summary>Supervisor broadcasts reach the chosen dashboards until they expire on the server's clock.</summary>
public sealed class BroadcastTests
{
    private static readonly string[] SalesFloor = ["sales-floor"];
    private static readonly string[] Nope = ["nope"];

    [Fact]
    public async Task ABroadcastIsPushedToItsDashboardsAndWithdrawnAtExpiry()
    {
        await using var server = await LiveServer.StartAsync(null, ("sales.json", TestDashboards.Sales), ("support.json", TestDashboards.Support));
        await using var sales = await server.ConnectAsync();
        await using var support = await server.ConnectAsync();
        await sales.JoinAsync("sales-floor");
        await support.JoinAsync("support-floor");

        using var http = server.Http();
        using var response = await http.PostAsJsonAsync(
            new Uri("api/broadcasts", UriKind.Relative),
            new { text = "团队会议 11:00", dashboards = SalesFloor, expiresInMinutes = 10, severity = "warning" });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = await response.Content.ReadFromJsonAsync<BroadcastMessage>();
        Assert.Equal("2026-05-04T02:10:00.000Z", created!.Expires);

        await server.TickAsync();
        var shown = await ScreenClient.NextAsync(sales.Broadcasts);
        Assert.Equal(("团队会议 11:00", "warning", created.Id), (shown!.Text, shown.Severity, shown.Id));
        Assert.Equal(created.Id, (await sales.JoinAsync("sales-floor")).Broadcast!.Id);

        // Nine minutes on it is still there; at ten it expires and the screen is told (null).
        server.Time.Advance(TimeSpan.FromMinutes(9));
        await server.TickAsync();
        server.Time.Advance(TimeSpan.FromMinutes(1));
        await server.TickAsync();
        Assert.Null(await ScreenClient.NextAsync(sales.Broadcasts));
        Assert.False(support.Broadcasts.Reader.TryRead(out _));
    }

    [Fact]
    public async Task ABroadcastCanBeDeleted()
    {
        await using var server = await LiveServer.StartAsync(null, ("sales.json", TestDashboards.Sales));
        await using var screen = await server.ConnectAsync();
        await screen.JoinAsync("sales-floor");
        using var http = server.Http();
        using var response = await http.PostAsJsonAsync(new Uri("api/broadcasts", UriKind.Relative), new { text = "Fire drill", expiresInMinutes = 60 });
        var created = await response.Content.ReadFromJsonAsync<BroadcastMessage>();
        await server.TickAsync();
        Assert.Equal("info", (await ScreenClient.NextAsync(screen.Broadcasts))!.Severity);

        using var deleted = await http.DeleteAsync(new Uri("api/broadcasts/" + created!.Id, UriKind.Relative));
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        await server.TickAsync();
        Assert.Null(await ScreenClient.NextAsync(screen.Broadcasts));
        using var again = await http.DeleteAsync(new Uri("api/broadcasts/" + created.Id, UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
    }

    [Fact]
    public async Task ABroadcastToAnUnknownDashboardIsRefused()
    {
        await using var server = await LiveServer.StartAsync(null, ("sales.json", TestDashboards.Sales));
        using var http = server.Http();
        using var response = await http.PostAsJsonAsync(new Uri("api/broadcasts", UriKind.Relative), new { text = "x", dashboards = Nope, expiresInMinutes = 5 });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("no such dashboard: nope", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
