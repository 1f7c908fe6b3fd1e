using NodaTime;
using Wallboard.Metrics.Calendar;
using Wallboard.Metrics.Counters;
using Wallboard.Metrics.History;
using Wallboard.Metrics.Names;
using Wallboard.Metrics.Rows;

namespace Wallboard.Reports;

/// <summary>
/// Everything a report shows, read from the history store and rolled up with
/// <see cref="HistoryRollup"/> and the <c>*KpiRow.From</c> of the metrics core, so a report's
/// numbers are the numbers of the history API and the live wallboard.
/// </summary>
internal sealed class ReportData
{
    /// <summary>The pseudo-queue name under which all reported queues are summed.</summary>
    public const string AllQueues = "\u0001all";

    public required ReportRange Period { get; init; }

    public required ReportHeadline Headline { get; init; }

    /// <summary>One row per queue over the whole period, ordered by name.</summary>
    public required IReadOnlyList<QueueKpiRow> Queues { get; init; }

    /// <summary>All queues summed per chart step (an hour for a day, a day for a week or month).</summary>
    public required IReadOnlyList<QueueKpiRow> ByStep { get; init; }

    /// <summary>All queues summed over the period; null when no call was offered.</summary>
    public required QueueKpiRow? QueueTotal { get; init; }

    /// <summary>All queues summed per local hour with calls: the hours whose service level missed the target come from these.</summary>
    public required IReadOnlyList<HourRow> ByHour { get; init; }

    /// <summary>All queues summed per weekday and local hour (Monday 00:00 first, 168 rows), for weeks and months; empty for a day.</summary>
    public required IReadOnlyList<QueueKpiRow> WeekdayHours { get; init; }

    /// <summary>Per weekday (Monday first), the days of the period on which calls were offered: a heat map's cells are averages over them.</summary>
    public required IReadOnlyList<int> DaysPerWeekday { get; init; }

    /// <summary>Answered calls and non-short abandons of all queues by wait band.</summary>
    public required WaitDistribution Waits { get; init; }

    public required IReadOnlyList<AgentReportRow> Agents { get; init; }

    public required IReadOnlyList<CampaignKpiRow> Campaigns { get; init; }

    /// <summary>The step of <see cref="ByStep"/>.</summary>
    public required IntervalLength ChartStep { get; init; }

    /// <summary>A daily report's forecast calls per hour (start, Unix ms → calls); empty for other periods.</summary>
    public IReadOnlyDictionary<long, double> ForecastByHour { get; init; } = new Dictionary<long, double>();

    /// <summary>A daily report's agents on the rota, with their adherence; empty without a rota.</summary>
    public IReadOnlyList<AdherenceRow> Adherence { get; init; } = [];

    /// <summary>The directory the rows' names and the per-queue and per-agent targets came from.</summary>
    public required NameDirectory Names { get; init; }

    /// <summary>The periods compared with whose calls cover clearly less of them than this period's do.</summary>
    public IReadOnlyList<PartialComparison> PartialComparisons { get; init; } = [];

    /// <summary>Whether anything at all was stored for the period: calls, agents or campaigns.</summary>
    public bool HasData => QueueTotal is not null || Agents.Count > 0 || Campaigns.Count > 0;

