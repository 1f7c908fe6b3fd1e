using System.Globalization;
using NodaTime;
using Wallboard.Hub.History;
using Wallboard.Metrics;
using Wallboard.Metrics.Calendar;
using Wallboard.Metrics.History;
using Wallboard.Metrics.Rows;

namespace Wallboard.Tests.History;

/// <summary>
/// The behaviour of a history store that keeps roll-ups (<see cref="StoredRollups"/>), on top of
/// the contract every store keeps: run against the real SQLite and the real InfluxDB. Each answer
/// from a roll-up is checked against the same answer from the 15-minute intervals, and against
/// hand-worked numbers; the number of points read shows which roll-up (or none) answered.
/// </summary>
public abstract class HistoryRollupContractTests : HistoryStoreContractTests
{
    private static readonly DateTimeZone Kolkata = DateTimeZoneProviders.Tzdb["Asia/Kolkata"];
    private static readonly DateTimeZone Shanghai = DateTimeZoneProviders.Tzdb["Asia/Shanghai"];

    /// <summary>
    /// The roll-ups every store of these tests keeps: hours of UTC and of UTC+00:30, days of New York,
    /// Kolkata and Shanghai (<c>History:RollupZones</c> = those three).
    /// </summary>
    protected static readonly StoredRollups Rollups = StoredRollups.For([NewYork, Kolkata, Shanghai]);

    /// <summary>Another store on the same file or database as <see cref="HistoryStoreContractTests.Store"/>, keeping <paramref name="rollups"/> (a server started with other settings, or another version).</summary>
    protected abstract Task<IKpiHistoryStore> OpenAgainAsync(StoredRollups rollups);

    /// <summary>
    /// The simulated day of <see cref="HistoryStoreContractTests.DailyRollupOfStoredIntervalsEqualsAnEngineRunAtDayLength"/>,
    /// read from the roll-up of Shanghai's days kept as the intervals were refreshed: one point per id
    /// and day, and the day engine's rows.
    /// </summary>
    [Fact]
    public async Task DayRollupsKeptAsTheHostRefreshesIntervalsEqualAnEngineRunAtDayLength()
    {
        var (dayEngine, zone, from, to) = await WriteASimulatedDayAsTheHostDoesAsync();
        var (dayFrom, dayTo) = HistoryRollup.AlignToSteps(from, to, IntervalLength.Day, zone);
        var queueDays = await Store.QueryForStepsAsync(HistoryKind.Queues, null, dayFrom, dayTo, IntervalLength.Day, zone);
        var agentDays = await Store.QueryForStepsAsync(HistoryKind.Agents, null, dayFrom, dayTo, IntervalLength.Day, zone);
        var campaignDays = await Store.QueryForStepsAsync(HistoryKind.Campaigns, null, dayFrom, dayTo, IntervalLength.Day, zone);

        Assert.Equal(dayEngine.Queues.Count + dayEngine.Agents.Count + dayEngine.Campaigns.Count, queueDays.Count + agentDays.Count + campaignDays.Count);
        Assert.Equal(KpiRows.Queues(dayEngine), HistoryRollup.Queues(queueDays, IntervalLength.Day, zone, dayEngine.Options));
        Assert.Equal(KpiRows.Agents(dayEngine), HistoryRollup.Agents(agentDays, IntervalLength.Day, zone, dayEngine.Options));
        Assert.Equal(KpiRows.Campaigns(dayEngine), HistoryRollup.Campaigns(campaignDays, IntervalLength.Day, zone));
    }

