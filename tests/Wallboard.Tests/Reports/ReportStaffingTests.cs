using Microsoft.Extensions.Time.Testing;
using Wallboard.Metrics;
using Wallboard.Metrics.Counters;
using Wallboard.Metrics.History;
using Wallboard.Metrics.Staffing;
using Wallboard.Reports;

namespace Wallboard.Tests.Reports;

/// <summary>The daily report's forecast-against-actual chart and its schedule adherence table.</summary>
public sealed class ReportStaffingTests : IDisposable
{
    private const long Quarter = 15 * 60_000L;
    private const long Week = 7 * 86_400_000L;

    private readonly string _dir = Directory.CreateTempSubdirectory("wallboard-report-staffing-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>
    /// carol is on the rota 09:00–09:45 (2,700 s). She is logged in 900 s in the 09:00 quarter and
    /// 900 s in the 09:15 one, 450 s of it paused, and not at all after: 1,350 s adhering (50.0 %),
    /// and 1,350 s worked all day against 2,700 s scheduled (50.0 %). The two Fridays before had
    /// calls at 09:00, so the forecast chart is drawn.
    /// </summary>
    [Fact]
    public async Task DailyReportShowsTheForecastChartAndEachScheduledAgentsAdherence()
    {
        var nine = HandWorkedDay.NineAm;
        using var store = await HandWorkedDay.StoreAsync(_dir, more:
        [
            HistoryPoint.Agent("carol", nine, new AgentCounters { LoginMs = 900_000 }),
            HistoryPoint.Agent("carol", nine + Quarter, new AgentCounters { LoginMs = 900_000, PauseMs = 450_000 }),
            HistoryPoint.Queue("sales", nine - Week, new QueueCounters { Offered = 80, Answered = 80, Handled = 80, TalkMs = 80 * 200_000 }),
            HistoryPoint.Queue("sales", nine - (2 * Week), new QueueCounters { Offered = 60, Answered = 60, Handled = 60, TalkMs = 60 * 200_000 }),
        ]);
        var rota = new Rota([new RotaEntry("carol", nine, nine + (3 * Quarter), RotaEntry.Work)]);
        var options = new ReportOptions { Kpi = new KpiOptions { TimeZone = HandWorkedDay.Zone }, RotaOf = _ => rota };
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 27, 23, 0, 0, TimeSpan.Zero));

        var report = await new ReportGenerator(store, options, time).GenerateAsync(
            new ReportRequest(ReportPeriod.Daily, HandWorkedDay.Day, HandWorkedDay.Zone, null, "en"));
        var all = string.Join("\n", ReportPdf.PageTexts(report.Pdf));
        await ReportPdf.SaveWithFirstPagePngAsync(report.Pdf, "daily-staffing-en");

        Assert.Contains("Calls forecast and offered by hour", all, StringComparison.Ordinal);
        Assert.Contains("Schedule adherence Agent Scheduled Adherence Conformance carol 0:45 50.0% 50.0%", all, StringComparison.Ordinal);
    }
}
