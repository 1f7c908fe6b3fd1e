using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Wallboard.Metrics.Counters;
using Wallboard.Metrics.History;
using Wallboard.Tests.Live;

namespace Wallboard.Tests.Staffing;

public sealed class ForecastApiTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("wallboard-forecast-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>
    /// Now is Monday 2026-05-04 10:00 in Shanghai. The two Mondays before had 40 and 20 calls at
    /// 11:00–11:15 (weights 1 and 0.8: forecast (40 + 16) / 1.8 = 31.1), each 200 s handled. Today
    /// had no call yet by 10:00 against none forecast, so no scaling. The rota has two agents on
    /// 08:00–16:00 and one of them at lunch 11:00–11:30: 1.5 agents on average over 11:00–12:00.
    /// </summary>
    [Fact]
    public async Task ForecastRowsPerQueueAndStepWithTheTotalsScheduledBeside()
    {
        var rota = Path.Combine(_dir, "rota.csv");
        await File.WriteAllTextAsync(rota, "agent,date,start,end,activity\nA1,2026-05-04,08:00,16:00,work\nA2,2026-05-04,08:00,16:00,work\nA2,2026-05-04,11:00,11:30,lunch\n");
        await using var server = await LiveServer.StartAsync(new Dictionary<string, string> { ["Staffing:RotaFile"] = rota }, ("sales.json", TestDashboards.Sales));
        var eleven = LiveServer.Now.AddHours(1).ToUnixTimeMilliseconds();
        var week = 7 * 86_400_000L;
        await server.Service<IKpiHistoryStore>().WriteAsync(
        [
            HistoryPoint.Queue("sales", eleven - week, new QueueCounters { Offered = 40, Answered = 40, Handled = 40, TalkMs = 40 * 200_000 }),
            HistoryPoint.Queue("sales", eleven - (2 * week), new QueueCounters { Offered = 20, Answered = 20, Handled = 20, TalkMs = 20 * 200_000 }),
        ], null);
        using var http = server.Http();

        var rows = await http.GetFromJsonAsync<JsonElement>(new Uri("api/forecast?date=2026-05-04&step=1h", UriKind.Relative));

        var sales = rows.EnumerateArray().Where(r => r.GetProperty("queue").GetString() == "sales").ToList();
        Assert.Equal(24, sales.Count);
        var at11 = sales.Single(r => r.GetProperty("interval_start").GetString() == "2026-05-04T11:00:00+08:00");
        Assert.Equal(Math.Round(56 / 1.8, 3), at11.GetProperty("offered").GetDouble());
        Assert.Equal(200, at11.GetProperty("aht_seconds").GetDouble());
        Assert.True(at11.GetProperty("agents_required").GetInt32() >= 2);
        Assert.Equal(JsonValueKind.Null, at11.GetProperty("actual_offered").ValueKind);
        var total = rows.EnumerateArray().Single(r => r.GetProperty("queue").GetString() == "*" && r.GetProperty("interval_start").GetString() == "2026-05-04T11:00:00+08:00");
        Assert.Equal(1.5, total.GetProperty("agents_scheduled").GetDouble());
        Assert.Equal(at11.GetProperty("agents_required").GetInt32(), total.GetProperty("agents_required").GetInt32());

        // Without a date: the rest of today (from the step now under way) and tomorrow, in CSV too.
        var rest = await http.GetFromJsonAsync<JsonElement>(new Uri("api/forecast?step=30m&queues=sales", UriKind.Relative));
        var starts = rest.EnumerateArray().Where(r => r.GetProperty("queue").GetString() == "sales").Select(r => r.GetProperty("interval_start").GetString()).ToList();
        Assert.Equal("2026-05-04T10:00:00+08:00", starts[0]);
        Assert.Equal("2026-05-05T23:30:00+08:00", starts[^1]);
        Assert.Equal(28 + 48, starts.Count);
        var csv = await http.GetStringAsync(new Uri("api/forecast?step=1h&format=csv", UriKind.Relative));
        Assert.StartsWith("queue,interval_start,offered,offered_unscaled,actual_offered,aht_seconds,patience_seconds,agents_required,agents_scheduled,agents_logged_in", csv, StringComparison.Ordinal);

        using var bad = await http.GetAsync(new Uri("api/forecast?step=2h", UriKind.Relative));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("step", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}

public sealed class NextHoursStripTests
{
    private const string Board = """
        {
          "id": "sup",
          "name": "Supervisor",
          "queues": ["sales"],
          "tiles": [{ "id": "gap", "title": "Gap", "kpi": "staffing_gap", "window": "live", "format": "number",
                      "thresholds": { "direction": "below", "amber": 0, "red": -1 } }],
          "nextHours": { "hours": 2, "step": "30m" }
        }
        """;

    /// <summary>
    /// Now is Monday 10:00; the Monday before had 30 calls of 200 s at 10:30–10:45 and nothing else.
    /// The strip shows 10:00 to 11:30 in four steps; the 10:30 step needs agents and the rota (one
    /// agent 08:00–16:00) has one: red if one is too few.
    /// </summary>
    [Fact]
    public async Task TheStripShowsTheComingStepsForecastBesideTheRota()
    {
        var dir = Directory.CreateTempSubdirectory("wallboard-strip-").FullName;
        try
        {
            var rota = Path.Combine(dir, "rota.csv");
            await File.WriteAllTextAsync(rota, "agent,date,start,end,activity\nA1,2026-05-04,08:00,16:00,work\n");
            await using var server = await LiveServer.StartAsync(new Dictionary<string, string> { ["Staffing:RotaFile"] = rota }, ("sup.json", Board));
            var half = LiveServer.Now.AddMinutes(30).ToUnixTimeMilliseconds() - (7 * 86_400_000L);
            await server.Service<IKpiHistoryStore>().WriteAsync(
                [HistoryPoint.Queue("sales", half, new QueueCounters { Offered = 30, Answered = 30, Handled = 30, TalkMs = 30 * 200_000 })], null);
            await server.Service<Wallboard.Hub.Staffing.ForecastStrip>().RefreshAsync(CancellationToken.None);
            await server.TickAsync();
            await using var screen = await server.ConnectAsync();

            var state = await screen.JoinAsync("sup");

            Assert.Equal(["10:00", "10:30", "11:00", "11:30"], state.NextHours.Select(cell => cell.Start));
            var busy = state.NextHours[1];
            Assert.Equal(30, busy.Offered);
            Assert.True(busy.Required >= 2, $"{busy}");
            Assert.Equal(1, busy.Scheduled);
            Assert.Equal("red", busy.State);
            Assert.Equal(0, state.NextHours[2].Offered);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
