using System.Globalization;
using Wallboard.Metrics.Targets;

namespace Wallboard.Reports;

/// <summary>One headline KPI as the report email shows it, formatted in the report's language.</summary>
/// <param name="Name">The KPI ("Abandon rate", "放弃率").</param>
/// <param name="Current">This period's value.</param>
/// <param name="Previous">The previous period's value.</param>
public sealed record HeadlineRow(string Name, string Current, string Previous)
{
    /// <summary>The value of the same weekday a week before (daily reports); null otherwise.</summary>
    public string? WeekAgo { get; init; }

    /// <summary>The target and where the value stands: "5.0% · above target (worse)"; null without a target.</summary>
    public string? Target { get; init; }

    /// <summary>True when the target is met, false when missed, null without a target or a value.</summary>
    public bool? TargetMet { get; init; }

    /// <summary>The headline's KPIs, with the directions of <see cref="KpiDirections"/> deciding "above target (worse)" or "(better)".</summary>
    internal static List<HeadlineRow> For(ReportHeadline headline, ReportText text)
    {
        var culture = CultureInfo.GetCultureInfo(text.CultureName);
        var weekAgo = headline.WeekAgoPeriod is not null;
        return
        [
            Row(text.Offered, headline.Offered, ReportFormat.Count, null),
            Row(text.Answered, headline.Answered, ReportFormat.Count, null),
            Row(text.ServiceLevel, headline.ServiceLevel, ReportFormat.Percent, KpiTarget.For("service_level", headline.ServiceLevelTarget)),
            Row(text.RingRateLabel(headline.Rings), headline.RingRate, ReportFormat.Percent, KpiTarget.For("ring_rate", headline.RingRateTarget)),
            Row(text.Asa, headline.AsaSeconds, ReportFormat.Duration, KpiTarget.For("asa_seconds", headline.AsaTargetSeconds)),
            Row(text.Aht, headline.AhtSeconds, ReportFormat.Duration, null),
            Row(text.AbandonRate, headline.AbandonRate, ReportFormat.Percent, KpiTarget.For("abandon_rate", headline.AbandonRateTarget)),
            Row(text.ConversionRate, headline.ConversionRate, ReportFormat.Percent, null),
        ];

        HeadlineRow Row(string name, KpiComparison figure, Func<double?, string> format, KpiTarget? target)
        {
            var standing = target?.Judge(figure.Current) ?? TargetStanding.None;
            return new HeadlineRow(name, format(figure.Current), format(figure.Previous))
            {
                WeekAgo = weekAgo ? format(figure.WeekAgo) : null,
                Target = target is null ? null : $"{format(target.Value)} · {(standing == TargetStanding.None ? ReportFormat.Missing : text.Standing(standing))}",
                TargetMet = standing == TargetStanding.None ? null : !target!.Misses(figure.Current),
            };
        }
    }
}
