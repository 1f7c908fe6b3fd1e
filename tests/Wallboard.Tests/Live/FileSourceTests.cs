using System.Net.Http.Json;
using Wallboard.Hub.Hosting;

namespace Wallboard.Tests.Live;

/// <summary>The CDR tail reads complete new rows on the server's clock and screens see them.</summary>
public sealed class FileSourceTests
{
    private const string Outbound = """
        {
          "id": "outbound",
          "name": "Outbound",
          "campaigns": ["camp-spring"],
          "tiles": [
            { "id": "attempts", "title": "Attempts today", "kpi": "attempts", "window": "today" },
            { "id": "connect-rate", "title": "Connect rate today", "kpi": "connect_rate", "window": "today", "format": "percent" }
          ]
        }
        """;

    [Fact]
    public async Task NewCompleteCdrRowsReachTheScreensAndAPartialRowWaits()
    {
        var root = Path.Combine(Path.GetTempPath(), "wallboard-cdr-" + Guid.NewGuid().ToString("N"));
        var folder = Path.Combine(root, "cdr");
        Directory.CreateDirectory(folder);
        var master = Path.Combine(folder, "Master.csv");

        // Two dialer attempts of campaign camp-spring this morning (local time, Asia/Shanghai):
        // one answered, one not → attempts 2, connect rate 1/2.
        await File.WriteAllTextAsync(master, Row("09:50:00", "09:50:10", "09:50:40", 40, 30, "ANSWERED", "1") + Row("09:51:00", null, "09:51:20", 20, 0, "NO ANSWER", "2"));
        try
        {
            await using var server = await LiveServer.StartAsync(
                new Dictionary<string, string> { ["Sources:Cdr"] = folder, ["Sources:StatePath"] = Path.Combine(root, "state"), ["Sources:CdrOutboundContexts:0"] = "dialer" },
                ("outbound.json", Outbound));
            await server.Service<MetricsCore>().WhenAppliedAsync(2).WaitAsync(LiveServer.Timeout);
            await server.TickAsync();
            await using var screen = await server.ConnectAsync();
            var state = await screen.JoinAsync("outbound");
            Assert.Equal((2.0, "50%"), (state.Tiles[0].Value, state.Tiles[1].Display));

            // A busy attempt and half of a fourth row: only the complete row is read. Attempts 3,
            // connect rate 1/3 → 33%.
            var busy = Row("09:52:00", null, "09:52:05", 5, 0, "BUSY", "3");
            var partial = Row("09:53:00", null, "09:53:05", 5, 0, "BUSY", "4")[..40];
            await File.AppendAllTextAsync(master, busy + partial);
            var applied = server.Service<MetricsCore>().WhenAppliedAsync(3);
            server.Time.Advance(TimeSpan.FromSeconds(0.5));
            await applied.WaitAsync(LiveServer.Timeout);
            await server.TickAsync();

            var tiles = await ScreenClient.NextAsync(screen.Tiles);
            Assert.Equal((3.0, "33%"), (tiles.Single(t => t.Id == "attempts").Value, tiles.Single(t => t.Id == "connect-rate").Display));
            using var http = server.Http();
            var health = await http.GetFromJsonAsync<Health>(new Uri("healthz", UriKind.Relative));
            var tail = Assert.Single(health!.Tails);
            Assert.Equal(("cdr", master, new FileInfo(master).Length - partial.Length, 3L), (tail.Kind, tail.File, tail.Offset, tail.Events));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static string Row(string start, string? answer, string end, int duration, int billsec, string disposition, string id) =>
        $"\"camp-spring\",\"1001\",\"555123{id}\",\"dialer\",\"\",\"SIP/1001-0000001{id}\",\"SIP/trunk-0000002{id}\",\"Dial\",\"SIP/trunk/555123{id},30\"," +
        $"\"2026-05-04 {start}\",\"{(answer is null ? string.Empty : "2026-05-04 " + answer)}\",\"2026-05-04 {end}\",{duration},{billsec},\"{disposition}\",\"DOCUMENTATION\",\"1777859{id}00.1\",\"\"\n";

    private sealed record Health(List<Tail> Tails);

    private sealed record Tail(string Kind, string File, long Offset, long Events);
}