    public static async Task<ReportData> LoadAsync(IKpiHistoryStore store, ReportOptions options, NameDirectory names, ReportRange period, IReadOnlyList<string>? queues, CancellationToken cancellationToken)
    {
        var zone = IntervalCalendar.ResolveZone(period.TimeZone);
        var previous = period.Previous();
        // A day is also compared with the same weekday a week before: Mondays are not like Sundays.
        var weekAgo = period.Period == ReportPeriod.Daily ? period.WeekBefore() : null;
        var firstRead = Math.Min(previous.StartMs, weekAgo?.StartMs ?? long.MaxValue);
        IReadOnlyCollection<string>? queueIds = queues is { Count: > 0 } ? queues : null;

        // The periods compared with are read in the same query: they end where this one starts.
        // The reads are independent and run side by side. Agents and campaigns are only summed over
        // whole local days (and agents' days counted), so they are read by day: from the store's
        // roll-up of the report's zone where it keeps one (a month of 500 agents is 15,000 points
        // instead of 1.44 M), else as 15-minute points. Queues stay 15-minute points: the report's
        // hours and the partial-comparison times are finer than a day. Agents are read in slices of
        // whole local days, each summed as it arrives.
        var queuesRead = Task.Run(() => store.QueryAsync(HistoryKind.Queues, queueIds, firstRead, period.EndMs, cancellationToken), cancellationToken);
        var campaignsRead = Task.Run(() => store.QueryForStepsAsync(HistoryKind.Campaigns, null, firstRead, period.EndMs, IntervalLength.Day, zone, cancellationToken), cancellationToken);
        var agentSlices = DaySlices(period, zone, AgentSliceDays)
            .Select(slice => Task.Run(async () => AgentSums(await store.QueryForStepsAsync(HistoryKind.Agents, null, slice.FromMs, slice.ToMs, IntervalLength.Day, zone, cancellationToken).ConfigureAwait(false), zone), cancellationToken))
            .ToList();
        var queuePoints = await queuesRead.ConfigureAwait(false);
        var campaignPoints = await campaignsRead.ConfigureAwait(false);
        var agentSums = await Task.WhenAll(agentSlices).ConfigureAwait(false);

        var current = In(queuePoints, period);
        var currentCampaigns = In(campaignPoints, period);
        var compared = new List<Compared> { new(previous, In(queuePoints, previous), In(campaignPoints, previous)) };
        if (weekAgo is not null)
        {
            compared.Add(new(weekAgo, In(queuePoints, weekAgo), In(campaignPoints, weekAgo)));
        }

        var kpi = options.Kpi;
        var chartStep = period.Period == ReportPeriod.Daily ? IntervalLength.Hour : IntervalLength.Day;
        var total = Total(current, options, period);
        var (weekdayHours, daysPerWeekday) = period.Period == ReportPeriod.Daily ? ([], []) : WeekdayHoursOf(current, zone, options);
        return new ReportData
        {
            Period = period,
            Headline = HeadlineOf(options, period, total, currentCampaigns, compared[0], weekAgo is null ? null : compared[1]),
            Queues = [.. SumPerId(current, point => point.QueueCounters, static (ref QueueCounters sum, in QueueCounters value) => sum.Add(value))
                .Select(sum => QueueKpiRow.From(sum.Id, period.Start, sum.Counters, kpi.TargetsFor(sum.Id).SlFormula, names.QueueName(sum.Id)))],
            QueueTotal = total,
            ByStep = Combined(current, chartStep, zone, options),
            ByHour = HoursOf(current, zone, options),
            WeekdayHours = weekdayHours,
            DaysPerWeekday = daysPerWeekday,
            Waits = WaitDistribution.Of(current),
            Agents = AgentsOf(agentSums, options, names, period),
            Campaigns = [.. SumPerId(currentCampaigns, point => point.CampaignCounters, static (ref CampaignCounters sum, in CampaignCounters value) => sum.Add(value))
                .Select(sum => CampaignKpiRow.From(sum.Id, period.Start, sum.Counters, names.CampaignName(sum.Id)))],
            Names = names,
            ChartStep = chartStep,
            PartialComparisons = [.. compared.Select(other => PartialComparison.Of(period, current, other.Period, other.Queues)).OfType<PartialComparison>()],
            ForecastByHour = period.Period == ReportPeriod.Daily
                ? await ForecastAsync(store, options, period, zone, queueIds, current, cancellationToken).ConfigureAwait(false)
                : new Dictionary<long, double>(),
            Adherence = period.Period == ReportPeriod.Daily && options.RotaOf?.Invoke(period.FirstDay) is { IsEmpty: false } rota
                ? AdherenceOf(await store.QueryAsync(HistoryKind.Agents, null, period.StartMs, period.EndMs, cancellationToken).ConfigureAwait(false), rota, period)
                : [],
        };

        static List<HistoryPoint> In(IReadOnlyList<HistoryPoint> points, ReportRange range) =>
            [.. points.Where(point => point.IntervalStartMs >= range.StartMs && point.IntervalStartMs < range.EndMs)];
    }

