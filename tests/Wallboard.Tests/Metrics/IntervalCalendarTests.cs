using System.Globalization;
using Wallboard.Metrics;
using Wallboard.Metrics.Calendar;
using Wallboard.Metrics.Rows;

namespace Wallboard.Tests.Metrics;

public sealed class IntervalCalendarTests
{
    private static long Utc(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture).ToUnixTimeMilliseconds();

    [Theory]
    [InlineData("America/New_York", "15m")]
    [InlineData("America/New_York", "1h")]
    [InlineData("Australia/Lord_Howe", "1h")] // half-hour DST shifts
    [InlineData("Australia/Lord_Howe", "30m")]
    [InlineData("Asia/Kathmandu", "1h")] // +05:45
    [InlineData("Asia/Shanghai", "1m")]
    [InlineData("Europe/London", "2h")]
    public void ACalendarWalkingForwardAgreesWithFreshLookupsAcrossDst(string zone, string length)
    {
        // A calendar that walks forward answers from the interval it cached; a fresh one converts
        // through the zone. Every 7 minutes of 2026 must agree, across both DST changes (the cache
        // once ran past London's spring-forward with 2 h intervals).
        var walking = new IntervalCalendar(IntervalCalendar.ResolveZone(zone), IntervalLength.Parse(length));
        var step = 7 * 60_000L;
        for (var t = Utc("2026-01-01T00:00:00Z") + 13_000; t < Utc("2027-01-01T00:00:00Z"); t += step)
        {
            var fresh = new IntervalCalendar(IntervalCalendar.ResolveZone(zone), IntervalLength.Parse(length));
            Assert.True(fresh.StartOf(t) == walking.StartOf(t), $"{zone} {length} at {DateTimeOffset.FromUnixTimeMilliseconds(t):O}");
        }
    }

    [Theory]
    [InlineData("America/New_York", "1m", "2026-11-01T06:00:00Z")] // fall back
    [InlineData("America/New_York", "15m", "2026-03-08T07:00:00Z")] // spring forward
    [InlineData("Europe/London", "2h", "2026-03-29T01:00:00Z")] // a change inside an interval
    [InlineData("Australia/Lord_Howe", "30m", "2026-04-04T15:00:00Z")] // half-hour change
    [InlineData("Asia/Kathmandu", "15m", "1986-01-01T00:00:00Z")] // +05:30 to +05:45
    [InlineData("Africa/Monrovia", "1m", "1972-01-07T00:44:30Z")] // -00:44:30 (seconds) to GMT
    [InlineData("Africa/Monrovia", "15m", "1972-01-07T00:44:30Z")]
    public void ACalendarJumpingBackAndForthAgreesWithFreshLookups(string zone, string length, string change)
    {
        // The engine looks up an answer's minute, then the arrival minute of the call, minutes
        // earlier: instants within one UTC offset are worked out by arithmetic from the last lookup.
        // Each must match what a fresh lookup through the zone gives, on both sides of a change.
        var walking = new IntervalCalendar(IntervalCalendar.ResolveZone(zone), IntervalLength.Parse(length));
        var random = new Random(16);
        var t = Utc(change) - (3 * 3_600_000L);
        for (var i = 0; i < 3_000; i++)
        {
            t += random.NextInt64(-40 * 60_000L, 45 * 60_000L);
            var fresh = new IntervalCalendar(IntervalCalendar.ResolveZone(zone), IntervalLength.Parse(length));
            var expected = (fresh.StartOf(t, out var freshUntil), freshUntil);
            var actual = (walking.StartOf(t, out var walkingUntil), walkingUntil);
            Assert.True(expected == actual, $"{zone} {length} at {DateTimeOffset.FromUnixTimeMilliseconds(t):O}: {actual} against {expected}");
        }
    }

    [Fact]
    public void FallBackHourGivesTwoDistinctHourIntervals()
    {
        // New York, 2026-11-01: 02:00 EDT becomes 01:00 EST at 06:00Z; 01:30 happens twice.
        var calendar = new IntervalCalendar(IntervalCalendar.ResolveZone("America/New_York"), IntervalLength.Hour);
        var first = calendar.StartOf(Utc("2026-11-01T05:30:00Z"));
        var second = calendar.StartOf(Utc("2026-11-01T06:30:00Z"));
        Assert.Equal(Utc("2026-11-01T05:00:00Z"), first);
        Assert.Equal(Utc("2026-11-01T06:00:00Z"), second);
        Assert.Equal("2026-11-01T01:00:00-04:00", calendar.ToLocal(first)!.Value.ToString("yyyy-MM-ddTHH:mm:sszzz", CultureInfo.InvariantCulture));
        Assert.Equal("2026-11-01T01:00:00-05:00", calendar.ToLocal(second)!.Value.ToString("yyyy-MM-ddTHH:mm:sszzz", CultureInfo.InvariantCulture));
    }

