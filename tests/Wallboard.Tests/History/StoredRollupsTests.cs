using System.Globalization;
using Microsoft.Extensions.Options;
using NodaTime;
using Wallboard.Hub.History;
using Wallboard.Hub.Hosting;
using Wallboard.Metrics.Calendar;
using Wallboard.Metrics.History;

namespace Wallboard.Tests.History;

/// <summary>Which roll-ups a store keeps for its zones, and which one answers a query.</summary>
public sealed class StoredRollupsTests
{
    private static readonly DateTimeZone NewYork = DateTimeZoneProviders.Tzdb["America/New_York"];
    private static readonly DateTimeZone Chicago = DateTimeZoneProviders.Tzdb["America/Chicago"];
    private static readonly DateTimeZone Kolkata = DateTimeZoneProviders.Tzdb["Asia/Kolkata"];
    private static readonly DateTimeZone Kathmandu = DateTimeZoneProviders.Tzdb["Asia/Kathmandu"];
    private static readonly DateTimeZone Shanghai = DateTimeZoneProviders.Tzdb["Asia/Shanghai"];

    /// <summary>
    /// Whole-hour zones share the hours of UTC; Kolkata (+05:30) has its own half-past hours; Nepal
    /// moved from +05:30 to +05:45 in 1986, so no one set of hours makes up its days, which are
    /// summed from the quarter-hours.
    /// </summary>
    [Fact]
    public void EachZoneHasItsDaysAndTheHoursTheyAreSummedFrom()
    {
        var rollups = StoredRollups.For([Shanghai, NewYork, Kolkata, Kathmandu, Shanghai]);

        Assert.Equal(
            [("1h@UTC", null), ("1h@UTC+00:30", null), ("1h@UTC+00:45", null), ("1d@Asia/Shanghai", "1h@UTC"), ("1d@America/New_York", "1h@UTC"), ("1d@Asia/Kolkata", "1h@UTC+00:30"), ("1d@Asia/Kathmandu", null)],
            rollups.All.Select(rollup => (rollup.Name, rollup.Source?.Name)));
        Assert.Empty(StoredRollups.None.All);
    }

    [Fact]
    public void TheCoarsestCompleteRollupWhoseBucketsLieInTheStepsAnswers()
    {
        var rollups = StoredRollups.For([NewYork, Kolkata]);
        var all = (Func<StoredRollup, bool>)(_ => true);
        var (november, december) = (Ms("2026-11-01T00:00:00-04:00"), Ms("2026-12-01T00:00:00-05:00"));

        Assert.Equal("1d@America/New_York", rollups.Serving(IntervalLength.Month, NewYork, november, december, all)?.Name);
        Assert.Equal("1d@America/New_York", rollups.Serving(IntervalLength.Week, NewYork, Ms("2026-10-26T00:00:00-04:00"), Ms("2026-11-09T00:00:00-05:00"), all)?.Name);
        Assert.Equal("1h@UTC", rollups.Serving(IntervalLength.Day, NewYork, november, december, rollup => rollup.Grain != IntervalLength.Day)?.Name);
        Assert.Equal("1h@UTC", rollups.Serving(IntervalLength.Parse("2h"), NewYork, november, december, all)?.Name);
        Assert.Null(rollups.Serving(IntervalLength.Parse("30m"), NewYork, november, december, all));

        // Chicago's days begin an hour after New York's: its days are summed from the hours.
        var (chicagoFrom, chicagoTo) = (Ms("2026-11-01T00:00:00-05:00"), Ms("2026-12-01T00:00:00-06:00"));
        Assert.Equal("1h@UTC", rollups.Serving(IntervalLength.Day, Chicago, chicagoFrom, chicagoTo, all)?.Name);
        Assert.Equal("1d@Asia/Kolkata", rollups.Serving(IntervalLength.Day, Kolkata, Ms("2026-11-01T00:00:00+05:30"), Ms("2026-12-01T00:00:00+05:30"), all)?.Name);
        Assert.Equal("1h@UTC+00:30", rollups.Serving(IntervalLength.Hour, Kolkata, Ms("2026-11-01T00:00:00+05:30"), Ms("2026-11-02T00:00:00+05:30"), all)?.Name);
        Assert.Null(rollups.Serving(IntervalLength.Day, Kathmandu, Ms("2026-11-01T00:00:00+05:45"), Ms("2026-11-02T00:00:00+05:45"), all));

        // A range that does not start on a bucket boundary, or a roll-up not yet built, is not used.
        Assert.Null(rollups.Serving(IntervalLength.Day, NewYork, november + (15 * 60_000), december, all));
        Assert.Null(rollups.Serving(IntervalLength.Month, NewYork, november, december, _ => false));
    }

