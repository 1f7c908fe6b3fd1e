using System.Net.Http.Json;
using System.Text.Json;
using Wallboard.Hub.History;
using static Wallboard.Tests.Live.LiveServer;

namespace Wallboard.Tests.Durability;

/// <summary>Large answers of the live and history APIs come in pages.</summary>
public sealed class PagingTests
{
    [Fact]
    public async Task LiveQueuesComeInPagesWithTheTotalAndTheNextPage()
    {
        await using var server = await StartAsync();
        await server.PostQueueLogAsync(Lines(
            QueueLog(60, "c1", "sales", "NONE", "ENTERQUEUE", "", "1", "1"),
            QueueLog(50, "c2", "support", "NONE", "ENTERQUEUE", "", "2", "1"),
            QueueLog(40, "c3", "vip", "NONE", "ENTERQUEUE", "", "3", "1")));
        await server.TickAsync();
        using var http = server.Http();

        using var first = await http.GetAsync(new Uri("api/live/queues?limit=2", UriKind.Relative));
        var firstQueues = await first.Content.ReadFromJsonAsync<List<JsonElement>>();
        var next = first.Headers.GetValues("Link").Single();
        using var second = await http.GetAsync(new Uri(next[1..next.IndexOf('>', StringComparison.Ordinal)].TrimStart('/'), UriKind.Relative));
        var secondQueues = await second.Content.ReadFromJsonAsync<List<JsonElement>>();

        Assert.Equal(["sales", "support"], firstQueues!.Select(queue => queue.GetProperty("queue").GetString()));
        Assert.Equal("3", first.Headers.GetValues("X-Total-Count").Single());
        Assert.Equal("</api/live/queues?limit=2&offset=2>; rel=\"next\"", next);
        Assert.Equal(["vip"], secondQueues!.Select(queue => queue.GetProperty("queue").GetString()));
        Assert.False(second.Headers.Contains("Link"));
    }

    [Fact]
    public async Task HistoryRowsComeInPages()
    {
        // Calls at 09:30, 09:45 and 09:55 this morning (Shanghai): two 15-minute rows, offered 1 and 2; the second page of one row is 09:45.
        await using var server = await StartAsync();
        await server.PostQueueLogAsync(Lines(
            QueueLog(1800, "c1", "sales", "NONE", "ENTERQUEUE", "", "1", "1"),
            QueueLog(1790, "c1", "sales", "NONE", "ABANDON", "1", "1", "10"),
            QueueLog(900, "c2", "sales", "NONE", "ENTERQUEUE", "", "2", "1"),
            QueueLog(890, "c2", "sales", "NONE", "ABANDON", "1", "1", "10"),
            QueueLog(300, "c3", "sales", "NONE", "ENTERQUEUE", "", "3", "1"),
            QueueLog(290, "c3", "sales", "NONE", "ABANDON", "1", "1", "10")));
        await server.TickAsync();
        await server.Service<HistoryTickWriter>().Writing;
        using var http = server.Http();

        using var response = await http.GetAsync(new Uri("api/history/queues?from=2026-05-04T09:00&to=2026-05-04T10:00&tz=Asia/Shanghai&offset=1&limit=1", UriKind.Relative));
        var rows = await response.Content.ReadFromJsonAsync<List<JsonElement>>();

        var row = Assert.Single(rows!);
        Assert.Equal(("2026-05-04T09:45:00+08:00", 2L), (row.GetProperty("interval_start").GetString(), row.GetProperty("offered").GetInt64()));
        Assert.Equal("2", response.Headers.GetValues("X-Total-Count").Single());
    }
}
