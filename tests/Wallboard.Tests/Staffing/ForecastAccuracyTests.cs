using System.Globalization;
using NodaTime;
using Wallboard.Ingest.Simulation;
using Wallboard.Metrics;
using Wallboard.Metrics.Engine;
using Wallboard.Metrics.History;
using Wallboard.Metrics.Staffing;
using Xunit.Abstractions;

namespace Wallboard.Tests.Staffing;

/// <summary>
/// The forecast's accuracy on simulated data: eight weeks of the demo centre's three queues whose
/// days differ from each other (the day's volume is log-normal around the weekday's, σ = 0.15), the
/// last two weeks forecast from the six before, the rest of each day from 10:00, 12:00 and 15:00,
/// in 30-minute steps. WAPE = Σ |actual − forecast| / Σ actual over those steps. The table is in README.
/// </summary>
public sealed class ForecastAccuracyTests(ITestOutputHelper output)
{
    [Fact]
    public void IntradayScalingLowersTheErrorOfTheRestOfTheDay()
    {
        var zone = DateTimeZoneProviders.Tzdb["Asia/Shanghai"];
        var options = new SimulationOptions
        {
            Seed = 2026,
            Duration = TimeSpan.FromDays(56),
            DailyVolumeSpread = 0.15,
            Teams = [.. SimulationOptions.DefaultTeams.Where(team => !team.Outbound)],
            Callback = new CallbackCampaignOptions { Enabled = false },
            InboundDispositions = false,
        };
        var engine = new KpiEngine(new KpiOptions { TimeZone = "Asia/Shanghai" });
        new ContactCentreSimulator(options).Run(engine);
        var points = engine.Queues.All().Select(slot => HistoryPoint.Queue(engine.QueueNames[slot.Entity], slot.IntervalStart, slot.Value)).ToList();
        var offered = points.ToDictionary(p => (p.Id, p.IntervalStartMs), p => p.QueueCounters.Offered);
        var policy = new StaffingPolicy();
        var firstDay = LocalDate.FromDateTime(options.Start.Date).PlusDays(42);

        output.WriteLine("| forecast from | steps | WAPE without scaling | WAPE with intraday scaling |");
        output.WriteLine("| --- | --- | --- | --- |");
        var improved = 0;
        foreach (var hour in new[] { 10, 12, 15 })
        {
            double error = 0, scaledError = 0, actual = 0;
            var steps = 0;
            for (var day = firstDay; day < firstDay.PlusDays(14); day = day.PlusDays(1))
            {
                var now = zone.AtStartOfDay(day).ToInstant().ToUnixTimeMilliseconds() + (hour * 3_600_000L);
                foreach (var step in TrafficForecast.Forecast(points, day, zone, 30, policy, engine.Options, now).Where(f => f.StartMs >= now))
                {
                    var came = 0L;
                    for (var t = step.StartMs; t < step.EndMs; t += HistoryPoint.IntervalMs)
                    {
                        came += offered.GetValueOrDefault((step.Queue, t));
                    }

                    error += Math.Abs(came - step.UnscaledOffered);
                    scaledError += Math.Abs(came - step.Offered);
                    actual += came;
                    steps++;
                }
            }

            var wape = error / actual;
            var scaledWape = scaledError / actual;
            improved += scaledWape < wape ? 1 : 0;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {hour:00}:00 | {steps} | {wape:P1} | {scaledWape:P1} |"));
            Assert.InRange(wape, 0.05, 0.6);
        }

        Assert.Equal(3, improved);
    }
}
