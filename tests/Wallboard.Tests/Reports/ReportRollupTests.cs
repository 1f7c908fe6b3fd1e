using NodaTime;
using Wallboard.Hub.History;
using Wallboard.Metrics;
using Wallboard.Metrics.Calendar;
using Wallboard.Metrics.Counters;
using Wallboard.Metrics.History;
using Wallboard.Metrics.Names;
using Wallboard.Reports;

namespace Wallboard.Tests.Reports;

/// <summary>
/// The monthly report of November 2026 (Shanghai) read from a store keeping local-day roll-ups
/// equals the one read from the 15-minute points alone, and reads days.
/// </summary>
/// <remarks>
/// Agents, besides <see cref="HandWorkedDay"/>'s 27 November (alice handled 100, bob 80): alice
/// 3 Nov 09:00 (10 handled, 1 h logged in) and 23:45 (1 handled, 15 min), and 27 Nov 10:00 (5 handled,
/// 15 min): 116 handled on 2 days logged in, a call target of 240. bob 30 Nov 23:45 (2 handled,
/// 15 min) and 1 Dec 00:00 (50 handled, December: left out): 82 handled on 2 days. carol 10 Nov 12:00,
/// 5 outbound attempts and no login: 0 days, no call target. Campaign winback, besides 26 and 27 Nov
/// (100 + 200 attempts, 3 + 10 conversions): 30 Nov 23:45, 10 attempts and 1 conversion, so
/// November has 310 attempts and 14 conversions; 31 Oct 23:45 (October, the month compared with) 40
/// attempts, 4 contacts, 2 conversions (50 %).
/// </remarks>
public sealed class ReportRollupTests : IDisposable
{
    private const long Hour = 3_600_000;
    private const long Day = 24 * Hour;
    private const long NovemberThird9Am = HandWorkedDay.NineAm - (24 * Day);
    private const long NovemberEnd = HandWorkedDay.NineAm + (3 * Day) + (15 * Hour);

