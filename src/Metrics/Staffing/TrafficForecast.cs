using NodaTime;
using Wallboard.Metrics.Counters;
using Wallboard.Metrics.History;

namespace Wallboard.Metrics.Staffing;

/// <summary>A queue's forecast for one step of a day, and what actually came where it is known.</summary>
/// <param name="Queue">The queue.</param>
/// <param name="StartMs">Start of the step, Unix ms.</param>
/// <param name="EndMs">End of the step, Unix ms.</param>
/// <param name="Offered">Calls forecast (as <c>offered</c> counts them), intraday scaling applied.</param>
/// <param name="UnscaledOffered">The same from history alone.</param>
/// <param name="AhtSeconds">Forecast AHT; null without handled calls in history.</param>
/// <param name="PatienceSeconds">Forecast patience; null with too few abandons in history.</param>
/// <param name="AgentsRequired">Agents the forecast needs; null when AHT is unknown.</param>
/// <param name="ActualOffered">Calls that came, for steps already begun (null for the future).</param>
public sealed record ForecastInterval(
    string Queue,
    long StartMs,
    long EndMs,
    double Offered,
    double UnscaledOffered,
    double? AhtSeconds,
    double? PatienceSeconds,
    int? AgentsRequired,
    double? ActualOffered);

/// <summary>
/// Forecasts a day per queue and step from history: the same weekday over the last N weeks,
/// weighted (each older week by <see cref="StaffingPolicy.ForecastDecay"/> of the one after it),
/// by local time of day; then, for the day under way, scaled by how its calls so far compare with
/// their forecast; then agents required per step (docs/staffing.md).
/// </summary>
/// <remarks>
/// A week in which a queue has no stored point at all that day is left out (the server was down,
/// or the queue did not exist), not averaged in as a day of no calls. Counts are averaged; AHT
/// and patience are ratios of the weighted sums, never averages of ratios.
/// </remarks>
public static class TrafficForecast
{
    private const long SlotMs = HistoryPoint.IntervalMs;

    /// <summary>The history needed: the points of the same weekday in each of the weeks before <paramref name="day"/>, and the day itself.</summary>
    public static IEnumerable<(long FromMs, long ToMs)> HistoryRanges(LocalDate day, DateTimeZone zone, StaffingPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(zone);
        ArgumentNullException.ThrowIfNull(policy);
        for (var week = 0; week <= policy.ForecastWeeks; week++)
        {
            var date = day.PlusDays(-7 * week);
            yield return (Start(zone, date), Start(zone, date.PlusDays(1)));
        }
    }

    /// <summary>
    /// The forecast of <paramref name="day"/> in steps of <paramref name="stepMinutes"/> minutes (a multiple of 15).
    /// </summary>
    /// <param name="points">Queue points of <see cref="HistoryRanges"/> (other points are ignored).</param>
    /// <param name="day">The local day forecast.</param>
    /// <param name="zone">The centre's zone.</param>
    /// <param name="stepMinutes">15, 30, 60 …</param>
    /// <param name="policy">Weeks, decay, targets, model.</param>
    /// <param name="kpi">Service-level thresholds per queue.</param>
    /// <param name="nowMs">Now: the day's points before the current 15 minutes scale the rest of it; null for no scaling.</param>
    /// <param name="queues">The queues wanted; null for every queue in the history.</param>
    public static List<ForecastInterval> Forecast(
        IEnumerable<HistoryPoint> points, LocalDate day, DateTimeZone zone, int stepMinutes, StaffingPolicy policy, KpiOptions kpi, long? nowMs, IReadOnlyCollection<string>? queues = null)
    {
        ArgumentNullException.ThrowIfNull(points);
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(kpi);
        if (stepMinutes < 15 || stepMinutes % 15 != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(stepMinutes), stepMinutes, "a step is a whole multiple of 15 minutes");
        }