    [Fact]
    public void DayOfFallBackLasts25HoursAndSpringForward23()
    {
        var calendar = new IntervalCalendar(IntervalCalendar.ResolveZone("America/New_York"), IntervalLength.Day);
        var fallBack = calendar.StartOf(Utc("2026-11-01T12:00:00Z"));
        Assert.Equal(Utc("2026-11-01T04:00:00Z"), fallBack);
        Assert.Equal(25 * 3_600_000L, calendar.EndOf(fallBack) - fallBack);
        // 23:30 EST on 1 November is still that day.
        Assert.Equal(fallBack, calendar.StartOf(Utc("2026-11-02T04:30:00Z")));

        var springForward = calendar.StartOf(Utc("2026-03-08T12:00:00Z"));
        Assert.Equal(23 * 3_600_000L, calendar.EndOf(springForward) - springForward);
    }

    [Fact]
    public void ShanghaiQuarterHoursFollowTheLocalClock()
    {
        var calendar = new IntervalCalendar(IntervalCalendar.ResolveZone("Asia/Shanghai"), IntervalLength.FifteenMinutes);
        var start = calendar.StartOf(Utc("2026-11-27T01:07:00Z")); // 09:07 in Shanghai
        Assert.Equal("2026-11-27T09:00:00+08:00", calendar.ToLocal(start)!.Value.ToString("yyyy-MM-ddTHH:mm:sszzz", CultureInfo.InvariantCulture));
    }

    [Fact]
    public void WeeksStartOnMondayAndMonthsOnTheFirstLocally()
    {
        var week = new IntervalCalendar(IntervalCalendar.ResolveZone("Asia/Shanghai"), IntervalLength.Week);
        // Sunday 2026-11-29 23:30 Shanghai is in the week of Monday 23 November.
        Assert.Equal(Utc("2026-11-22T16:00:00Z"), week.StartOf(Utc("2026-11-29T15:30:00Z")));
        var month = new IntervalCalendar(IntervalCalendar.ResolveZone("Asia/Shanghai"), IntervalLength.Month);
        // 30 November 23:30 Shanghai is 15:30Z; 1 December 00:30 Shanghai is 30 November 16:30Z.
        Assert.Equal(Utc("2026-10-31T16:00:00Z"), month.StartOf(Utc("2026-11-30T15:30:00Z")));
        Assert.Equal(Utc("2026-11-30T16:00:00Z"), month.StartOf(Utc("2026-11-30T16:30:00Z")));
    }

    [Theory]
    [InlineData("15m", IntervalUnit.Minutes, 15)]
    [InlineData("30m", IntervalUnit.Minutes, 30)]
    [InlineData("1h", IntervalUnit.Minutes, 60)]
    [InlineData("1d", IntervalUnit.Day, 0)]
    [InlineData("total", IntervalUnit.Total, 0)]
    public void ParsesIntervalNames(string text, IntervalUnit unit, int minutes)
    {
        Assert.True(IntervalLength.TryParse(text, out var length, out _));
        Assert.Equal(new IntervalLength(unit, minutes), length);
    }

    [Theory]
    [InlineData("7m")]
    [InlineData("0m")]
    [InlineData("1x")]
    [InlineData("")]
    public void RejectsIntervalsThatDoNotDivideADay(string text)
    {
        Assert.False(IntervalLength.TryParse(text, out _, out var error));
        Assert.False(string.IsNullOrEmpty(error));
    }

    [Fact]
    public void DstDayRowCarriesTheLocalOffsetOfItsStart()
    {
        var scenario = new Scenario("2026-11-01").Queued("07:00:00", "c1").Answered("07:00:05", "c1", "a1", wait: 5);
        var row = Assert.Single(KpiRows.Queues(scenario.Run(new KpiOptions { TimeZone = "America/New_York", Interval = IntervalLength.Day })));
        Assert.Equal(TimeSpan.FromHours(-4), row.IntervalStart!.Value.Offset);
        Assert.Equal(0, row.IntervalStart.Value.Hour);
    }
}