    /// <summary>A period a report compares with and its points.</summary>
    private sealed record Compared(ReportRange Period, List<HistoryPoint> Queues, List<HistoryPoint> Campaigns);

    /// <summary>The day's forecast made as it would have been the evening before: from the weeks before, without intraday scaling.</summary>
    private static async Task<Dictionary<long, double>> ForecastAsync(
        IKpiHistoryStore store, ReportOptions options, ReportRange period, DateTimeZone zone, IReadOnlyCollection<string>? queues, List<HistoryPoint> day, CancellationToken cancellationToken)
    {
        var date = new LocalDate(period.FirstDay.Year, period.FirstDay.Month, period.FirstDay.Day);
        var points = new List<HistoryPoint>(day);
        foreach (var (from, to) in Metrics.Staffing.TrafficForecast.HistoryRanges(date, zone, options.Staffing).Skip(1))
        {
            points.AddRange(await store.QueryAsync(HistoryKind.Queues, queues, from, to, cancellationToken).ConfigureAwait(false));
        }

        return Metrics.Staffing.TrafficForecast.Forecast(points, date, zone, 60, options.Staffing, options.Kpi, nowMs: null, queues)
            .GroupBy(step => step.StartMs)
            .ToDictionary(group => group.Key, group => group.Sum(step => step.UnscaledOffered));
    }

    /// <summary>
    /// Per agent on the rota: scheduled time, and time logged in and not paused within it. Stored
    /// intervals are 15 minutes; a scheduled span that covers part of one takes that part of its
    /// time (exact for spans on quarter hours, as rotas are).
    /// </summary>
    private static List<AdherenceRow> AdherenceOf(IReadOnlyList<HistoryPoint> agents, Metrics.Staffing.Rota rota, ReportRange period)
    {
        var byAgent = agents.GroupBy(point => point.Id, StringComparer.Ordinal).ToDictionary(group => group.Key, group => group.ToList(), StringComparer.Ordinal);
        var rows = new List<AdherenceRow>();
        foreach (var agent in rota.Agents.Order(StringComparer.Ordinal))
        {
            var spans = rota.Scheduled(agent, period.StartMs, period.EndMs).ToList();
            var scheduled = spans.Sum(span => span.EndMs - span.StartMs);
            if (scheduled == 0)
            {
                continue;
            }

            double adhering = 0, worked = 0;
            foreach (var point in byAgent.GetValueOrDefault(agent) ?? [])
            {
                var counters = point.AgentCounters;
                var present = Math.Max(0, counters.LoginMs - counters.PauseMs);
                worked += present;
                var end = point.IntervalStartMs + HistoryPoint.IntervalMs;
                var covered = spans.Sum(span => Math.Max(0, Math.Min(span.EndMs, end) - Math.Max(span.StartMs, point.IntervalStartMs)));
                adhering += present * (double)covered / HistoryPoint.IntervalMs;
            }

            var adherence = new Metrics.Staffing.AgentAdherence(scheduled / 1000.0, Math.Min(scheduled, adhering) / 1000.0, worked / 1000.0);
            rows.Add(new AdherenceRow(agent, adherence.ScheduledSeconds, adherence.Adherence, adherence.Conformance));
        }

        return rows;
    }

