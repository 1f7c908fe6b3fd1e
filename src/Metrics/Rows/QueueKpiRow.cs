using Wallboard.Metrics.Counters;

namespace Wallboard.Metrics.Rows;

/// <summary>One queue in one interval, with the names of docs/kpis.md (snake_case in JSON and CSV).</summary>
public sealed record QueueKpiRow
{
    public required string Queue { get; init; }

    /// <summary>The queue's display name from the directory (docs/directory.md); the id when it has none.</summary>
    public string QueueName { get; init; } = string.Empty;

    /// <summary>Local start of the interval with its offset; null for the total.</summary>
    public required DateTimeOffset? IntervalStart { get; init; }

    public long Offered { get; init; }
    public long Answered { get; init; }
    public long Abandoned { get; init; }
    public long ShortAbandoned { get; init; }
    public long TimedOut { get; init; }
    public long ExitedKey { get; init; }
    public long ExitedEmpty { get; init; }

    /// <summary>Callers the system withdrew from the queue (e.g. for a callback); part of offered.</summary>
    public long Withdrawn { get; init; }

    public long AnsweredWithinSl { get; init; }
    public double? ServiceLevel { get; init; }
    public long AnsweredWithinRings { get; init; }
    public double? RingRate { get; init; }
    public double? AsaSeconds { get; init; }
    public long Handled { get; init; }
    public double TalkSeconds { get; init; }
    public double? AhtSeconds { get; init; }
    public double? AbandonRate { get; init; }
    public double? AvgAbandonSeconds { get; init; }
    public double MaxWaitSeconds { get; init; }

    /// <summary>
    /// The service level's numerator and denominator under <paramref name="formula"/>: the calls
    /// that count as in time and the calls counted. Counted − within is the number of calls that
    /// missed the threshold, which is what a missed hour costs.
    /// </summary>
    public static (long Within, long Counted) ServiceLevelCounts(in QueueCounters c, ServiceLevelFormula formula)
    {
        var net = c.Offered - c.ShortAbandoned;
        return formula switch
        {
            ServiceLevelFormula.Answered => (c.AnsweredWithinSl, c.Answered),
            ServiceLevelFormula.AbandonsIgnored => (c.AnsweredWithinSl, net - c.AbandonedWithinSl),
            ServiceLevelFormula.AbandonsPositive => (c.AnsweredWithinSl + c.AbandonedWithinSl, net),
            _ => (c.AnsweredWithinSl, net),
        };
    }

    /// <remarks>The display name; the id when null.</remarks>
    public static QueueKpiRow From(string queue, DateTimeOffset? intervalStart, in QueueCounters c, ServiceLevelFormula formula, string? name = null)
    {
        var net = c.Offered - c.ShortAbandoned;
        var nonShortAbandons = c.Abandoned - c.ShortAbandoned;
        var sl = ServiceLevelCounts(c, formula);
        return new QueueKpiRow
        {
            Queue = queue,
            QueueName = name ?? queue,
            IntervalStart = intervalStart,
            Offered = c.Offered,
            Answered = c.Answered,
            Abandoned = c.Abandoned,
            ShortAbandoned = c.ShortAbandoned,
            TimedOut = c.TimedOut,
            ExitedKey = c.ExitedKey,
            ExitedEmpty = c.ExitedEmpty,
            Withdrawn = c.Withdrawn,
            AnsweredWithinSl = c.AnsweredWithinSl,
            ServiceLevel = KpiMath.Ratio(sl.Within, sl.Counted),
            AnsweredWithinRings = c.AnsweredWithinRings,
            RingRate = KpiMath.Ratio(c.AnsweredWithinRings, c.RingKnown),
            AsaSeconds = KpiMath.AverageSeconds(c.AnsweredWaitMs, c.Answered),
            Handled = c.Handled,
            TalkSeconds = KpiMath.Seconds(c.TalkMs),
            AhtSeconds = KpiMath.AverageSeconds(c.TalkMs + c.HoldMs + c.WrapUpMs, c.Handled),
            AbandonRate = KpiMath.Ratio(nonShortAbandons, net),
            AvgAbandonSeconds = KpiMath.AverageSeconds(c.AbandonWaitMs, nonShortAbandons),
            MaxWaitSeconds = KpiMath.Seconds(c.MaxWaitMs),
        };
    }
}
