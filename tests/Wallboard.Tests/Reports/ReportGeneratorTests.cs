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

        // Page 1's sentence: the change against the day before is left out (that day is partial, and the banner says so);
        // 20 Nov, the same weekday a week before, has no calls.
        Assert.Contains(
            "Fri 27 Nov 2026: 400 calls offered, 380 answered; service level 80.0% against a target of 80.0%, on target; "
            + "2 of 3 hours with calls missed the service-level target, the costliest 14:00-15:00 (200 offered, 47 not answered within 20 s); "
            + "abandon rate 5.0% against a target of 5.0%, on target.",
            first,
            StringComparison.Ordinal);
        Assert.Equal(
            "Fri 27 Nov 2026: 400 calls offered, 380 answered; service level 80.0% against a target of 80.0%, on target; "
            + "2 of 3 hours with calls missed the service-level target, the costliest 14:00-15:00 (200 offered, 47 not answered within 20 s); "
            + "abandon rate 5.0% against a target of 5.0%, on target.",
            report.Summary);
        Assert.Contains(
            "Partial data in the comparison: Thu 26 Nov 2026 has calls only from 2026-11-26 09:00 to 2026-11-26 09:15, so changes against it may mislead.",
            first,
            StringComparison.Ordinal);
        Assert.Contains("no figure last Fri", first, StringComparison.Ordinal);
        Assert.Contains("Compared with: Thu 26 Nov 2026 and Fri 20 Nov 2026 (same weekday a week before)", first, StringComparison.Ordinal);
        // PdfPig reads the key-figure boxes row by row across the page: the targets of SL and ring rate, then where each stands.
        Assert.Contains("target 80.0% target 90.0% on target on target", first, StringComparison.Ordinal);
        Assert.Contains("target 5.0% on target", first, StringComparison.Ordinal);

        // Queues: where calls ended (offered, answered, abandoned, short, timed out, exited by key, exited empty, withdrawn), then service
        // (offered, SL, ring rate, ASA, AHT, abandon rate, longest wait): sales rings (81+95)/190, ASA 1,400/190 s, AHT 30,000/190 s.
        Assert.Contains("sales 200 190 10 0 0 0 0 0", all, StringComparison.Ordinal);
        Assert.Contains("support 200 190 10 0 0 0 0 0", all, StringComparison.Ordinal);
        Assert.Contains("Total 400 380 20 0 0 0 0 0", all, StringComparison.Ordinal);
        Assert.Contains("sales 200 83.5% 92.6% 0:07 2:38 5.0% 0:00", all, StringComparison.Ordinal);
        Assert.Contains("Total 400 80.0% 90.0% 0:10 3:00 5.0% 0:00", all, StringComparison.Ordinal);

        // Agents: queue calls ranked by calls handled (rank, handled, AHT, login, pause, occupancy); outbound ranked by conversions
        // (attempts, connects, connect rate, talk, conversions, conversion rate); without teams, only the total.
        Assert.Contains("1 alice 100 2:42 7:30 1:15 80.0%", all, StringComparison.Ordinal);
        Assert.Contains("2 bob 80 3:20 6:00 0:00 80.0%", all, StringComparison.Ordinal);
        Assert.Contains("All agents (2) 180", all, StringComparison.Ordinal);
        Assert.Contains("1 alice 40 20 50.0% 0:30 12 12.0%", all, StringComparison.Ordinal);
        Assert.Contains("2 bob 30 10 33.3% 0:21 6 7.5%", all, StringComparison.Ordinal);

        // Calls against target (120 a day): alice (100 + 20) / 120, bob (80 + 10) / 120.
        Assert.Contains("1 of 2 agents reached their target.", all, StringComparison.Ordinal);
        Assert.Contains("1 alice 1 120 0 120 100.0%", all, StringComparison.Ordinal);
        Assert.Contains("2 bob 1 90 0 120 75.0%", all, StringComparison.Ordinal);

        // Campaign: attempts, connects, connect rate, talk, contacts, conversions, rate; callbacks 6 of 20, first contacts 4 of 30.
        Assert.Contains("winback 200 50 25.0% 0:00 50 10 20.0%", all, StringComparison.Ordinal);
        Assert.Contains("winback 50 20 6 30.0% 13.3%", all, StringComparison.Ordinal);

        // The hours below target, the costliest first: 14:00 (47 not in time) before 09:00 (28), whose service level is lower; 10:00 made it.
        Assert.Contains("14:00-15:00 200 47 76.5% −3.5 37 10 0:13", all, StringComparison.Ordinal);
        Assert.Contains("09:00-10:00 100 28 72.0% −8.0 18 10 0:10", all, StringComparison.Ordinal);
        Assert.True(all.IndexOf("14:00-15:00 200 47", StringComparison.Ordinal) < all.IndexOf("09:00-10:00 100 28", StringComparison.Ordinal), "14:00 costs more and comes first");
        Assert.DoesNotContain("10:00-11:00", all, StringComparison.Ordinal);

        // Waits (bands of sales; support's point has none): shares and cumulative shares of answered and of abandoned.
        Assert.Contains("≤10 s 130 68.4% 68.4% 1 10.0% 10.0%", all, StringComparison.Ordinal);
        Assert.Contains("10–20 s 37 19.5% 87.9% 2 20.0% 30.0%", all, StringComparison.Ordinal);
        Assert.Contains("30–60 s 8 4.2% 97.9% 3 30.0% 80.0%", all, StringComparison.Ordinal);
        Assert.Contains(">5 min 0 0.0% 100.0% 0 0.0% 100.0%", all, StringComparison.Ordinal);
        Assert.Contains("Total 190 100.0% 10 100.0%", all, StringComparison.Ordinal);
        Assert.Contains("The distribution holds 200 of 400 calls", all, StringComparison.Ordinal);

        // The definitions in the footer.
        Assert.Contains("answered within 20 s", first, StringComparison.Ordinal);
        Assert.Contains("within 3 rings of 5 s", first, StringComparison.Ordinal);
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
        Assert.Contains("1 alice 100 2:42 7:30 1:15 80.0%", all, StringComparison.Ordinal);

        // The glossary's terms and full-width punctuation.
        Assert.Contains("三声接起率", compact, StringComparison.Ordinal);
        Assert.Contains("小休时长", all.Replace(" ", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Contains("目标80.0%目标90.0%达到目标达到目标", compact, StringComparison.Ordinal);
        Assert.Equal(
            "2026年11月27日（周五）：呼入 400 通，接通 380 通；服务水平 80.0%，目标 80.0%，达到目标；"
            + "3 个有来电的时段中有 2 个服务水平未达标，影响最大的是 14:00-15:00（呼入 200 通，47 通未在 20 秒内接起）；放弃率 5.0%，目标 5.0%，达到目标。",
            report.Summary);
        Assert.Contains(report.Summary.Replace(" ", string.Empty, StringComparison.Ordinal), compact, StringComparison.Ordinal);
        Assert.Contains("统计周期：2026年11月27日（周五）", compact, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnAgentTableLongerThanAPageRepeatsItsHeaderOnTheNextPage()
    {
        var agents = Enumerable.Range(1, 120).Select(i => HistoryPoint.Agent(
            $"agent{i:000}", HandWorkedDay.NineAm, new AgentCounters { Handled = i, TalkMs = i * 100_000L, LoginMs = 28_800_000 }));
        var report = await DailyAsync("en", more: agents);
        var pages = ReportPdf.PageTexts(report.Pdf);

        // Rows "agent001" … "agent120" fill the inbound table (ranked by calls handled: agent120 first) and the call-target table.
        var withAgents = pages.Select((text, index) => (text, index)).Where(page => page.text.Contains(" agent0", StringComparison.Ordinal) || page.text.Contains(" agent1", StringComparison.Ordinal)).ToList();
        Assert.True(withAgents.Count >= 3, $"the agents fit on {withAgents.Count} page(s)");
        foreach (var (text, index) in withAgents)
        {
            Assert.True(
                text.Contains("# Agent Handled AHT Login Pause Occupancy", StringComparison.Ordinal) || text.Contains("# Agent Team Days Calls Complaints Target Attainment", StringComparison.Ordinal),
                $"page {index + 1} has agents but no header row");
        }

        Assert.Contains("1 agent120 120", pages[withAgents[0].index], StringComparison.Ordinal);
        Assert.Contains("agent001", pages[withAgents[^1].index], StringComparison.Ordinal);
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

    [Theory]
    [InlineData("en", "Nothing was recorded for Fri 20 Nov 2026 (Asia/Shanghai): no calls, no agent logged in, no campaign activity.")]
    [InlineData("zh-CN", "2026年11月20日（周五）（Asia/Shanghai）没有任何记录：没有来电、没有坐席登录、没有外呼活动。")]
    public async Task ADayWithoutDataSaysSoInWordsAndNothingElse(string language, string expected)
    {
        using var store = await HandWorkedDay.StoreAsync(_dir);
        var report = await new ReportGenerator(store, Options, _time).GenerateAsync(
            new ReportRequest(ReportPeriod.Daily, new DateOnly(2026, 11, 20), HandWorkedDay.Zone, null, language));
        var pages = ReportPdf.PageTexts(report.Pdf);
        var compact = pages[0].Replace(" ", string.Empty, StringComparison.Ordinal);

        Assert.False(report.HasData);
        Assert.Null(report.Headline.Offered.Current);
        Assert.Null(report.Headline.ServiceLevel.Current);
        Assert.Equal(expected.Replace(" ", string.Empty, StringComparison.Ordinal), report.Summary.Replace(" ", string.Empty, StringComparison.Ordinal)[..expected.Replace(" ", string.Empty, StringComparison.Ordinal).Length]);
        Assert.Contains(expected.Replace(" ", string.Empty, StringComparison.Ordinal), compact, StringComparison.Ordinal);
        // One page: no empty charts, no tables of dashes.
        Assert.Single(pages);
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