    /// <summary>
    /// Sums points per id over the whole period. <see cref="HistoryRollup"/> has no step for "the
    /// period" (an ISO week can span two months), so the sum is done here with the counters' own
    /// <c>Add</c>, and the ratios still come from the rows' <c>From</c>.
    /// </summary>
    private static IEnumerable<(string Id, TCounters Counters)> SumPerId<TCounters>(
        IEnumerable<HistoryPoint> points, Func<HistoryPoint, TCounters> counters, HistoryRollup.Adder<TCounters> add)
        where TCounters : struct
    {
        var sums = new Dictionary<string, TCounters>(StringComparer.Ordinal);
        foreach (var point in points)
        {
            sums.TryGetValue(point.Id, out var sum);
            add(ref sum, counters(point));
            sums[point.Id] = sum;
        }

        return sums.OrderBy(entry => entry.Key, StringComparer.Ordinal).Select(entry => (entry.Key, entry.Value));
    }

    /// <summary>All queues per local hour with calls, with the calls that missed the threshold under the default formula.</summary>
    private static List<HourRow> HoursOf(IEnumerable<HistoryPoint> points, DateTimeZone zone, ReportOptions options)
    {
        var formula = options.Kpi.DefaultQueue.SlFormula;
        return [.. HistoryRollup.SumQueues(points.Select(point => point with { Id = AllQueues }), IntervalLength.Hour, zone)
            .Where(sum => sum.Counters.Offered > 0)
            .Select(sum =>
            {
                var (within, counted) = QueueKpiRow.ServiceLevelCounts(sum.Counters, formula);
                var start = Instant.FromUnixTimeMilliseconds(sum.StepStartMs).InZone(zone).ToDateTimeOffset();
                return new HourRow(QueueKpiRow.From(AllQueues, start, sum.Counters, formula), counted - within);
            })];
    }

    /// <summary>All queues per (weekday, local hour), Monday 00:00 first, and per weekday the days with calls.</summary>
    private static (List<QueueKpiRow> Cells, List<int> Days) WeekdayHoursOf(IEnumerable<HistoryPoint> points, DateTimeZone zone, ReportOptions options)
    {
        var cells = new QueueCounters[7 * 24];
        var days = new HashSet<LocalDate>[7];
        for (var i = 0; i < 7; i++)
        {
            days[i] = [];
        }

        foreach (var point in points)
        {
            var counters = point.QueueCounters;
            if (counters.Offered == 0)
            {
                continue;
            }

            var local = Instant.FromUnixTimeMilliseconds(point.IntervalStartMs).InZone(zone);
            var weekday = (int)local.DayOfWeek - 1;
            cells[(weekday * 24) + local.Hour].Add(counters);
            days[weekday].Add(local.Date);
        }

        var formula = options.Kpi.DefaultQueue.SlFormula;
        return ([.. cells.Select(counters => QueueKpiRow.From(AllQueues, null, counters, formula))], [.. days.Select(set => set.Count)]);
    }

    /// <summary>All queues summed as one, per step.</summary>
    private static List<QueueKpiRow> Combined(IEnumerable<HistoryPoint> points, IntervalLength step, DateTimeZone zone, ReportOptions options) =>
        HistoryRollup.Queues(points.Select(point => point with { Id = AllQueues }), step, zone, options.Kpi with { Queues = AllQueuesTargets(options) });

    /// <summary>The summed queues use the default formula: per-queue formulas cannot be mixed into one ratio.</summary>
    private static Dictionary<string, Metrics.QueueTargets> AllQueuesTargets(ReportOptions options) =>
        new(StringComparer.Ordinal) { [AllQueues] = options.Kpi.DefaultQueue };

    /// <summary>All queues summed as one, with the default formula (per-queue formulas cannot be mixed into one ratio); null without calls.</summary>
    private static QueueKpiRow? Total(List<HistoryPoint> points, ReportOptions options, ReportRange period) => points.Count == 0
        ? null
        : SumPerId(points.Select(point => point with { Id = AllQueues }), point => point.QueueCounters, static (ref QueueCounters sum, in QueueCounters value) => sum.Add(value))
            .Select(sum => QueueKpiRow.From(AllQueues, period.Start, sum.Counters, options.Kpi.DefaultQueue.SlFormula))
            .Single();

