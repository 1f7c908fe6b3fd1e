using NodaTime;
using Wallboard.Metrics;
using Wallboard.Metrics.Counters;
using Wallboard.Metrics.History;
using Wallboard.Metrics.Staffing;

namespace Wallboard.Tests.Staffing;

public sealed class TrafficForecastTests
{
    private static readonly DateTimeZone Utc = DateTimeZone.Utc;
    private static readonly LocalDate Friday = new(2026, 11, 27);

    private static long At(LocalDate date, int hour, int minute = 0) =>
        Utc.AtStartOfDay(date).ToInstant().ToUnixTimeMilliseconds() + (((hour * 60) + minute) * 60_000L);

    private static HistoryPoint Point(LocalDate date, int hour, int minute, long offered, long handled = 0, long handleSeconds = 0) =>
        HistoryPoint.Queue("q", At(date, hour, minute), new QueueCounters { Offered = offered, Answered = handled, Handled = handled, TalkMs = handleSeconds * 1000 });

    /// <summary>
    /// Three weeks, each older week half the weight of the one after it (1, 0.5, 0.25). At 09:00 the
    /// Friday a week ago had 10 calls (10 handled, 2,000 s), two weeks ago 20 (20 handled, 3,000 s);
    /// three weeks ago the queue has no point at all that day: left out, not a day of no calls.
    /// Forecast 09:00 = (1 × 10 + 0.5 × 20) / 1.5 = 13.33; AHT = (2,000 + 0.5 × 3,000) / (10 + 0.5 × 20) = 175 s.
    /// Today, by 08:30, 30 calls came at 08:00 against 10 forecast (10 and 10): with a prior of 10
    /// calls the rest of the day is scaled by (30 + 10) / (10 + 10) = 2.
    /// </summary>
    [Fact]
    public void SameWeekdayWeightedByRecencyThenScaledByTodaySoFar()
    {
        var points = new List<HistoryPoint>
        {
            Point(Friday.PlusDays(-7), 9, 0, 10, 10, 2_000),
            Point(Friday.PlusDays(-14), 9, 0, 20, 20, 3_000),
            Point(Friday.PlusDays(-7), 8, 0, 10),
            Point(Friday.PlusDays(-14), 8, 0, 10),
            Point(Friday.PlusDays(-21), 0, 0, 0), // another queue's day would not count either
            Point(Friday, 8, 0, 30),
            Point(Friday.PlusDays(-1), 9, 0, 500), // Thursday: not the same weekday
        };
        points[4] = points[4] with { Id = "other" };
        var policy = new StaffingPolicy { ForecastWeeks = 3, ForecastDecay = 0.5, IntradayPriorCalls = 10, MaxOccupancy = 1 };

        var forecast = TrafficForecast.Forecast(points, Friday, Utc, 15, policy, new KpiOptions(), At(Friday, 8, 30), ["q"]);

        Assert.Equal(96, forecast.Count);
        var eight = forecast.Single(f => f.StartMs == At(Friday, 8));
        var nine = forecast.Single(f => f.StartMs == At(Friday, 9));
        Assert.Equal(10, eight.Offered, 9); // already past: not scaled
        Assert.Equal(30, eight.ActualOffered);
        Assert.Equal(40.0 / 3, nine.UnscaledOffered, 9);
        Assert.Equal(80.0 / 3, nine.Offered, 9);
        Assert.Null(nine.ActualOffered);
        Assert.Equal(175, nine.AhtSeconds!.Value, 9);
        Assert.Null(nine.PatienceSeconds);
        var expected = StaffingCalculator.AgentsRequired(StaffingModel.ErlangC, new QueueTraffic(80.0 / 3 * 4, 175, null, 20), 0.8);
        Assert.Equal(expected.Agents, nine.AgentsRequired);

        // An hour's step sums its quarters.
        var hourly = TrafficForecast.Forecast(points, Friday, Utc, 60, policy, new KpiOptions(), At(Friday, 8, 30), ["q"]);
        Assert.Equal(24, hourly.Count);
        Assert.Equal(80.0 / 3, hourly[9].Offered, 9);
        Assert.Equal(3_600_000, hourly[9].EndMs - hourly[9].StartMs);

        // Without a clock there is no scaling.
        Assert.Equal(40.0 / 3, TrafficForecast.Forecast(points, Friday, Utc, 15, policy, new KpiOptions(), null, ["q"])
            .Single(f => f.StartMs == At(Friday, 9)).Offered, 9);
    }

    [Fact]
    public void ADayOfDaylightSavingHasItsOwnNumberOfSteps()
    {
        var london = DateTimeZoneProviders.Tzdb["Europe/London"];
        var spring = new LocalDate(2026, 3, 29); // clocks go forward at 01:00
        var forecast = TrafficForecast.Forecast([], spring, london, 60, new StaffingPolicy(), new KpiOptions(), null, ["q"]);

        Assert.Equal(23, forecast.Count);
        Assert.All(forecast, f => Assert.Equal((0.0, 0), (f.Offered, f.AgentsRequired)));
    }
}
