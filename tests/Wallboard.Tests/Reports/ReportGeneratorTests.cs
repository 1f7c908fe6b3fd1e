using Microsoft.Extensions.Time.Testing;
using Wallboard.Metrics;
using Wallboard.Metrics.Counters;
using Wallboard.Metrics.History;
using Wallboard.Reports;

namespace Wallboard.Tests.Reports;

/// <summary>The daily report of <see cref="HandWorkedDay"/>, read back from the PDF.</summary>
public sealed class ReportGeneratorTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("wallboard-report-").FullName;

    /// <summary>07:00 on 28 Nov in Shanghai, when the daily job runs.</summary>
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 27, 23, 0, 0, TimeSpan.Zero));

    private static readonly ReportOptions Options = new()
    {
        Kpi = new KpiOptions { TimeZone = HandWorkedDay.Zone },
        ServiceLevelTarget = 0.8,
        RingRateTarget = 0.9,
        AgentCallTargetPerDay = 120,
    };

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private async Task<GeneratedReport> DailyAsync(string language, long? writtenUpTo = HandWorkedDay.EndOfDay, IEnumerable<HistoryPoint>? more = null)
    {
        using var store = await HandWorkedDay.StoreAsync(_dir, writtenUpTo, more);
        return await new ReportGenerator(store, Options, _time).GenerateAsync(
            new ReportRequest(ReportPeriod.Daily, HandWorkedDay.Day, HandWorkedDay.Zone, null, language));
    }

    [Fact]
    public async Task DailyReportInEnglishShowsTheHandWorkedFigures()
    {
        var report = await DailyAsync("en");
        var png = await ReportPdf.SaveWithFirstPagePngAsync(report.Pdf, "daily-en");
        var pages = ReportPdf.PageTexts(report.Pdf);
        var all = string.Join("\n", pages);

        Assert.True(report.Complete);
        Assert.Null(report.IncompleteReason);
        Assert.Equal("Daily report 2026-11-27", report.Title);
        Assert.Equal("wallboard-daily-2026-11-27-en.pdf", report.FileName);
        Assert.Equal(new DateTimeOffset(2026, 11, 28, 7, 0, 0, TimeSpan.FromHours(8)), report.GeneratedAt);
        Assert.True(File.Exists(png));

        // Headline: offered 400 (+25.0 % on 320), SL 80.0 % (+5.0 pts), ring rate 90.0 %, ASA 0:10, AHT 3:00, abandon 5.0 %, conversion 20.0 %.
        var first = pages[0];
        Assert.Contains("Daily report 2026-11-27", first, StringComparison.Ordinal);
        Assert.Contains("400", first, StringComparison.Ordinal);
        Assert.Contains("+25.0% vs previous", first, StringComparison.Ordinal);
        Assert.Contains("80.0%", first, StringComparison.Ordinal);
        Assert.Contains("+5.0 pts vs previous", first, StringComparison.Ordinal);
        Assert.Contains("90.0%", first, StringComparison.Ordinal);
        Assert.Contains("0:10", first, StringComparison.Ordinal);
        Assert.Contains("−0:05 vs previous", first, StringComparison.Ordinal);
        Assert.Contains("3:00", first, StringComparison.Ordinal);
        Assert.Contains("−0:20 vs previous", first, StringComparison.Ordinal);
        Assert.Contains("−2.5 pts vs previous", first, StringComparison.Ordinal);
        Assert.Contains("+10.0 pts vs previous", first, StringComparison.Ordinal);
        Assert.Contains($"page 1 of {pages.Count}", first, StringComparison.Ordinal);
        Assert.Contains($"page {pages.Count} of {pages.Count}", pages[^1], StringComparison.Ordinal);

        // The headline object says the same, for the email body.
        Assert.Equal(400, report.Headline.Offered.Current);
        Assert.Equal(320, report.Headline.Offered.Previous);
        Assert.Equal(0.8, report.Headline.ServiceLevel.Current!.Value, 9);
        Assert.Equal(0.05, report.Headline.ServiceLevel.Change!.Value, 9);
        Assert.Equal(0.9, report.Headline.RingRate.Current!.Value, 9);
        Assert.Equal(10, report.Headline.AsaSeconds.Current!.Value, 9);
        Assert.Equal(180, report.Headline.AhtSeconds.Current!.Value, 9);
        Assert.Equal(0.05, report.Headline.AbandonRate.Current!.Value, 9);
        Assert.Equal(0.2, report.Headline.ConversionRate.Current!.Value, 9);

        // Queue rows: sales 200 offered at 83.5 %, support 200 at 76.5 %.
        Assert.Contains("sales 200 190 10 0 83.5%", all, StringComparison.Ordinal); // offered, answered, abandoned, withdrawn, SL
        Assert.Contains("support 200 190 10 0 76.5%", all, StringComparison.Ordinal);

        // Agents: handled, AHT, login, pause, occupancy, conversions, call-target attainment.
        Assert.Contains("alice 100 2:42 7:30 1:15 80.0% 12 100.0%", all, StringComparison.Ordinal);
        Assert.Contains("bob 80 3:20 6:00 0:00 80.0% 6 75.0%", all, StringComparison.Ordinal);

        // Campaign: 200 attempts, 25.0 % connected, 10 conversions, 20.0 %.
        Assert.Contains("winback 200 25.0% 10 20.0%", all, StringComparison.Ordinal);

        // The hours below target: 09:00 at 72.0 % (−8.0 pts) and 14:00 at 76.5 %; 10:00 made it.
        Assert.Contains("09:00-10:00 100 90 72.0% −8.0 pts", all, StringComparison.Ordinal);
        Assert.Contains("14:00-15:00 200 190 76.5% −3.5 pts", all, StringComparison.Ordinal);
        Assert.DoesNotContain("10:00-11:00", all, StringComparison.Ordinal);

        // The definitions in the footer.
        Assert.Contains("answered within 20 s", first, StringComparison.Ordinal);
        Assert.Contains("3 rings of 5 s", first, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DailyReportInChineseEmbedsTheCjkGlyphs()
    {
        var report = await DailyAsync("zh-CN");
        await ReportPdf.SaveWithFirstPagePngAsync(report.Pdf, "daily-zh-CN");
        var pages = ReportPdf.PageTexts(report.Pdf);
        var first = pages[0];
        var all = string.Join("\n", pages);
        // PdfPig splits words between ideographs where the glyphs' advances leave a gap; Chinese has no spaces anyway.
        var compact = first.Replace(" ", string.Empty, StringComparison.Ordinal);

        Assert.Equal("日报 2026-11-27", report.Title);
        Assert.Equal("wallboard-daily-2026-11-27-zh-CN.pdf", report.FileName);
        Assert.Contains("日报", compact, StringComparison.Ordinal);
        Assert.Contains("服务水平", compact, StringComparison.Ordinal);
        Assert.Contains("平均处理时长", compact, StringComparison.Ordinal);
        Assert.Contains("80.0%", first, StringComparison.Ordinal);
        Assert.Contains("400", first, StringComparison.Ordinal);
        Assert.Contains("较上期", compact, StringComparison.Ordinal);
        Assert.Contains("坐席", all.Replace(" ", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Contains("第1页，共", compact, StringComparison.Ordinal);
        Assert.Contains("alice 100 2:42 7:30 1:15 80.0% 12 100.0%", all, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnAgentTableLongerThanAPageRepeatsItsHeaderOnTheNextPage()
    {
        var agents = Enumerable.Range(1, 120).Select(i => HistoryPoint.Agent(
            $"agent{i:000}", HandWorkedDay.NineAm, new AgentCounters { Handled = i, TalkMs = i * 100_000L, LoginMs = 28_800_000 }));
        var report = await DailyAsync("en", more: agents);
        var pages = ReportPdf.PageTexts(report.Pdf);

        var withAgents = pages.Select((text, index) => (text, index)).Where(page => page.text.Contains("agent", StringComparison.Ordinal)).ToList();
        Assert.True(withAgents.Count >= 2, $"the agents fit on {withAgents.Count} page(s)");
        foreach (var (text, index) in withAgents)
        {
            Assert.True(text.Contains("Agent Handled AHT Login Pause Occupancy", StringComparison.Ordinal), $"page {index + 1} has agents but no header row");
        }

        Assert.Contains("agent001", pages[withAgents[0].index], StringComparison.Ordinal);
        Assert.Contains("agent120", pages[withAgents[^1].index], StringComparison.Ordinal);
        Assert.Contains($"page {withAgents[^1].index + 1} of {pages.Count}", pages[withAgents[^1].index], StringComparison.Ordinal);
    }

    [Fact]
    public async Task AStoreBehindTheEndOfThePeriodMakesTheReportIncomplete()
    {
        var report = await DailyAsync("en", writtenUpTo: HandWorkedDay.EndOfDay - (15 * 60_000));
        var first = ReportPdf.PageTexts(report.Pdf)[0];

        Assert.False(report.Complete);
        Assert.Contains("written up to 2026-11-27 23:45", report.IncompleteReason, StringComparison.Ordinal);
        Assert.Contains("Incomplete data", first, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AStoreNeverWrittenMakesTheReportIncomplete()
    {
        var report = await DailyAsync("en", writtenUpTo: null);

        Assert.False(report.Complete);
        Assert.Equal("No history has been written yet.", report.IncompleteReason);
    }

    [Fact]
    public async Task AWeeklyReportSumsTheIsoWeekAndHasNoPreviousWeek()
    {
        using var store = await HandWorkedDay.StoreAsync(_dir);
        var report = await new ReportGenerator(store, Options, _time).GenerateAsync(
            new ReportRequest(ReportPeriod.Weekly, new DateOnly(2026, 11, 25), HandWorkedDay.Zone, null));
        await ReportPdf.SaveWithFirstPagePngAsync(report.Pdf, "weekly-en");
        var first = ReportPdf.PageTexts(report.Pdf)[0];

        // 26 and 27 Nov are in ISO week 48 (Mon 23 – Sun 29 Nov): 400 + 320 offered.
        Assert.Equal("Weekly report 2026-W48", report.Title);
        Assert.Equal("wallboard-weekly-2026-W48-en.pdf", report.FileName);
        Assert.Equal(720, report.Headline.Offered.Current);
        Assert.Null(report.Headline.Offered.Previous);
        Assert.Contains("720", first, StringComparison.Ordinal);
        Assert.Contains("no previous figure", first, StringComparison.Ordinal);
        Assert.False(report.Complete);
    }

    [Fact]
    public async Task AReportForSomeQueuesCountsOnlyThem()
    {
        using var store = await HandWorkedDay.StoreAsync(_dir);
        var report = await new ReportGenerator(store, Options, _time).GenerateAsync(
            new ReportRequest(ReportPeriod.Daily, HandWorkedDay.Day, HandWorkedDay.Zone, ["support"]));

        // support alone: 200 offered, 153 within SL → 76.5 %.
        Assert.Equal(200, report.Headline.Offered.Current);
        Assert.Equal(0.765, report.Headline.ServiceLevel.Current!.Value, 9);
        Assert.Contains("Queues: support", ReportPdf.PageTexts(report.Pdf)[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task ADayWithoutCallsStillMakesAReportThatSaysSo()
    {
        using var store = await HandWorkedDay.StoreAsync(_dir);
        var report = await new ReportGenerator(store, Options, _time).GenerateAsync(
            new ReportRequest(ReportPeriod.Daily, new DateOnly(2026, 11, 20), HandWorkedDay.Zone, null));
        var all = string.Join("\n", ReportPdf.PageTexts(report.Pdf));

        Assert.Null(report.Headline.Offered.Current);
        Assert.Null(report.Headline.ServiceLevel.Current);
        Assert.Contains("No data for this period.", all, StringComparison.Ordinal);
        Assert.Contains("page 1 of", all, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMissingFontFileIsNamedInTheError()
    {
        using var store = await HandWorkedDay.StoreAsync(_dir);
        var options = Options with { RegularFontPath = "/nonexistent/NotoSansCJK-Regular.ttc" };
        var generator = new ReportGenerator(store, options, _time);

        var error = await Assert.ThrowsAsync<FileNotFoundException>(() => generator.GenerateAsync(
            new ReportRequest(ReportPeriod.Daily, HandWorkedDay.Day, HandWorkedDay.Zone, null)));
        Assert.Contains("/nonexistent/NotoSansCJK-Regular.ttc", error.Message, StringComparison.Ordinal);
        Assert.Contains("fonts-noto-cjk", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUnknownLanguageIsRefused()
    {
        using var store = await HandWorkedDay.StoreAsync(_dir);
        var generator = new ReportGenerator(store, Options, _time);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => generator.GenerateAsync(
            new ReportRequest(ReportPeriod.Daily, HandWorkedDay.Day, HandWorkedDay.Zone, null, "fr")));
        Assert.Contains("'fr'", error.Message, StringComparison.Ordinal);
    }
}