        var dayStart = Start(zone, day);
        var dayEnd = Start(zone, day.PlusDays(1));
        var weeks = new (long Start, long End, double Weight)[policy.ForecastWeeks];
        for (var w = 0; w < weeks.Length; w++)
        {
            var date = day.PlusDays(-7 * (w + 1));
            weeks[w] = (Start(zone, date), Start(zone, date.PlusDays(1)), Math.Pow(policy.ForecastDecay, w));
        }

        // Per queue: the day's slots by local minute of day, from each week and from the day itself.
        var history = new Dictionary<string, Dictionary<int, QueueCounters>[]>(StringComparer.Ordinal);
        var actual = new Dictionary<string, Dictionary<int, QueueCounters>>(StringComparer.Ordinal);
        foreach (var point in points)
        {
            if (point.Kind != HistoryKind.Queues || (queues is { Count: > 0 } && !queues.Contains(point.Id)))
            {
                continue;
            }

            var minute = MinuteOfDay(zone, point.IntervalStartMs);
            if (point.IntervalStartMs >= dayStart && point.IntervalStartMs < dayEnd)
            {
                Add(Slots(actual, point.Id), minute, point.QueueCounters);
                continue;
            }

            for (var w = 0; w < weeks.Length; w++)
            {
                if (point.IntervalStartMs >= weeks[w].Start && point.IntervalStartMs < weeks[w].End)
                {
                    if (!history.TryGetValue(point.Id, out var byWeek))
                    {
                        history[point.Id] = byWeek = new Dictionary<int, QueueCounters>[weeks.Length];
                    }

                    Add(byWeek[w] ??= [], minute, point.QueueCounters);
                }
            }
        }

        var result = new List<ForecastInterval>();
        var names = queues is { Count: > 0 } ? queues.Order(StringComparer.Ordinal) : history.Keys.Union(actual.Keys).Order(StringComparer.Ordinal);
        foreach (var queue in names)
        {
            history.TryGetValue(queue, out var byWeek);
            actual.TryGetValue(queue, out var today);
            result.AddRange(ForecastQueue(queue, byWeek, weeks, today, zone, day, dayStart, dayEnd, stepMinutes, policy, kpi, nowMs));
        }