    private static CampaignKpiRow? CampaignTotal(List<HistoryPoint> points, ReportRange period) => points.Count == 0
        ? null
        : SumPerId(points.Select(point => point with { Id = AllQueues }), point => point.CampaignCounters, static (ref CampaignCounters sum, in CampaignCounters value) => sum.Add(value))
            .Select(sum => CampaignKpiRow.From(AllQueues, period.Start, sum.Counters))
            .Single();

    private static ReportHeadline HeadlineOf(
        ReportOptions options, ReportRange period, QueueKpiRow? now, List<HistoryPoint> currentCampaigns, Compared previous, Compared? weekAgo)
    {
        var then = Total(previous.Queues, options, previous.Period);
        var week = weekAgo is null ? null : Total(weekAgo.Queues, options, weekAgo.Period);
        var nowCampaigns = CampaignTotal(currentCampaigns, period);
        var thenCampaigns = CampaignTotal(previous.Campaigns, previous.Period);
        var weekCampaigns = weekAgo is null ? null : CampaignTotal(weekAgo.Campaigns, weekAgo.Period);
        return new ReportHeadline(
            period,
            previous.Period,
            Compare(row => row.Offered),
            Compare(row => row.Answered),
            Compare(row => row.ServiceLevel),
            Compare(row => row.RingRate),
            Compare(row => row.AsaSeconds),
            Compare(row => row.AhtSeconds),
            Compare(row => row.AbandonRate),
            new KpiComparison(nowCampaigns?.ConversionRate, thenCampaigns?.ConversionRate) { WeekAgo = weekCampaigns?.ConversionRate },
            options.ServiceLevelTarget,
            options.RingRateTarget)
        {
            WeekAgoPeriod = weekAgo?.Period,
            AbandonRateTarget = options.AbandonRateTarget,
            AsaTargetSeconds = options.AsaTargetSeconds,
            Rings = options.Kpi.Rings,
        };

        KpiComparison Compare(Func<QueueKpiRow, double?> figure) =>
            new(now is null ? null : figure(now), then is null ? null : figure(then)) { WeekAgo = week is null ? null : figure(week) };
    }

    /// <summary>Local days per agent read: a week of 500 agents is 336,000 points.</summary>
    private const int AgentSliceDays = 8;

    /// <summary>[from, to) ranges of whole local days covering the period.</summary>
    private static List<(long FromMs, long ToMs)> DaySlices(ReportRange period, DateTimeZone zone, int days)
    {
        var slices = new List<(long, long)>();
        var first = new LocalDate(period.FirstDay.Year, period.FirstDay.Month, period.FirstDay.Day);
        var end = new LocalDate(period.LastDay.Year, period.LastDay.Month, period.LastDay.Day).PlusDays(1);
        for (var day = first; day < end; day = day.PlusDays(days))
        {
            var next = LocalDate.Min(day.PlusDays(days), end);
            slices.Add((zone.AtStartOfDay(day).ToInstant().ToUnixTimeMilliseconds(), zone.AtStartOfDay(next).ToInstant().ToUnixTimeMilliseconds()));
        }

        return slices;
    }

    /// <summary>
    /// One pass over a slice of the agents' points (15-minute points or local days): the store
    /// returns them ordered by agent and time, so each agent's sum and the local days it logged in
    /// on are complete when the next agent starts. Slices hold whole days, so their day counts add
    /// up. A day's roll-up has login time exactly when one of its intervals has (an interval's login time is never negative).
    /// </summary>
    private static Dictionary<string, (AgentCounters Sum, int DaysLoggedIn)> AgentSums(IReadOnlyList<HistoryPoint> points, DateTimeZone zone)
    {
        var sums = new Dictionary<string, (AgentCounters, int)>(StringComparer.Ordinal);
        var days = new IntervalCalendar(zone, IntervalLength.Day);
        string? agent = null;
        var sum = default(AgentCounters);
        var daysLoggedIn = 0;
        var lastLoginDay = long.MinValue;
        foreach (var point in points)
        {
            if (!string.Equals(point.Id, agent, StringComparison.Ordinal))
            {
                Flush();
                agent = point.Id;
                sum = default;
                daysLoggedIn = 0;
                lastLoginDay = long.MinValue;
            }

            var counters = point.AgentCounters;
            sum.Add(counters);
            if (counters.LoginMs > 0 && days.StartOf(point.IntervalStartMs) is var day && day != lastLoginDay)
            {
                daysLoggedIn++;
                lastLoginDay = day;
            }
        }

        Flush();
        return sums;

        void Flush()
        {
            if (agent is not null)
            {
                sums[agent] = (sum, daysLoggedIn);
            }
        }
    }

