using Microsoft.Extensions.Options;
using NodaTime;
using Wallboard.Hub.Hosting;
using Wallboard.Metrics;
using Wallboard.Metrics.History;
using Wallboard.Metrics.Staffing;

namespace Wallboard.Hub.Staffing;

/// <summary>
/// One row of <c>GET /api/forecast</c>: a queue's forecast for one step, or (queue <c>*</c>) the
/// board's total: agents required summed over the queues, scheduled by the rota, and logged in
/// and not paused (averaged over the step, from history, for steps begun).
/// </summary>
internal sealed record ForecastRow(
    string Queue,
    DateTimeOffset IntervalStart,
    double Offered,
    double OfferedUnscaled,
    double? ActualOffered,
    double? AhtSeconds,
    double? PatienceSeconds,
    int? AgentsRequired,
    double? AgentsScheduled,
    double? AgentsLoggedIn);

/// <summary>Forecasts from the history store (through <see cref="IKpiHistoryStore"/>), for the API, the screens' strip and the CLI.</summary>
internal sealed class ForecastService(
    IKpiHistoryStore store,
    KpiOptions kpi,
    IOptions<StaffingOptions> staffing,
    IOptions<MetricsOptions> metrics,
    RotaSource rota,
    TimeProvider time)
{
    /// <summary>The queue name of the total rows.</summary>
    public const string Total = "*";

    private readonly StaffingPolicy _policy = staffing.Value.ToPolicy();

    public DateTimeZone Zone { get; } = DateTimeZoneProviders.Tzdb[metrics.Value.TimeZone];

    public LocalDate Today => Instant.FromDateTimeOffset(time.GetUtcNow()).InZone(Zone).Date;

    /// <summary>
    /// The rows of <paramref name="day"/> by <paramref name="stepMinutes"/>, per queue and in total;
    /// the day under way is scaled by its calls so far. With <paramref name="fromMs"/>, only steps
    /// that end after it.
    /// </summary>
    public async Task<List<ForecastRow>> ForecastAsync(IReadOnlyCollection<string>? queues, LocalDate day, int stepMinutes, long? fromMs, CancellationToken cancellationToken)
    {
        var nowMs = time.GetUtcNow().ToUnixTimeMilliseconds();
        var points = new List<HistoryPoint>();
        foreach (var (from, to) in TrafficForecast.HistoryRanges(day, Zone, _policy))
        {
            points.AddRange(await store.QueryAsync(HistoryKind.Queues, queues, from, to, cancellationToken).ConfigureAwait(false));
        }

        var dayStart = Zone.AtStartOfDay(day).ToInstant().ToUnixTimeMilliseconds();
        var dayEnd = Zone.AtStartOfDay(day.PlusDays(1)).ToInstant().ToUnixTimeMilliseconds();
        var agents = dayStart < nowMs
            ? await store.QueryAsync(HistoryKind.Agents, null, dayStart, Math.Min(dayEnd, nowMs + HistoryPoint.IntervalMs), cancellationToken).ConfigureAwait(false)
            : [];
        var scale = nowMs >= dayStart && nowMs < dayEnd ? nowMs : (long?)null;
        var intervals = TrafficForecast.Forecast(points, day, Zone, stepMinutes, _policy, kpi, scale, queues)
            .Where(interval => fromMs is not { } from || interval.EndMs > from)
            .ToList();
        var schedule = rota.For(day.PlusDays(-1), 2);
        var rows = intervals.Select(i => new ForecastRow(
            i.Queue, Local(i.StartMs), Round(i.Offered), Round(i.UnscaledOffered), i.ActualOffered, Round(i.AhtSeconds), Round(i.PatienceSeconds), i.AgentsRequired, null, null)).ToList();
        foreach (var step in intervals.GroupBy(i => (i.StartMs, i.EndMs)).OrderBy(group => group.Key.StartMs))
        {
            var (start, end) = step.Key;
            var required = step.All(i => i.AgentsRequired is not null) ? step.Sum(i => i.AgentsRequired!.Value) : (int?)null;
            double? loggedIn = start < nowMs
                ? agents.Where(p => p.IntervalStartMs >= start && p.IntervalStartMs < end).Sum(p => Math.Max(0, p.AgentCounters.LoginMs - p.AgentCounters.PauseMs)) / (double)(end - start)
                : null;
            rows.Add(new ForecastRow(
                Total, Local(start), Round(step.Sum(i => i.Offered)), Round(step.Sum(i => i.UnscaledOffered)),
                step.All(i => i.ActualOffered is not null) ? step.Sum(i => i.ActualOffered!.Value) : null,
                null, null, required, Round(schedule.ScheduledAgents(start, end)), Round(loggedIn)));
        }

        return rows;
    }

    private DateTimeOffset Local(long ms) => Instant.FromUnixTimeMilliseconds(ms).InZone(Zone).ToDateTimeOffset();

    private static double Round(double value) => Math.Round(value, 3);

    private static double? Round(double? value) => value is { } v ? Math.Round(v, 3) : null;
}