    /// <summary>
    /// The 200 quarter-hours of <see cref="HistoryStoreContractTests.EveryStepFollowsTheLocalCalendarAcrossDstChangeAndMonthEnd"/>:
    /// in New York (a roll-up zone) every step is read from a roll-up, its days (3 of them) and hours
    /// (50), and gives the same rows, hand-worked, as the quarter-hours; so do days in Kolkata (from its
    /// half-past hours), days in London (no day roll-up: from UTC hours) and days in Kathmandu (+05:45:
    /// from the quarter-hours).
    /// </summary>
    [Fact]
    public async Task RollupsAnswerEveryStepWithTheRowsOfTheQuarterHours()
    {
        var first = Utc("2026-10-31T00:00:00-04:00");
        await Store.WriteAsync([.. Enumerable.Range(0, 200).Select(i => Queue("sales", first + (i * HistoryPoint.IntervalMs), offered: 1, answered: 1, maxWaitMs: i * 1000L))], null);

        async Task<(int Points, List<QueueKpiRow> Rows)> ReadAsync(IntervalLength step, DateTimeZone zone, string from, string to)
        {
            var (fromMs, toMs) = HistoryRollup.AlignToSteps(Utc(from), Utc(to), step, zone);
            var quarters = HistoryRollup.Queues(await Store.QueryAsync(HistoryKind.Queues, null, fromMs, toMs), step, zone, new KpiOptions());
            var points = await Store.QueryForStepsAsync(HistoryKind.Queues, null, fromMs, toMs, step, zone);
            var rows = HistoryRollup.Queues(points, step, zone, new KpiOptions());
            Assert.Equal(quarters, rows);
            return (points.Count, rows);
        }

        var days = await ReadAsync(IntervalLength.Day, NewYork, "2026-10-31T00:00:00-04:00", "2026-11-02T01:00:00-05:00");
        Assert.Equal(3, days.Points);
        AssertSteps(days.Rows, ("2026-10-31T00:00:00-04:00", 96, 95), ("2026-11-01T00:00:00-04:00", 100, 195), ("2026-11-02T00:00:00-05:00", 4, 199));

        var weeks = await ReadAsync(IntervalLength.Week, NewYork, "2026-10-31T00:00:00-04:00", "2026-11-02T01:00:00-05:00");
        Assert.Equal(3, weeks.Points);
        AssertSteps(weeks.Rows, ("2026-10-26T00:00:00-04:00", 196, 195), ("2026-11-02T00:00:00-05:00", 4, 199));

        var months = await ReadAsync(IntervalLength.Month, NewYork, "2026-10-31T00:00:00-04:00", "2026-11-02T01:00:00-05:00");
        Assert.Equal(3, months.Points);
        AssertSteps(months.Rows, ("2026-10-01T00:00:00-04:00", 96, 95), ("2026-11-01T00:00:00-04:00", 104, 199));

        var hours = await ReadAsync(IntervalLength.Hour, NewYork, "2026-10-31T00:00:00-04:00", "2026-11-02T01:00:00-05:00");
        Assert.Equal(50, hours.Points);
        Assert.All(hours.Rows, row => Assert.Equal(4, row.Offered));

        // Kolkata is UTC+05:30: its days begin at 18:30 UTC. 2026-10-31 00:00 in New York is 09:30 in Kolkata.
        var kolkata = await ReadAsync(IntervalLength.Day, Kolkata, "2026-10-31T00:00:00-04:00", "2026-11-02T01:00:00-05:00");
        Assert.Equal(3, kolkata.Points);
        AssertSteps(kolkata.Rows, ("2026-10-31T00:00:00+05:30", 58, 57), ("2026-11-01T00:00:00+05:30", 96, 153), ("2026-11-02T00:00:00+05:30", 46, 199));

        var london = await ReadAsync(IntervalLength.Day, DateTimeZoneProviders.Tzdb["Europe/London"], "2026-10-31T00:00:00-04:00", "2026-11-02T01:00:00-05:00");
        Assert.Equal(50, london.Points);
        Assert.Equal(200, london.Rows.Sum(row => row.Offered));

        var kathmandu = await ReadAsync(IntervalLength.Day, DateTimeZoneProviders.Tzdb["Asia/Kathmandu"], "2026-10-31T00:00:00-04:00", "2026-11-02T01:00:00-05:00");
        Assert.Equal(200, kathmandu.Points);
        Assert.Equal(200, kathmandu.Rows.Sum(row => row.Offered));

        // Quarter-hours and half-hours are never rolled up.
        Assert.Equal(200, (await ReadAsync(IntervalLength.Parse("30m"), NewYork, "2026-10-31T00:00:00-04:00", "2026-11-02T01:00:00-05:00")).Points);
    }

