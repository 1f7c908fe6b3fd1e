using System.Globalization;
using Wallboard.Metrics.Targets;

namespace Wallboard.Reports;

/// <summary>
/// The one sentence at the top of page 1 (and of the email) that says how the period went: calls
/// and the change against the period compared with, service level and abandon rate against their
/// targets, and the hour that cost most. Built from the same figures as the rest of the report.
/// </summary>
internal static class ReportSummary
{
    public static string Sentence(ReportData data, ReportOptions options, ReportText text)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(text);
        if (!data.HasData)
        {
            return NoData(data, text);
        }

        var culture = CultureInfo.GetCultureInfo(text.CultureName);
        var headline = data.Headline;
        var parts = new List<string>();
        if (data.QueueTotal is null)
        {
            parts.Add(text.SummaryNoCalls);
        }
        else
        {
            parts.Add(string.Format(culture, text.SummaryVolume, ReportFormat.Count(headline.Offered.Current), Versus(data, text, culture), ReportFormat.Count(headline.Answered.Current)));
            parts.Add(AgainstTarget(text.SummaryServiceLevel, headline.ServiceLevel.Current, KpiTarget.For("service_level", options.ServiceLevelTarget), text, culture));
            parts.Add(MissedHours(data, options, text, culture));
            parts.Add(options.AbandonRateTarget is { } abandonTarget
                ? AgainstTarget(text.SummaryAbandonRate, headline.AbandonRate.Current, KpiTarget.For("abandon_rate", abandonTarget), text, culture)
                : string.Format(culture, text.SummaryAbandonRateAlone, ReportFormat.Percent(headline.AbandonRate.Current)));
        }

        return string.Format(culture, text.SummarySentence, PeriodName(data.Period, text), string.Join(text.SummaryJoin, parts));
    }

    /// <summary>What a period without any stored figure says, in the report's language.</summary>
    public static string NoData(ReportData data, ReportText text) =>
        string.Format(CultureInfo.GetCultureInfo(text.CultureName), text.NoDataForPeriod, PeriodText(data.Period, text), data.Period.TimeZone);

    /// <summary>The hours below the service-level target, the costliest first: most calls not answered within the threshold, then the lowest service level.</summary>
    public static List<HourRow> MissedHours(ReportData data, ReportOptions options)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(options);
        var target = KpiTarget.For("service_level", options.ServiceLevelTarget);
        return [.. data.ByHour
            .Where(hour => target.Misses(hour.Row.ServiceLevel))
            .OrderByDescending(hour => hour.NotInTime)
            .ThenBy(hour => hour.Row.ServiceLevel)
            .ThenBy(hour => hour.Row.IntervalStart)];
    }

    /// <summary>A local day in full, or the first and last day of a longer period.</summary>
    public static string PeriodText(ReportRange range, ReportText text)
    {
        var culture = CultureInfo.GetCultureInfo(text.CultureName);
        return range.Days == 1
            ? range.FirstDay.ToString(text.DayFormat, culture)
            : $"{range.FirstDay.ToString(text.DayFormat, culture)} – {range.LastDay.ToString(text.DayFormat, culture)}";
    }

    /// <summary>The period as a title names it: a day, an ISO week, a month.</summary>
    public static string PeriodName(ReportRange period, ReportText text)
    {
        var culture = CultureInfo.GetCultureInfo(text.CultureName);
        var first = period.FirstDay.ToDateTime(TimeOnly.MinValue);
        return period.Period switch
        {
            ReportPeriod.Weekly => string.Format(culture, text.WeekLabel, ISOWeek.GetYear(first), ISOWeek.GetWeekOfYear(first)),
            ReportPeriod.Monthly => period.FirstDay.ToString(text.MonthFormat, culture),
            _ => period.FirstDay.ToString(text.DayFormat, culture),
        };
    }

    /// <summary>
    /// " (−0.7% vs last Wed)": a day against the same weekday a week before when it has one, else
    /// against the period before; empty with neither, or when that period's data is partial (the
    /// banner above says so, and a change against half a period is not worth a place in the sentence).
    /// </summary>
    private static string Versus(ReportData data, ReportText text, CultureInfo culture)
    {
        var headline = data.Headline;
        bool Partial(ReportRange period) => data.PartialComparisons.Any(partial => partial.Period == period);
        if (headline.WeekAgoPeriod is { } weekAgo && !Partial(weekAgo) && ReportFormat.CountChange(headline.Offered.AgainstWeekAgo) is { } weekChange)
        {
            return string.Format(culture, text.Parenthesis, string.Format(culture, text.VersusWeekAgo, weekChange, weekAgo.FirstDay.ToString("ddd", culture)));
        }

        return !Partial(headline.PreviousPeriod) && ReportFormat.CountChange(headline.Offered) is { } change
            ? string.Format(culture, text.Parenthesis, string.Format(culture, text.VersusPrevious, change))
            : string.Empty;
    }

    private static string AgainstTarget(string format, double? value, KpiTarget target, ReportText text, CultureInfo culture)
    {
        var standing = target.Judge(value);
        return string.Format(culture, format, ReportFormat.Percent(value), ReportFormat.Percent(target.Value), standing == TargetStanding.None ? ReportFormat.Missing : text.Standing(standing));
    }

    private static string MissedHours(ReportData data, ReportOptions options, ReportText text, CultureInfo culture)
    {
        var missed = MissedHours(data, options);
        if (missed.Count == 0)
        {
            return text.SummaryNoMissedHours;
        }

        var worst = missed[0];
        return string.Format(
            culture,
            text.SummaryMissedHours,
            missed.Count,
            data.ByHour.Count,
            HourLabel(worst.Row.IntervalStart!.Value, data.Period.Period == ReportPeriod.Daily, text),
            ReportFormat.Count(worst.Row.Offered),
            ReportFormat.Count(worst.NotInTime),
            options.Kpi.DefaultQueue.SlThresholdSeconds);
    }

    /// <summary>"09:00-10:00", with the day in front for a week or a month.</summary>
    public static string HourLabel(DateTimeOffset start, bool daily, ReportText text)
    {
        var end = start.AddHours(1);
        // A hyphen, not an en dash: Noto draws the en dash with the figure dash's glyph, so copied text would change.
        var hours = $"{start.ToString("HH:mm", CultureInfo.InvariantCulture)}-{end.ToString("HH:mm", CultureInfo.InvariantCulture)}";
        return daily ? hours : $"{start.ToString(text.ShortDayFormat, CultureInfo.GetCultureInfo(text.CultureName))} {hours}";
    }
}
