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

    /// <summary>All queues summed per local hour: the hours whose service level missed the target come from these.</summary>
    public required IReadOnlyList<QueueKpiRow> ByHour { get; init; }

    /// <summary>All queues summed per local hour of day over the whole period: 24 rows, hour 0 first.</summary>
    public required IReadOnlyList<QueueKpiRow> HourOfDay { get; init; }

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

    public static async Task<ReportData> LoadAsync(IKpiHistoryStore store, ReportOptions options, NameDirectory names, ReportRange period, IReadOnlyList<string>? queues, CancellationToken cancellationToken)
    {
        var zone = IntervalCalendar.ResolveZone(period.TimeZone);
        var previous = period.Previous();
        IReadOnlyCollection<string>? queueIds = queues is { Count: > 0 } ? queues : null;

        // The previous period is read in the same query: it ends where this one starts.
        // The reads are independent and run side by side. A month of 500 agents (1.44 M points) is
        // the long one, so it is read in slices of whole local days, each summed as it arrives.
        var queuesRead = Task.Run(() => store.QueryAsync(HistoryKind.Queues, queueIds, previous.StartMs, period.EndMs, cancellationToken), cancellationToken);
        var campaignsRead = Task.Run(() => store.QueryAsync(HistoryKind.Campaigns, null, previous.StartMs, period.EndMs, cancellationToken), cancellationToken);
        var agentSlices = DaySlices(period, zone, AgentSliceDays)
            .Select(slice => Task.Run(async () => AgentSums(await store.QueryAsync(HistoryKind.Agents, null, slice.FromMs, slice.ToMs, cancellationToken).ConfigureAwait(false), zone), cancellationToken))
            .ToList();
        var queuePoints = await queuesRead.ConfigureAwait(false);
        var campaignPoints = await campaignsRead.ConfigureAwait(false);
        var agentSums = await Task.WhenAll(agentSlices).ConfigureAwait(false);

        var current = queuePoints.Where(point => point.IntervalStartMs >= period.StartMs).ToList();
        var before = queuePoints.Where(point => point.IntervalStartMs < period.StartMs).ToList();
        var currentCampaigns = campaignPoints.Where(point => point.IntervalStartMs >= period.StartMs).ToList();
        var previousCampaigns = campaignPoints.Where(point => point.IntervalStartMs < period.StartMs).ToList();

        var kpi = options.Kpi;
        var chartStep = period.Period == ReportPeriod.Daily ? IntervalLength.Hour : IntervalLength.Day;
        return new ReportData
        {
            Period = period,
            Headline = HeadlineOf(options, period, previous, current, before, currentCampaigns, previousCampaigns),
            Queues = [.. SumPerId(current, point => point.QueueCounters, static (ref QueueCounters sum, in QueueCounters value) => sum.Add(value))
                .Select(sum => QueueKpiRow.From(sum.Id, period.Start, sum.Counters, kpi.TargetsFor(sum.Id).SlFormula, names.QueueName(sum.Id)))],
            ByStep = Combined(current, chartStep, zone, options),
            ByHour = Combined(current, IntervalLength.Hour, zone, options),
            HourOfDay = HourOfDayOf(current, zone, options),
            Agents = AgentsOf(agentSums, options, names, period),
            Campaigns = [.. SumPerId(currentCampaigns, point => point.CampaignCounters, static (ref CampaignCounters sum, in CampaignCounters value) => sum.Add(value))
                .Select(sum => CampaignKpiRow.From(sum.Id, period.Start, sum.Counters, names.CampaignName(sum.Id)))],
            Names = names,
            ChartStep = chartStep,
            ForecastByHour = period.Period == ReportPeriod.Daily
                ? await ForecastAsync(store, options, period, zone, queueIds, current, cancellationToken).ConfigureAwait(false)
                : new Dictionary<long, double>(),
            Adherence = period.Period == ReportPeriod.Daily && options.RotaOf?.Invoke(period.FirstDay) is { IsEmpty: false } rota
                ? AdherenceOf(await store.QueryAsync(HistoryKind.Agents, null, period.StartMs, period.EndMs, cancellationToken).ConfigureAwait(false), rota, period)
                : [],
        };
    }

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

    private static List<QueueKpiRow> HourOfDayOf(IEnumerable<HistoryPoint> points, DateTimeZone zone, ReportOptions options)
    {
        var hours = new QueueCounters[24];
        foreach (var (_, start, counters) in HistoryRollup.SumQueues(points, IntervalLength.Hour, zone))
        {
            hours[Instant.FromUnixTimeMilliseconds(start).InZone(zone).Hour].Add(counters);
        }

        return [.. hours.Select(counters => QueueKpiRow.From(AllQueues, null, counters, options.Kpi.DefaultQueue.SlFormula))];
    }

    /// <summary>All queues summed as one, per step.</summary>
    private static List<QueueKpiRow> Combined(IEnumerable<HistoryPoint> points, IntervalLength step, DateTimeZone zone, ReportOptions options) =>
        HistoryRollup.Queues(points.Select(point => point with { Id = AllQueues }), step, zone, options.Kpi with { Queues = AllQueuesTargets(options) });

    /// <summary>The summed queues use the default formula: per-queue formulas cannot be mixed into one ratio.</summary>
    private static Dictionary<string, Metrics.QueueTargets> AllQueuesTargets(ReportOptions options) =>
        new(StringComparer.Ordinal) { [AllQueues] = options.Kpi.DefaultQueue };

    private static ReportHeadline HeadlineOf(
        ReportOptions options, ReportRange period, ReportRange previous,
        List<HistoryPoint> current, List<HistoryPoint> before,
        List<HistoryPoint> currentCampaigns, List<HistoryPoint> previousCampaigns)
    {
        var now = Total(current);
        var then = Total(before);
        var nowCampaigns = CampaignTotal(currentCampaigns);
        var thenCampaigns = CampaignTotal(previousCampaigns);
        return new ReportHeadline(
            period,
            previous,
            new KpiComparison(now?.Offered, then?.Offered),
            new KpiComparison(now?.Answered, then?.Answered),
            new KpiComparison(now?.ServiceLevel, then?.ServiceLevel),
            new KpiComparison(now?.RingRate, then?.RingRate),
            new KpiComparison(now?.AsaSeconds, then?.AsaSeconds),
            new KpiComparison(now?.AhtSeconds, then?.AhtSeconds),
            new KpiComparison(now?.AbandonRate, then?.AbandonRate),
            new KpiComparison(nowCampaigns?.ConversionRate, thenCampaigns?.ConversionRate),
            options.ServiceLevelTarget,
            options.RingRateTarget);

        // The summed queues use the default formula: per-queue formulas cannot be mixed into one ratio.
        QueueKpiRow? Total(List<HistoryPoint> points) => points.Count == 0
            ? null
            : SumPerId(points.Select(point => point with { Id = AllQueues }), point => point.QueueCounters, static (ref QueueCounters sum, in QueueCounters value) => sum.Add(value))
                .Select(sum => QueueKpiRow.From(AllQueues, period.Start, sum.Counters, options.Kpi.DefaultQueue.SlFormula))
                .Single();

        CampaignKpiRow? CampaignTotal(List<HistoryPoint> points) => points.Count == 0
            ? null
            : SumPerId(points.Select(point => point with { Id = AllQueues }), point => point.CampaignCounters, static (ref CampaignCounters sum, in CampaignCounters value) => sum.Add(value))
                .Select(sum => CampaignKpiRow.From(AllQueues, period.Start, sum.Counters))
                .Single();
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
    /// One pass over a slice of the agents' points: the store returns them ordered by agent and
    /// time, so each agent's sum and the local days it logged in on are complete when the next
    /// agent starts. Slices hold whole days, so their day counts add up.
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
            .Select(entry => new AgentReportRow(
                AgentKpiRow.From(entry.Key, period.Start, entry.Value.Sum, (names.DailyCallTarget(entry.Key) ?? options.AgentCallTargetPerDay) * entry.Value.DaysLoggedIn, names.AgentName(entry.Key)),
                entry.Value.DaysLoggedIn))];
    }
}

/// <summary>An agent on the rota: time scheduled on the phones, adherence and conformance.</summary>
internal sealed record AdherenceRow(string Agent, double ScheduledSeconds, double? Adherence, double? Conformance);

/// <summary>An agent over the period and the number of days the agent logged in.</summary>
internal sealed record AgentReportRow(AgentKpiRow Row, int DaysLoggedIn);