    /// <summary>
    /// Three quarter-hours of one Shanghai morning holding 1×, 2× and 3× the numbers 1, 2, 3 … in every
    /// field of every kind: the day's roll-up holds 6× each (3× for <c>max_wait_ms</c>, a maximum),
    /// field for field, so a counter added to the schema is rolled up with no other change.
    /// </summary>
    [Fact]
    public async Task RollupsSumEveryFieldOfEveryKindAndKeepTheMaximumWait()
    {
        var nine = Utc("2026-11-27T09:00:00+08:00");
        var points = new List<HistoryPoint>();
        foreach (var (kind, id) in new[] { (HistoryKind.Queues, "sales"), (HistoryKind.Agents, "SIP/1001"), (HistoryKind.Campaigns, "winter-sale") })
        {
            var values = Numbered(HistorySchema.Fields(kind).Count, 1);
            points.AddRange(Enumerable.Range(1, 3).Select(times => new HistoryPoint(kind, id, nine + ((times - 1) * HistoryPoint.IntervalMs), [.. values.Select(value => value * times)])));
        }

        await Store.WriteAsync(points, null);

        var (from, to) = HistoryRollup.AlignToSteps(nine, nine + 1, IntervalLength.Day, Shanghai);
        foreach (var kind in Enum.GetValues<HistoryKind>())
        {
            var day = Assert.Single(await Store.QueryForStepsAsync(kind, null, from, to, IntervalLength.Day, Shanghai));
            var fields = HistorySchema.Fields(kind);
            Assert.Equal(Utc("2026-11-27T00:00:00+08:00"), day.IntervalStartMs);
            Assert.Equal(fields.Select((field, i) => (field, field == "max_wait_ms" ? 3L * (i + 1) : 6L * (i + 1))), fields.Select((field, i) => (field, day.Values[i])));
        }
    }

    /// <summary>
    /// A New York day of four quarter-hours (one call each, waits 10, 20, 30 and 40 s). The 09:45
    /// interval is rewritten late (3 calls, longest wait 5 s) and a 23:45 interval arrives after the
    /// next day was written: the day's roll-up follows both, and its longest wait goes down to 30 s,
    /// which only a rebuild from the quarter-hours gives (a running maximum would keep 40 s).
    /// </summary>
    [Fact]
    public async Task ALateOrRewrittenIntervalRebuildsItsRollupsFromTheQuarterHours()
    {
        var nine = Utc("2026-11-27T09:00:00-05:00");
        const long Q = HistoryPoint.IntervalMs;
        await Store.WriteAsync([.. Enumerable.Range(0, 4).Select(i => Queue("sales", nine + (i * Q), offered: 1, answered: 1, maxWaitMs: (i + 1) * 10_000L))], null);
        var (from, to) = HistoryRollup.AlignToSteps(nine, Utc("2026-11-29T00:00:00-05:00"), IntervalLength.Day, NewYork);

        async Task<List<(DateTimeOffset, long Offered, double MaxWait)>> DaysAsync()
        {
            var points = await Store.QueryForStepsAsync(HistoryKind.Queues, null, from, to, IntervalLength.Day, NewYork);
            var rows = HistoryRollup.Queues(points, IntervalLength.Day, NewYork, new KpiOptions());
            Assert.Equal(HistoryRollup.Queues(await Store.QueryAsync(HistoryKind.Queues, null, from, to), IntervalLength.Day, NewYork, new KpiOptions()), rows);
            Assert.Equal(rows.Count, points.Count);
            return [.. rows.Select(row => (row.IntervalStart!.Value, row.Offered, row.MaxWaitSeconds))];
        }

        var before = await DaysAsync();
        await Store.WriteAsync([Queue("sales", Utc("2026-11-28T10:00:00-05:00"), offered: 2, answered: 2, maxWaitMs: 1_000)], null);
        await Store.WriteAsync([Queue("sales", nine + (3 * Q), offered: 3, answered: 3, maxWaitMs: 5_000)], null);
        await Store.WriteAsync([Queue("sales", Utc("2026-11-27T23:45:00-05:00"), offered: 1, answered: 1, maxWaitMs: 2_000)], null);
        var after = await DaysAsync();

        var day27 = DateTimeOffset.Parse("2026-11-27T00:00:00-05:00", CultureInfo.InvariantCulture);
        var day28 = DateTimeOffset.Parse("2026-11-28T00:00:00-05:00", CultureInfo.InvariantCulture);
        Assert.Equal([(day27, 4L, 40.0)], before);
        Assert.Equal([(day27, 7L, 30.0), (day28, 2L, 1.0)], after);
    }