    private readonly string _dir = Directory.CreateTempSubdirectory("wallboard-report-rollup-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static IEnumerable<HistoryPoint> More() =>
    [
        HistoryPoint.Agent("alice", NovemberThird9Am, new AgentCounters { Answered = 10, Handled = 10, TalkMs = 1_000_000, LoginMs = 3_600_000 }),
        HistoryPoint.Agent("alice", NovemberThird9Am + (14 * Hour) + (45 * 60_000), new AgentCounters { Answered = 1, Handled = 1, TalkMs = 100_000, LoginMs = 900_000 }),
        HistoryPoint.Agent("alice", HandWorkedDay.NineAm + Hour, new AgentCounters { Answered = 5, Handled = 5, TalkMs = 500_000, LoginMs = 900_000 }),
        HistoryPoint.Agent("bob", NovemberEnd - HistoryPoint.IntervalMs, new AgentCounters { Answered = 2, Handled = 2, TalkMs = 200_000, LoginMs = 900_000 }),
        HistoryPoint.Agent("bob", NovemberEnd, new AgentCounters { Answered = 50, Handled = 50, TalkMs = 5_000_000, LoginMs = 900_000 }),
        HistoryPoint.Agent("carol", HandWorkedDay.NineAm - (17 * Day) + (3 * Hour), new AgentCounters { OutboundAttempts = 5 }),
        HistoryPoint.Campaign("winback", NovemberEnd - HistoryPoint.IntervalMs, new CampaignCounters { Attempts = 10, Connected = 5, Contacts = 5, Conversions = 1 }),
        HistoryPoint.Campaign("winback", NovemberThird9Am - (3 * Day) + (14 * Hour) + (45 * 60_000), new CampaignCounters { Attempts = 40, Connected = 4, Contacts = 4, Conversions = 2 }),
    ];

    [Fact]
    public async Task TheMonthFromDayRollupsEqualsTheMonthFromIntervals()
    {
        var zone = IntervalCalendar.ResolveZone(HandWorkedDay.Zone);
        using var intervals = new SqliteHistoryStore(Path.Combine(_dir, "intervals.db"));
        using var rolledUp = new SqliteHistoryStore(Path.Combine(_dir, "rollups.db"), StoredRollups.For([zone]));
        foreach (var store in new[] { intervals, rolledUp })
        {
            await store.WriteAsync([.. HandWorkedDay.Points(), .. More()], NovemberEnd + Day);
        }

        var fromIntervals = await LoadAsync(new CountingStore(intervals));
        var fromRollups = await LoadAsync(new CountingStore(rolledUp));

        // Days: alice 3 and 27 Nov, bob 27 and 30 Nov, carol 10 Nov; intervals: 4 + 2 + 1.
        Assert.Equal(7, fromIntervals.Store.AgentPoints);
        Assert.Equal(5, fromRollups.Store.AgentPoints);
        Assert.Equal(fromIntervals.Data.Agents, fromRollups.Data.Agents);
        Assert.Equal(fromIntervals.Data.Campaigns, fromRollups.Data.Campaigns);
        Assert.Equal(fromIntervals.Data.Headline, fromRollups.Data.Headline);
        Assert.Equal(fromIntervals.Data.Queues, fromRollups.Data.Queues);
        Assert.Equal(fromIntervals.Data.ByStep, fromRollups.Data.ByStep);

        Assert.Equal(
            [("alice", 116L, 2, 240), ("bob", 82L, 2, 240), ("carol", 0L, 0, 0)],
            fromRollups.Data.Agents.Select(row => (row.Row.Agent, row.Counters.Handled, row.DaysLoggedIn, row.CallTarget)));
        var winback = Assert.Single(fromRollups.Data.Campaigns);
        Assert.Equal((310L, 14L), (winback.Attempts, winback.Conversions));
        Assert.Equal(14.0 / 85, fromRollups.Data.Headline.ConversionRate.Current!.Value, 12); // 50 + 30 + 5 contacts
        Assert.Equal(0.5, fromRollups.Data.Headline.ConversionRate.Previous!.Value, 12);
    }

    private static async Task<(ReportData Data, CountingStore Store)> LoadAsync(CountingStore store)
    {
        var options = new ReportOptions { Kpi = new KpiOptions { TimeZone = HandWorkedDay.Zone }, AgentCallTargetPerDay = 120 };
        var range = ReportRange.For(ReportPeriod.Monthly, HandWorkedDay.Day, HandWorkedDay.Zone);
        return (await ReportData.LoadAsync(store, options, NameDirectory.Empty, range, null, CancellationToken.None), store);
    }

    /// <summary>Counts the agent points the report reads.</summary>
    private sealed class CountingStore(IKpiHistoryStore inner) : IKpiHistoryStore
    {
        private int _agentPoints;

        public int AgentPoints => _agentPoints;

        public Task WriteAsync(IReadOnlyList<HistoryPoint> points, long? writtenUpToMs, CancellationToken cancellationToken = default) =>
            inner.WriteAsync(points, writtenUpToMs, cancellationToken);

        public async Task<IReadOnlyList<HistoryPoint>> QueryAsync(HistoryKind kind, IReadOnlyCollection<string>? ids, long fromMs, long toMs, CancellationToken cancellationToken = default) =>
            Count(kind, await inner.QueryAsync(kind, ids, fromMs, toMs, cancellationToken));

        public async Task<IReadOnlyList<HistoryPoint>> QueryForStepsAsync(
            HistoryKind kind, IReadOnlyCollection<string>? ids, long fromMs, long toMs, IntervalLength stepLength, DateTimeZone zone, CancellationToken cancellationToken = default) =>
            Count(kind, await inner.QueryForStepsAsync(kind, ids, fromMs, toMs, stepLength, zone, cancellationToken));

        public Task<long?> GetWrittenUpToAsync(CancellationToken cancellationToken = default) => inner.GetWrittenUpToAsync(cancellationToken);

        private IReadOnlyList<HistoryPoint> Count(HistoryKind kind, IReadOnlyList<HistoryPoint> points)
        {
            if (kind == HistoryKind.Agents)
            {
                Interlocked.Add(ref _agentPoints, points.Count);
            }

            return points;
        }
    }
}
