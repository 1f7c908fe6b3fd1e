using Wallboard.Reports;

namespace Wallboard.Tests.Reports;

public sealed class ReportRangeTests
{
    [Fact]
    public void ADailyPeriodIsTheLocalDay()
    {
        var range = ReportRange.For(ReportPeriod.Daily, new DateOnly(2026, 11, 27), "Asia/Shanghai");

        Assert.Equal(new DateTimeOffset(2026, 11, 27, 0, 0, 0, TimeSpan.FromHours(8)), range.Start);
        Assert.Equal(new DateTimeOffset(2026, 11, 28, 0, 0, 0, TimeSpan.FromHours(8)), range.End);
        Assert.Equal(new DateOnly(2026, 11, 26), range.Previous().FirstDay);
    }

    [Fact]
    public void AWeeklyPeriodRunsFromTheMondayOfTheIsoWeek()
    {
        // Friday 27 Nov 2026 is in ISO week 48: Monday 23 to Sunday 29 November.
        var range = ReportRange.For(ReportPeriod.Weekly, new DateOnly(2026, 11, 27), "Asia/Shanghai");

        Assert.Equal(new DateOnly(2026, 11, 23), range.FirstDay);
        Assert.Equal(new DateOnly(2026, 11, 29), range.LastDay);
        Assert.Equal(new DateTimeOffset(2026, 11, 23, 0, 0, 0, TimeSpan.FromHours(8)), range.Start);
        Assert.Equal(new DateTimeOffset(2026, 11, 30, 0, 0, 0, TimeSpan.FromHours(8)), range.End);
        Assert.Equal(new DateOnly(2026, 11, 16), range.Previous().FirstDay);
    }

    [Fact]
    public void ASundayBelongsToTheWeekThatStartedOnTheMondayBefore()
    {
        var range = ReportRange.For(ReportPeriod.Weekly, new DateOnly(2026, 11, 29), "Asia/Shanghai");

        Assert.Equal(new DateOnly(2026, 11, 23), range.FirstDay);
    }

    [Fact]
    public void AWeekAcrossNewYearKeepsItsIsoWeek()
    {
        // Friday 1 Jan 2027 is in 2026-W53, which starts on Monday 28 Dec 2026.
        var range = ReportRange.For(ReportPeriod.Weekly, new DateOnly(2027, 1, 1), "Asia/Shanghai");

        Assert.Equal(new DateOnly(2026, 12, 28), range.FirstDay);
        Assert.Equal(new DateOnly(2027, 1, 3), range.LastDay);
        Assert.Equal("wallboard-weekly-2026-W53-en.pdf", ReportGenerator.FileName(range, ReportText.English));
    }

    [Fact]
    public void AMonthlyPeriodIsTheCalendarMonthAcrossADstChange()
    {
        // October 2026 in London: BST (+01:00) until the 25th, GMT after; the month has 31 × 24 + 1 hours.
        var range = ReportRange.For(ReportPeriod.Monthly, new DateOnly(2026, 10, 14), "Europe/London");

        Assert.Equal(new DateOnly(2026, 10, 1), range.FirstDay);
        Assert.Equal(new DateOnly(2026, 10, 31), range.LastDay);
        Assert.Equal(new DateTimeOffset(2026, 10, 1, 0, 0, 0, TimeSpan.FromHours(1)), range.Start);
        Assert.Equal(new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero), range.End);
        Assert.Equal(TimeSpan.FromHours((31 * 24) + 1), range.End - range.Start);
        Assert.Equal(new DateOnly(2026, 9, 1), range.Previous().FirstDay);
        Assert.Equal("Monthly report October 2026", ReportGenerator.Title(range, ReportText.English));
        Assert.Equal("月报 2026年10月", ReportGenerator.Title(range, ReportText.SimplifiedChinese));
        Assert.Equal("wallboard-monthly-2026-10-zh-CN.pdf", ReportGenerator.FileName(range, ReportText.SimplifiedChinese));
    }

    [Fact]
    public void AnUnknownZoneIsNamed()
    {
        var error = Assert.Throws<ArgumentException>(() => ReportRange.For(ReportPeriod.Daily, new DateOnly(2026, 11, 27), "Mars/Olympus"));

        Assert.Contains("Mars/Olympus", error.Message, StringComparison.Ordinal);
    }
}
