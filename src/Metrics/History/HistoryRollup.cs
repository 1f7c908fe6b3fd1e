using NodaTime;
using Wallboard.Metrics.Calendar;
using Wallboard.Metrics.Counters;
using Wallboard.Metrics.Names;
using Wallboard.Metrics.Rows;

namespace Wallboard.Metrics.History;

/// <summary>
/// Sums stored 15-minute points into longer steps of a time zone's local calendar and turns the
/// sums into the metrics core's rows. Ratios come from the summed counters through the same
/// <c>*KpiRow.From</c> the live engine uses, never from averaging stored ratios.
/// </summary>
public static class HistoryRollup
{
    /// <summary>Whether <paramref name="step"/> is one a roll-up of 15-minute points can produce.</summary>
    /// <remarks>Minute steps must be whole multiples of the stored interval; every real zone offset is a multiple of 15 minutes, so they align in any zone.</remarks>
    public static bool IsSupportedStep(IntervalLength step) => step.Unit switch
    {
        IntervalUnit.Minutes => step.Minutes % 15 == 0,
        IntervalUnit.Day or IntervalUnit.Week or IntervalUnit.Month => true,
        _ => false,
    };

    /// <summary>Sums points of one kind per (id, step start), ordered by id (ordinal) then start.</summary>
    public static List<(string Id, long StepStartMs, TCounters Counters)> Sum<TCounters>(
        IEnumerable<HistoryPoint> points, IntervalLength step, DateTimeZone zone, Func<HistoryPoint, TCounters> counters, Adder<TCounters> add)
        where TCounters : struct
    {
        ArgumentNullException.ThrowIfNull(points);
        ArgumentNullException.ThrowIfNull(counters);
        ArgumentNullException.ThrowIfNull(add);
        if (!IsSupportedStep(step))
        {
            throw new ArgumentException($"step {step} is not a multiple of the stored 15 minutes", nameof(step));
        }

        var calendar = new IntervalCalendar(zone, step);
        var sums = new Dictionary<(string Id, long Start), TCounters>();
        foreach (var point in points)
        {
            var key = (point.Id, calendar.StartOf(point.IntervalStartMs));
            sums.TryGetValue(key, out var sum);
            var value = counters(point);
            add(ref sum, value);
            sums[key] = sum;
        }

        return [.. sums
            .OrderBy(entry => entry.Key.Id, StringComparer.Ordinal)
            .ThenBy(entry => entry.Key.Start)
            .Select(entry => (entry.Key.Id, entry.Key.Start, entry.Value))];
    }

    /// <summary>Adds <paramref name="value"/> into <paramref name="sum"/>.</summary>
    public delegate void Adder<TCounters>(ref TCounters sum, in TCounters value);

    public static List<(string Id, long StepStartMs, QueueCounters Counters)> SumQueues(IEnumerable<HistoryPoint> points, IntervalLength step, DateTimeZone zone) =>
        Sum(points, step, zone, point => point.QueueCounters, static (ref QueueCounters sum, in QueueCounters value) => sum.Add(value));

    public static List<(string Id, long StepStartMs, AgentCounters Counters)> SumAgents(IEnumerable<HistoryPoint> points, IntervalLength step, DateTimeZone zone) =>
        Sum(points, step, zone, point => point.AgentCounters, static (ref AgentCounters sum, in AgentCounters value) => sum.Add(value));

    public static List<(string Id, long StepStartMs, CampaignCounters Counters)> SumCampaigns(IEnumerable<HistoryPoint> points, IntervalLength step, DateTimeZone zone) =>
        Sum(points, step, zone, point => point.CampaignCounters, static (ref CampaignCounters sum, in CampaignCounters value) => sum.Add(value));

    /// <summary>Queue rows per step; the service-level formula of each queue comes from <paramref name="options"/>.</summary>
    /// <remarks>Display names for <c>queue_name</c>; the ids when omitted.</remarks>
    public static List<QueueKpiRow> Queues(IEnumerable<HistoryPoint> points, IntervalLength step, DateTimeZone zone, KpiOptions options, NameDirectory? names = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        names ??= NameDirectory.Empty;
        return [.. SumQueues(points, step, zone).Select(sum => QueueKpiRow.From(
            sum.Id, ToLocal(sum.StepStartMs, zone), sum.Counters, options.TargetsFor(sum.Id).SlFormula, names.QueueName(sum.Id)))];
    }

    /// <remarks>Display names for <c>agent_name</c>; the ids when omitted.</remarks>
    public static List<AgentKpiRow> Agents(IEnumerable<HistoryPoint> points, IntervalLength step, DateTimeZone zone, KpiOptions options, NameDirectory? names = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        names ??= NameDirectory.Empty;
        return [.. SumAgents(points, step, zone).Select(sum => AgentKpiRow.From(
            sum.Id, ToLocal(sum.StepStartMs, zone), sum.Counters, options.AgentCallTarget, names.AgentName(sum.Id)))];
    }

    /// <remarks>Display names for <c>campaign_name</c>; the ids when omitted.</remarks>
    public static List<CampaignKpiRow> Campaigns(IEnumerable<HistoryPoint> points, IntervalLength step, DateTimeZone zone, NameDirectory? names = null)
    {
        names ??= NameDirectory.Empty;
        return [.. SumCampaigns(points, step, zone).Select(sum => CampaignKpiRow.From(
            sum.Id, ToLocal(sum.StepStartMs, zone), sum.Counters, names.CampaignName(sum.Id)))];
    }

    /// <summary>
    /// Widens [<paramref name="fromMs"/>, <paramref name="toMs"/>) to whole steps, so that the
    /// first and last rows of a query are complete days, weeks or months rather than parts of one.
    /// </summary>
    public static (long FromMs, long ToMs) AlignToSteps(long fromMs, long toMs, IntervalLength step, DateTimeZone zone)
    {
        var calendar = new IntervalCalendar(zone, step);
        var from = calendar.StartOf(fromMs);
        var lastStart = calendar.StartOf(toMs - 1);
        return (from, toMs <= fromMs ? from : calendar.EndOf(lastStart));
    }

    private static DateTimeOffset ToLocal(long startMs, DateTimeZone zone) =>
        Instant.FromUnixTimeMilliseconds(startMs).InZone(zone).ToDateTimeOffset();
}