    /// <summary>
    /// New York's days around the end of DST (Sunday 1 November 2026 has 25 hours): a grouped rebuild
    /// needs buckets of one length on one grid, so the long day is a run of its own; buckets more
    /// than a day apart are separate runs too.
    /// </summary>
    [Fact]
    public void RunsSplitWhereTheBucketLengthChangesOrAGapIsLong()
    {
        var days = StoredRollups.For([NewYork]).Named("1d@America/New_York")!;
        var calendar = days.NewCalendar();
        long[] starts =
        [
            Ms("2026-10-30T00:00:00-04:00"), Ms("2026-10-31T00:00:00-04:00"), Ms("2026-11-01T00:00:00-04:00"),
            Ms("2026-11-02T00:00:00-05:00"), Ms("2026-11-04T00:00:00-05:00"), Ms("2026-11-07T00:00:00-05:00"),
        ];

        var runs = StoredRollup.Runs(calendar, starts);

        Assert.Equal(
            [
                (0, 2, starts[0], starts[2], 86_400_000L),
                (2, 1, starts[2], starts[3], 90_000_000L),
                (3, 2, starts[3], starts[4] + 86_400_000, 86_400_000L),
                (5, 1, starts[5], starts[5] + 86_400_000, 86_400_000L),
            ],
            runs.Select(run => (run.First, run.Count, run.FromMs, run.ToMs, run.LengthMs)));
    }

    /// <summary>With no <c>History:RollupZones</c>, the API's zone and the centre's are rolled up; a wrong entry is named by its key.</summary>
    [Fact]
    public void TheZonesAreTheApisAndTheCentresUnlessListedAndAWrongOneIsNamed()
    {
        var folder = Directory.CreateTempSubdirectory("wallboard-rollup-zones-").FullName;
        try
        {
            var data = new DataFolder(folder);
            var byDefault = HistoryStores.InDataFolder(new HistoryOptions { TimeZone = "UTC" }, data, "Asia/Shanghai");
            var listed = HistoryStores.InDataFolder(new HistoryOptions { RollupZones = ["Europe/London"] }, data, "Asia/Shanghai");
            var error = Assert.Throws<OptionsValidationException>(() =>
                HistoryOptionsValidator.ThrowIfInvalid(new HistoryOptions { RollupZones = ["Asia/Shanghai", "Asia/Shangai"] }));

            Assert.Equal(["UTC", "Asia/Shanghai"], byDefault.RollupZones);
            Assert.Equal(["1h@UTC", "1d@UTC", "1d@Asia/Shanghai"], HistoryStores.Rollups(byDefault).All.Select(rollup => rollup.Name));
            Assert.Equal(["1h@UTC", "1d@Europe/London"], HistoryStores.Rollups(listed).All.Select(rollup => rollup.Name));
            Assert.Equal("History:RollupZones:1 'Asia/Shangai' is not an IANA time zone (e.g. Asia/Shanghai)", Assert.Single(error.Failures));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static long Ms(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture).ToUnixTimeMilliseconds();
}