    /// <summary>
    /// Agents over the period; days logged in, times the agent's daily call target (the directory's,
    /// else the report's), decide how many calls an agent was expected to make.
    /// </summary>
    private static List<AgentReportRow> AgentsOf(IEnumerable<Dictionary<string, (AgentCounters Sum, int DaysLoggedIn)>> slices, ReportOptions options, NameDirectory names, ReportRange period)
    {
        var total = new Dictionary<string, (AgentCounters Sum, int DaysLoggedIn)>(StringComparer.Ordinal);
        foreach (var slice in slices)
        {
            foreach (var (agent, (sum, days)) in slice)
            {
                total.TryGetValue(agent, out var running);
                running.Sum.Add(sum);
                total[agent] = (running.Sum, running.DaysLoggedIn + days);
            }
        }

        return [.. total
            .OrderBy(entry => entry.Key, StringComparer.Ordinal)
            .Select(entry =>
            {
                var dailyTarget = names.DailyCallTarget(entry.Key) ?? options.AgentCallTargetPerDay;
                var callTarget = dailyTarget * entry.Value.DaysLoggedIn;
                var team = names.Agents.TryGetValue(entry.Key, out var agent) ? agent.Team : null;
                return new AgentReportRow(
                    AgentKpiRow.From(entry.Key, period.Start, entry.Value.Sum, callTarget, names.AgentName(entry.Key)),
                    entry.Value.DaysLoggedIn,
                    entry.Value.Sum,
                    team,
                    team is null ? null : names.TeamName(team),
                    callTarget);
            })];
    }
}

/// <summary>An agent on the rota: time scheduled on the phones, adherence and conformance.</summary>
internal sealed record AdherenceRow(string Agent, double ScheduledSeconds, double? Adherence, double? Conformance);

/// <summary>An agent over the period: the row, the days logged in, the summed counters (for team subtotals) and the directory's team.</summary>
/// <param name="Row">The agent's figures.</param>
/// <param name="DaysLoggedIn">Local days with login time.</param>
/// <param name="Counters">The summed counters the row was made from.</param>
/// <param name="Team">The team id from the directory, or null.</param>
/// <param name="TeamName">The team's display name, or null.</param>
/// <param name="CallTarget">Calls expected over the period (daily target × days logged in); 0 for none.</param>
internal sealed record AgentReportRow(AgentKpiRow Row, int DaysLoggedIn, AgentCounters Counters, string? Team, string? TeamName, int CallTarget)
{
    /// <summary>Calls made: handled inbound plus connected outbound.</summary>
    public long Calls => Counters.Handled + Counters.OutboundConnected;

    /// <summary>Whether the agent dialled out.</summary>
    public bool Outbound => Counters.OutboundAttempts > 0;

    /// <summary>Whether the agent took queue calls, or did nothing else (logged in only).</summary>
    public bool Inbound => Counters.Answered > 0 || Counters.Handled > 0 || !Outbound;
}

/// <summary>One local hour of all queues, and the calls in it that missed the service-level threshold.</summary>
/// <param name="Row">The hour's figures.</param>
/// <param name="NotInTime">Calls counted by the service level but not within its threshold (answered late, abandoned, timed out, exited).</param>
internal sealed record HourRow(QueueKpiRow Row, long NotInTime);