        return result;
    }

    private static List<ForecastInterval> ForecastQueue(
        string queue, Dictionary<int, QueueCounters>[]? byWeek, (long Start, long End, double Weight)[] weeks, Dictionary<int, QueueCounters>? today,
        DateTimeZone zone, LocalDate day, long dayStart, long dayEnd, int stepMinutes, StaffingPolicy policy, KpiOptions kpi, long? nowMs)
    {
        // The 15-minute slots of the day in local time; a DST day has 92 or 100 of them.
        var slots = new List<(long StartMs, int Minute)>();
        for (var t = dayStart; t < dayEnd; t += SlotMs)
        {
            slots.Add((t, MinuteOfDay(zone, t)));
        }

        var weightSum = 0.0;
        for (var w = 0; w < weeks.Length; w++)
        {
            weightSum += byWeek?[w] is not null ? weeks[w].Weight : 0;
        }

        var forecast = new (double Offered, double Short, double HandleMs, double Handled, double WaitMs, double Abandons)[slots.Count];
        for (var i = 0; i < slots.Count; i++)
        {
            for (var w = 0; w < weeks.Length; w++)
            {
                if (byWeek?[w] is { } week && week.TryGetValue(slots[i].Minute, out var c))
                {
                    var weight = weeks[w].Weight / weightSum;
                    forecast[i].Offered += weight * c.Offered;
                    forecast[i].Short += weight * c.ShortAbandoned;
                    forecast[i].HandleMs += weight * (c.TalkMs + c.HoldMs + c.WrapUpMs);
                    forecast[i].Handled += weight * c.Handled;
                    forecast[i].WaitMs += weight * (c.AnsweredWaitMs + c.AbandonWaitMs);
                    forecast[i].Abandons += weight * (c.Abandoned - c.ShortAbandoned);
                }
            }
        }

        // Intraday: the day's calls in the slots already over, against their forecast.
        var factor = 1.0;
        var passedUntil = nowMs is { } now ? Math.Min(dayEnd, dayStart + ((now - dayStart) / SlotMs * SlotMs)) : dayStart;
        if (nowMs is not null && passedUntil > dayStart)
        {
            double came = 0, expected = 0;
            for (var i = 0; i < slots.Count && slots[i].StartMs < passedUntil; i++)
            {
                came += today is not null && today.TryGetValue(slots[i].Minute, out var c) ? c.Offered : 0;
                expected += forecast[i].Offered;
            }

            var prior = policy.IntradayPriorCalls;
            factor = expected + prior > 0 ? Math.Clamp((came + prior) / (expected + prior), 0.25, 4) : 1;
        }

        var result = new List<ForecastInterval>();
        var threshold = kpi.TargetsFor(queue).SlThresholdSeconds;
        var target = policy.TargetFor(queue);
        for (var first = 0; first < slots.Count;)
        {
            // A step ends at the next local multiple of its length (on a DST day, by local clock).
            var stepIndex = slots[first].Minute / stepMinutes;
            var last = first;
            while (last + 1 < slots.Count && slots[last + 1].Minute / stepMinutes == stepIndex && slots[last + 1].Minute > slots[first].Minute)
            {
                last++;
            }

            double offered = 0, scaled = 0, shortAbandons = 0, handleMs = 0, handled = 0, waitMs = 0, abandons = 0, came = 0;
            var begun = false;
            for (var i = first; i <= last; i++)
            {
                var f = forecast[i];
                var scale = slots[i].StartMs >= passedUntil ? factor : 1;
                offered += f.Offered;
                scaled += f.Offered * scale;
                shortAbandons += f.Short * scale;
                handleMs += f.HandleMs;
                handled += f.Handled;
                waitMs += f.WaitMs;
                abandons += f.Abandons;
                if (nowMs is { } n && slots[i].StartMs <= n)
                {
                    begun = true;
                    came += today is not null && today.TryGetValue(slots[i].Minute, out var c) ? c.Offered : 0;
                }
            }

            var startMs = slots[first].StartMs;
            var endMs = last + 1 < slots.Count ? slots[last + 1].StartMs : dayEnd;
            double? aht = handled > 0 ? handleMs / 1000 / handled : null;
            double? patience = abandons >= 1 && waitMs > 0 ? Math.Min(QueueTraffic.MaxPatienceSeconds, waitMs / 1000 / abandons) : null;
            int? required = scaled <= 0 ? 0 : null;
            if (aht is { } a && scaled > 0)
            {
                var model = policy.Model == StaffingModel.ErlangA && patience is not null ? StaffingModel.ErlangA : StaffingModel.ErlangC;
                var perHour = Math.Max(0, scaled - shortAbandons) * 3_600_000.0 / (endMs - startMs);
                try
                {
                    required = StaffingCalculator.AgentsRequired(model, new QueueTraffic(perHour, a, patience, threshold), target, policy.MaxOccupancy).Agents;
                }
                catch (StaffingOutOfRangeException)
                {
                    required = null;
                }
            }

            result.Add(new ForecastInterval(queue, startMs, endMs, scaled, offered, aht, patience, required, begun ? came : null));
            first = last + 1;
        }

        return result;
    }

    private static Dictionary<int, QueueCounters> Slots(Dictionary<string, Dictionary<int, QueueCounters>> byQueue, string queue)
    {
        if (!byQueue.TryGetValue(queue, out var slots))
        {
            byQueue[queue] = slots = [];
        }

        return slots;
    }

    private static void Add(Dictionary<int, QueueCounters> slots, int minute, in QueueCounters counters)
    {
        slots.TryGetValue(minute, out var sum);
        sum.Add(counters);
        slots[minute] = sum;
    }

    private static int MinuteOfDay(DateTimeZone zone, long ms)
    {
        var local = Instant.FromUnixTimeMilliseconds(ms).InZone(zone).TimeOfDay;
        return (local.Hour * 60) + local.Minute;
    }

    private static long Start(DateTimeZone zone, LocalDate date) => zone.AtStartOfDay(date).ToInstant().ToUnixTimeMilliseconds();
}