    /// <summary>
    /// Intervals stored by a store that kept no roll-ups (a version before them, or a zone not yet in
    /// <c>History:RollupZones</c>): a store that keeps them answers from the quarter-hours until they
    /// are built, then from them, with the same rows; a store that stops keeping them never reads them
    /// again, since its writes no longer keep them up to date.
    /// </summary>
    [Fact]
    public async Task RollupsAreBuiltOverIntervalsStoredBeforeThemAndForgottenWhenNoLongerKept()
    {
        var nine = Utc("2026-11-27T09:00:00+08:00");
        const long Q = HistoryPoint.IntervalMs;
        var without = await OpenAgainAsync(StoredRollups.None);
        await without.WriteAsync([.. Enumerable.Range(0, 8).Select(i => Queue("sales", nine + (i * Q), offered: i + 1, answered: 1))], null);
        var (from, to) = HistoryRollup.AlignToSteps(nine, nine + 1, IntervalLength.Day, Shanghai);

        var upgraded = await OpenAgainAsync(Rollups);
        var builder = (IHistoryRollupBuilder)upgraded;
        var beforeBuild = await upgraded.QueryForStepsAsync(HistoryKind.Queues, null, from, to, IntervalLength.Day, Shanghai);
        var incomplete = builder.IncompleteRollups;
        var built = await builder.BuildRollupsAsync();
        var afterBuild = await upgraded.QueryForStepsAsync(HistoryKind.Queues, null, from, to, IntervalLength.Day, Shanghai);
        await upgraded.WriteAsync([Queue("sales", nine + (8 * Q), offered: 100, answered: 1)], null);
        var afterWrite = await upgraded.QueryForStepsAsync(HistoryKind.Queues, null, from, to, IntervalLength.Day, Shanghai);

        // A store keeping only UTC's hours and days: Shanghai's days are no longer kept up to date, so
        // they are not read (the UTC hours answer).
        var narrower = await OpenAgainAsync(StoredRollups.For([DateTimeZone.Utc]));
        await narrower.WriteAsync([Queue("sales", nine + (9 * Q), offered: 1000, answered: 1)], null);
        var afterNarrower = await narrower.QueryForStepsAsync(HistoryKind.Queues, null, from, to, IntervalLength.Day, Shanghai);
        var again = await OpenAgainAsync(Rollups);
        var rebuilt = await ((IHistoryRollupBuilder)again).BuildRollupsAsync();
        var afterAgain = await again.QueryForStepsAsync(HistoryKind.Queues, null, from, to, IntervalLength.Day, Shanghai);

        Assert.Equal(Rollups.All.Select(rollup => rollup.Name), incomplete);
        Assert.Equal(8, beforeBuild.Count);
        Assert.Equal(36, beforeBuild.Sum(point => point.QueueCounters.Offered));
        Assert.Equal(Rollups.All.Count, built);
        Assert.Empty(builder.IncompleteRollups);
        Assert.Equal(36, Assert.Single(afterBuild).QueueCounters.Offered);
        Assert.Equal(136, Assert.Single(afterWrite).QueueCounters.Offered);
        Assert.Equal(3, afterNarrower.Count);
        Assert.Equal(1136, afterNarrower.Sum(point => point.QueueCounters.Offered));
        Assert.Equal(Rollups.All.Count - 1, rebuilt);
        Assert.Equal(1136, Assert.Single(afterAgain).QueueCounters.Offered);
    }
}
