using Microsoft.Extensions.Time.Testing;
using Wallboard.Hub.History;
using Wallboard.Metrics;
using Wallboard.Metrics.Counters;
using Wallboard.Metrics.History;
using Wallboard.Metrics.Names;
using Wallboard.Reports;

namespace Wallboard.Tests.Reports;

/// <summary>
/// What a manager reads in a report, each on its own small hand-worked data in Shanghai (UTC+8):
/// the missed hours by what they cost, targets worded by their direction, outcomes that add up,
/// agents ranked in teams, the same weekday a week before.
/// </summary>
public sealed class ReportContentTests : IDisposable
{
    private const string Zone = "Asia/Shanghai";
    private const long Hour = 3_600_000;

    private readonly string _dir = Directory.CreateTempSubdirectory("wallboard-report-content-").FullName;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 8, 0, 0, 0, TimeSpan.Zero));

    private static readonly ReportOptions Options = new()
    {
        Kpi = new KpiOptions { TimeZone = Zone },
        ServiceLevelTarget = 0.8,
        RingRateTarget = 0.9,
        AbandonRateTarget = 0.05,
    };

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>Local time in Shanghai as Unix ms.</summary>
    private static long At(int month, int day, int hour) => new DateTimeOffset(2026, month, day, hour, 0, 0, TimeSpan.FromHours(8)).ToUnixTimeMilliseconds();

    /// <summary>The report of <paramref name="points"/>; kept under TestResults/reports as <paramref name="keep"/> (PDF and page 1 image) when named.</summary>
    private async Task<GeneratedReport> ReportAsync(
        ReportPeriod period, DateOnly date, IEnumerable<HistoryPoint> points, string language = "en", ReportOptions? options = null, NameDirectory? names = null, string? keep = null)
    {
        using var store = new SqliteHistoryStore(Path.Combine(_dir, $"history-{Guid.NewGuid():N}.db"));
        await store.WriteAsync([.. points], At(12, 8, 0));
        var report = await new ReportGenerator(store, options ?? Options, _time, names is null ? null : () => names)
            .GenerateAsync(new ReportRequest(period, date, Zone, null, language));
        if (keep is not null)
        {
            await ReportPdf.SaveWithFirstPagePngAsync(report.Pdf, keep);
        }

        return report;
    }

    /// <summary>
    /// Wed 2 Dec 09:00: 189 offered, 2 short abandons, 69 of the other 187 answered within 20 s — 36.9 %,
    /// 118 calls not answered in time (answered late 81, abandoned 37). Thu 3 Dec 03:00: 3 offered, 1 in
    /// time — 33.3 %, 2 not in time. The night hour has the lower service level and the morning the real
    /// failure; the morning comes first.
    /// </summary>
    private static IReadOnlyList<HistoryPoint> MorningAndNight() =>
    [
        HistoryPoint.Queue("sales", At(12, 2, 9), new QueueCounters
        {
            Offered = 189, Answered = 150, Abandoned = 39, ShortAbandoned = 2, AnsweredWithinSl = 69, AnsweredWaitMs = 150 * 40_000L, Handled = 150, TalkMs = 150 * 180_000L,
        }),
        HistoryPoint.Queue("sales", At(12, 3, 3), new QueueCounters { Offered = 3, Answered = 1, Abandoned = 2, AnsweredWithinSl = 1, Handled = 1, TalkMs = 120_000 }),
        HistoryPoint.Queue("sales", At(12, 3, 10), new QueueCounters { Offered = 50, Answered = 50, AnsweredWithinSl = 50, Handled = 50, TalkMs = 50 * 150_000L }),
    ];

    [Fact]
    public async Task MissedHoursAreRankedByTheCallsTheyFailedNotByTheirPercentage()
    {
        var report = await ReportAsync(ReportPeriod.Weekly, new DateOnly(2026, 12, 2), MorningAndNight(), keep: "weekly-missed-hours-en");
        var all = string.Join("\n", ReportPdf.PageTexts(report.Pdf));

        // Hour, offered, not answered within 20 s, service level, points short of 80 %, answered late, abandoned (not short), ASA.
        var morning = all.IndexOf("2 Dec 09:00-10:00 189 118 36.9% −43.1 81 37 0:40", StringComparison.Ordinal);
        var night = all.IndexOf("3 Dec 03:00-04:00 3 2 33.3% −46.7 0 2", StringComparison.Ordinal);
        Assert.True(morning >= 0, "the morning hour is listed with its count beside its percentage");
        Assert.True(night > morning, "the night hour of 3 calls comes after the morning of 118 missed calls");
        Assert.DoesNotContain("3 Dec 10:00-11:00", all, StringComparison.Ordinal);
        Assert.Contains("2 of 3 hours with calls missed the service-level target, the costliest 2 Dec 09:00-10:00 (189 offered, 118 not answered within 20 s)", report.Summary, StringComparison.Ordinal);
    }

    /// <summary>A day of 250 calls, 23 abandoned (9.2 % against 5.0 %: worse above), ASA 10 s against 20 s (better below), SL 200 / 250 = 80.0 % (on).</summary>
    private static IReadOnlyList<HistoryPoint> AbandonHeavyDay() =>
    [
        HistoryPoint.Queue("sales", At(12, 2, 10), new QueueCounters
        {
            Offered = 250, Answered = 227, Abandoned = 23, AnsweredWithinSl = 200, AnsweredWaitMs = 227 * 10_000L, Handled = 227, TalkMs = 227 * 200_000L,
        }),
    ];

    [Theory]
    [InlineData("en", "abandon rate 9.2% against a target of 5.0%, above target (worse)", "target 0:20 target 5.0%", "below target (better) above target (worse)")]
    [InlineData("zh-CN", "放弃率 9.2%，目标 5.0%，高于目标（未达标）", "目标0:20目标5.0%", "低于目标（达标）高于目标（未达标）")]
    public async Task TargetsAreWordedByTheirDirectionInBothLanguages(string language, string summary, string targets, string standings)
    {
        var options = Options with { AsaTargetSeconds = 20 };
        var report = await ReportAsync(ReportPeriod.Daily, new DateOnly(2026, 12, 2), AbandonHeavyDay(), language, options, keep: $"daily-targets-{language}");
        var first = ReportPdf.PageTexts(report.Pdf)[0];
        var english = language == "en";

        Assert.Contains(summary, report.Summary, StringComparison.Ordinal);
        Assert.Contains(Compact(summary, english), Compact(first, english), StringComparison.Ordinal);
        // The second row of key figures, read across the page: the targets of ASA and of the abandon rate, then where each stands.
        Assert.Contains(targets, Compact(first, english), StringComparison.Ordinal);
        Assert.Contains(standings, Compact(first, english), StringComparison.Ordinal);
        Assert.DoesNotContain(english ? "below target (worse)" : "低于目标（未达标）", Compact(first, english), StringComparison.Ordinal);

        // The email's rows say the same.
        var abandon = report.HeadlineRows[6];
        Assert.Equal("9.2%", abandon.Current);
        Assert.Equal(english ? "5.0% · above target (worse)" : "5.0% · 高于目标（未达标）", abandon.Target);
        Assert.False(abandon.TargetMet);
        Assert.Equal(english ? "0:20 · below target (better)" : "0:20 · 低于目标（达标）", report.HeadlineRows[4].Target);
        Assert.True(report.HeadlineRows[4].TargetMet);

        // PdfPig splits Chinese into words where the glyphs leave a gap; Chinese has no spaces anyway.
        static string Compact(string text, bool english) => english ? text : text.Replace(" ", string.Empty, StringComparison.Ordinal);
    }

    /// <summary>
    /// sales: 100 offered = 70 answered + 9 abandoned + 3 short abandons + 5 timed out + 4 exited by key + 6 exited
    /// empty + 3 withdrawn; support: 40 offered = 30 + 4 + 1 + 2 + 0 + 1 + 2. Total 140 = 100 + 13 + 4 + 7 + 4 + 7 + 5.
    /// </summary>
    [Fact]
    public async Task EveryOutcomeIsAColumnAndTheyAddUpToOffered()
    {
        var report = await ReportAsync(ReportPeriod.Daily, new DateOnly(2026, 12, 2),
        [
            HistoryPoint.Queue("sales", At(12, 2, 10), new QueueCounters
            {
                Offered = 100, Answered = 70, Abandoned = 12, ShortAbandoned = 3, TimedOut = 5, ExitedKey = 4, ExitedEmpty = 6, Withdrawn = 3, AnsweredWithinSl = 60, Handled = 70,
            }),
            HistoryPoint.Queue("support", At(12, 2, 11), new QueueCounters
            {
                Offered = 40, Answered = 30, Abandoned = 5, ShortAbandoned = 1, TimedOut = 2, ExitedEmpty = 1, Withdrawn = 2, AnsweredWithinSl = 30, Handled = 30,
            }),
        ], keep: "outcomes-en");
        var all = string.Join("\n", ReportPdf.PageTexts(report.Pdf));

        foreach (var (row, offered) in new[] { ("sales 100 70 9 3 5 4 6 3", 100), ("support 40 30 4 1 2 0 1 2", 40), ("Total 140 100 13 4 7 4 7 5", 140) })
        {
            Assert.Contains(row, all, StringComparison.Ordinal);
            var numbers = row.Split(' ').Skip(1).Select(int.Parse).ToList();
            Assert.Equal(offered, numbers[0]);
            Assert.Equal(numbers[0], numbers.Skip(1).Sum());
        }

        Assert.Contains("Offered = answered + abandoned + short abandons + timed out + exited by key + exited empty + withdrawn", all, StringComparison.Ordinal);
    }

    /// <summary>
    /// Week 49 (Mon 30 Nov – Sun 6 Dec). alice (team North) takes 300 queue calls over 4 days of 8 h with 1 h
    /// pause each (talk 180 s a call); bob (South) 200 over 3 days of 8 h (talk 240 s). carol (North) only
    /// dials: 400 attempts, 120 connected, 6 h talk, 30 of 100 contacts converted over 2 days; dave (South)
    /// 300 attempts, 90 connected, 4.5 h talk, 36 of 120 converted over 3 days.
    /// </summary>
    private static IEnumerable<HistoryPoint> TeamWeek()
    {
        var monday = At(11, 30, 9);
        const long Day = 24 * Hour;
        for (var d = 0; d < 4; d++)
        {
            yield return HistoryPoint.Agent("alice", monday + (d * Day), new AgentCounters { Answered = 75, Handled = 75, TalkMs = 75 * 180_000L, LoginMs = 8 * Hour, PauseMs = Hour });
        }

        foreach (var (d, handled) in new[] { (0, 67), (1, 67), (2, 66) })
        {
            yield return HistoryPoint.Agent("bob", monday + (d * Day), new AgentCounters { Answered = handled, Handled = handled, TalkMs = handled * 240_000L, LoginMs = 8 * Hour });
        }

        for (var d = 0; d < 2; d++)
        {
            yield return HistoryPoint.Agent("carol", monday + (d * Day), new AgentCounters
            {
                OutboundAttempts = 200, OutboundConnected = 60, OutboundTalkMs = 3 * Hour, Contacts = 50, Conversions = 15, LoginMs = 8 * Hour,
            });
        }

        for (var d = 0; d < 3; d++)
        {
            yield return HistoryPoint.Agent("dave", monday + (d * Day), new AgentCounters
            {
                OutboundAttempts = 100, OutboundConnected = 30, OutboundTalkMs = 5_400_000, Contacts = 40, Conversions = 12, LoginMs = 8 * Hour,
            });
        }

        yield return HistoryPoint.Queue("sales", monday, new QueueCounters { Offered = 500, Answered = 500, AnsweredWithinSl = 450, Handled = 500 });
    }

    private static NameDirectory Teams() => NameDirectory.Create(
    [
        new DirectoryLayer
        {
            Agents = new Dictionary<string, AgentEntry>(StringComparer.Ordinal)
            {
                ["alice"] = new() { Team = "north" },
                ["carol"] = new() { Team = "north" },
                ["bob"] = new() { Team = "south" },
                ["dave"] = new() { Team = "south" },
            },
            Teams = new Dictionary<string, TeamEntry>(StringComparer.Ordinal) { ["north"] = new() { Name = "North" }, ["south"] = new() { Name = "South" } },
        },
    ], []);

    [Fact]
    public async Task AgentsAreRankedInTeamsWithSubtotalsAndDiallersShowTheirDialling()
    {
        var report = await ReportAsync(ReportPeriod.Weekly, new DateOnly(2026, 12, 2), TeamWeek(), names: Teams(), keep: "weekly-teams-en");
        var all = string.Join("\n", ReportPdf.PageTexts(report.Pdf));

        // Queue calls, ranked by calls handled: rank, handled, AHT, login, pause, occupancy. alice's 32 h and the team
        // totals are written as hours, not as a clock time; occupancy 54,000 s / (32 − 4) h, all (54,000 + 48,000) / (56 − 4) h.
        Assert.Contains("1 alice 300 3:00 32.0 h 4:00 53.6% Team North (1) 300 3:00 32.0 h 4:00 53.6%", all, StringComparison.Ordinal);
        Assert.Contains("2 bob 200 4:00 24.0 h 0:00 55.6% Team South (1) 200 4:00 24.0 h 0:00 55.6% All agents (2) 500 3:24 56.0 h 4:00 54.5%", all, StringComparison.Ordinal);

        // Dialling, ranked by conversions (dave 36, carol 30): attempts, connects, connect rate, talk, conversions, conversion rate.
        Assert.Contains("2 carol 400 120 30.0% 6:00 30 30.0% Team North (1) 400 120 30.0% 6:00 30 30.0%", all, StringComparison.Ordinal);
        Assert.Contains("1 dave 300 90 30.0% 4:30 36 30.0% Team South (1) 300 90 30.0% 4:30 36 30.0% All agents (2) 700 210 30.0% 10:30 66 30.0%", all, StringComparison.Ordinal);

        // Diallers are not listed among queue agents with "handled 0".
        Assert.DoesNotContain("carol 0", all, StringComparison.Ordinal);
        Assert.DoesNotContain("dave 0", all, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ADayIsComparedWithTheSameWeekdayAWeekBefore()
    {
        // Wed 2 Dec: 400 offered; Tue 1 Dec: 300; Wed 25 Nov: 500, over the same hours.
        var report = await ReportAsync(ReportPeriod.Daily, new DateOnly(2026, 12, 2),
        [
            HistoryPoint.Queue("sales", At(12, 2, 9), new QueueCounters { Offered = 400, Answered = 380, Abandoned = 20, AnsweredWithinSl = 340 }),
            HistoryPoint.Queue("sales", At(12, 1, 9), new QueueCounters { Offered = 300, Answered = 300, AnsweredWithinSl = 270 }),
            HistoryPoint.Queue("sales", At(11, 25, 9), new QueueCounters { Offered = 500, Answered = 450, Abandoned = 50, AnsweredWithinSl = 350 }),
        ]);
        var first = ReportPdf.PageTexts(report.Pdf)[0];

        Assert.Equal(500, report.Headline.Offered.WeekAgo);
        Assert.Equal(new DateOnly(2026, 11, 25), report.Headline.WeekAgoPeriod!.FirstDay);
        // Offered +33.3 % on the day before, −20.0 % on the Wednesday before; SL 85.0 % against 90.0 % and 70.0 %.
        Assert.Contains("+33.3% vs previous", first, StringComparison.Ordinal);
        Assert.Contains("−20.0% vs last Wed", first, StringComparison.Ordinal);
        Assert.Contains("+15.0 pts vs last Wed", first, StringComparison.Ordinal);
        Assert.StartsWith("Wed 2 Dec 2026: 400 calls offered (−20.0% vs last Wed), 380 answered;", report.Summary, StringComparison.Ordinal);
        Assert.DoesNotContain("Partial data", first, StringComparison.Ordinal);
        Assert.Equal("500", report.HeadlineRows[0].WeekAgo);

        var chinese = await ReportAsync(ReportPeriod.Daily, new DateOnly(2026, 12, 2),
        [
            HistoryPoint.Queue("sales", At(12, 2, 9), new QueueCounters { Offered = 400, Answered = 380, Abandoned = 20, AnsweredWithinSl = 340 }),
            HistoryPoint.Queue("sales", At(11, 25, 9), new QueueCounters { Offered = 500, Answered = 450, Abandoned = 50, AnsweredWithinSl = 350 }),
        ], "zh-CN");
        Assert.StartsWith("2026年12月2日（周三）：呼入 400 通（较上周三 −20.0%），接通 380 通；", chinese.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMonthComparedWithAPartlyStoredMonthSaysSo()
    {
        // December has calls from the 1st; November only from the 23rd (history began then).
        var points = new List<HistoryPoint>();
        for (var day = 1; day <= 7; day++)
        {
            points.Add(HistoryPoint.Queue("sales", At(12, day, 10), new QueueCounters { Offered = 100, Answered = 100, AnsweredWithinSl = 90 }));
        }

        for (var day = 23; day <= 30; day++)
        {
            points.Add(HistoryPoint.Queue("sales", At(11, day, 10), new QueueCounters { Offered = 100, Answered = 100, AnsweredWithinSl = 90 }));
        }

        var report = await ReportAsync(ReportPeriod.Monthly, new DateOnly(2026, 12, 2), points);
        var first = ReportPdf.PageTexts(report.Pdf)[0];

        Assert.Contains("Partial data in the comparison: Sun 1 Nov 2026 – Mon 30 Nov 2026 has calls only from 2026-11-23 10:00 to 2026-11-30 10:15", first, StringComparison.Ordinal);
        // The change against a partial month stays in the key figures but not in the sentence.
        Assert.StartsWith("December 2026: 700 calls offered, 700 answered;", report.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AWeekHasAHeatMapOfHoursByWeekday()
    {
        // Mon 30 Nov 09:00 and Wed 2 Dec 09:00 and 14:00, Sat 5 Dec 10:00.
        var report = await ReportAsync(ReportPeriod.Weekly, new DateOnly(2026, 12, 2),
        [
            HistoryPoint.Queue("sales", At(11, 30, 9), new QueueCounters { Offered = 120, Answered = 120, AnsweredWithinSl = 96 }),
            HistoryPoint.Queue("sales", At(12, 2, 9), new QueueCounters { Offered = 80, Answered = 80, AnsweredWithinSl = 40 }),
            HistoryPoint.Queue("sales", At(12, 2, 14), new QueueCounters { Offered = 60, Answered = 60, AnsweredWithinSl = 57 }),
            HistoryPoint.Queue("sales", At(12, 5, 10), new QueueCounters { Offered = 7, Answered = 7, AnsweredWithinSl = 7 }),
        ], keep: "weekly-heat-map-en");
        var pages = ReportPdf.PageWords(report.Pdf);

        // Calls (average per day) then service level (%), each cell in its weekday's row and its hour's column.
        AssertCell(pages, "Calls", "Mon", "09", "120");
        AssertCell(pages, "Calls", "Wed", "09", "80");
        AssertCell(pages, "Calls", "Wed", "14", "60");
        AssertCell(pages, "Calls", "Sat", "10", "7");
        AssertCell(pages, "Service", "Mon", "09", "80");
        AssertCell(pages, "Service", "Wed", "09", "50");
        AssertCell(pages, "Service", "Wed", "14", "95");
        AssertCell(pages, "Service", "Sat", "10", "100");
    }

    /// <summary>The heat map titled with <paramref name="title"/> (the first word of its title) shows <paramref name="value"/> in the row of <paramref name="weekday"/> and the column of <paramref name="hour"/>.</summary>
    private static void AssertCell(List<List<PlacedWord>> pages, string title, string weekday, string hour, string value)
    {
        // The title (on the line of "weekday"), then below it the row of hour labels and the weekday labels (PDF y grows upwards).
        static bool IsHeading(List<PlacedWord> page, PlacedWord word, string title) =>
            word.Text == title && page.Any(other => other.Text == "weekday" && Math.Abs(other.Y - word.Y) < 2);
        var page = pages.First(words => words.Any(word => IsHeading(words, word, title)));
        var heading = page.First(word => IsHeading(page, word, title));
        var column = page.Where(word => word.Text == hour && word.Y < heading.Y).MaxBy(word => word.Y)!;
        var row = page.Where(word => word.Text == weekday && word.Y < column.Y).MaxBy(word => word.Y)!;
        Assert.Contains(page, word => word.Text == value && Math.Abs(word.X - column.X) < 4 && Math.Abs(word.Y - row.Y) < 4);
    }
}
