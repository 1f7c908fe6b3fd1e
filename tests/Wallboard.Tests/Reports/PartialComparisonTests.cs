using Wallboard.Metrics.Counters;
using Wallboard.Metrics.History;
using Wallboard.Reports;

namespace Wallboard.Tests.Reports;

/// <summary>When is the period compared with "partial": its calls start or end clearly inside it, against this period's.</summary>
public sealed class PartialComparisonTests
{
    private const string Zone = "Asia/Shanghai";
    private static readonly ReportRange Today = ReportRange.For(ReportPeriod.Daily, new DateOnly(2026, 12, 2), Zone);
    private static readonly ReportRange Yesterday = Today.Previous();

    private static HistoryPoint Calls(ReportRange day, int hour) =>
        HistoryPoint.Queue("sales", day.StartMs + (hour * 3_600_000L), new QueueCounters { Offered = 10, Answered = 10 });

    private static PartialComparison? Compare(int[] today, int[] yesterday) =>
        PartialComparison.Of(Today, [.. today.Select(hour => Calls(Today, hour))], Yesterday, [.. yesterday.Select(hour => Calls(Yesterday, hour))]);

    [Fact]
    public void ADayWhoseHistoryBeganAtNoonIsPartial()
    {
        var partial = Compare([8, 12, 20], [12, 20]);

        Assert.NotNull(partial);
        Assert.Equal(Yesterday, partial.Period);
        Assert.Equal(Yesterday.StartMs + (12 * 3_600_000L), partial.FirstMs);
        Assert.Equal(Yesterday.StartMs + (20 * 3_600_000L) + HistoryPoint.IntervalMs, partial.EndMs);
    }

    [Fact]
    public void ADayCutShortInTheAfternoonIsPartial() => Assert.NotNull(Compare([8, 12, 20], [8, 14]));

    [Theory]
    [InlineData(new[] { 8, 20 }, new[] { 8, 20 })]
    [InlineData(new[] { 8, 20 }, new[] { 9, 20 })] // an hour later: within the slack of a day
    [InlineData(new[] { 9, 13 }, new[] { 8, 20 })] // the day compared with is the longer one
    public void TheSameHoursOrLongerAreNotPartial(int[] today, int[] yesterday) => Assert.Null(Compare(today, yesterday));

    [Fact]
    public void NoCallsOnEitherDayIsNotPartialButNoComparison()
    {
        Assert.Null(Compare([8], []));
        Assert.Null(Compare([], [8]));
    }
}
