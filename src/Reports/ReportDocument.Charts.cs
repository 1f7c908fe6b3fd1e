using System.Globalization;
using SkiaSharp;
using Wallboard.Metrics.Calendar;
using Wallboard.Metrics.Counters;
using Wallboard.Metrics.Rows;
using Wallboard.Metrics.Targets;
using Wallboard.Reports.Layout;

namespace Wallboard.Reports;

/// <summary>The charts, the wait distribution and the heat maps.</summary>
internal sealed partial class ReportDocument
{
    private const float ChartHeight = 170;

    /// <summary>Page 1's two charts are a little lower, so that they share the page with the summary and the key figures.</summary>
    private const float FirstPageChartHeight = 148;
    private const float HeatMapHeight = 150;

    private static readonly SKColor HeatLow = SKColor.Parse("#EAF0F8");
    private static readonly SKColor HeatHigh = SKColor.Parse("#1F3A63");
    private static readonly SKColor MetLight = SKColor.Parse("#D5F0DD");
    private static readonly SKColor MetStrong = SKColor.Parse("#7BC896");
    private static readonly SKColor MissedLight = SKColor.Parse("#F9D9D5");
    private static readonly SKColor MissedStrong = SKColor.Parse("#D9534F");

    private bool Daily => _data.Period.Period == ReportPeriod.Daily;

    /// <summary>Calls and service level by hour (a day) or by day (a week, a month): the two charts of page 1.</summary>
    private IEnumerable<Block> FirstPageCharts()
    {
        var target = _content.Options.ServiceLevelTarget;
        var steps = ChartSteps();
        yield return Chart(ReportCharts.Volume(steps, Daily ? _text.VolumeByHour : _text.VolumeByDay, _text), FirstPageChartHeight);
        yield return Chart(ReportCharts.ServiceLevel(steps, target, Daily ? _text.ServiceLevelByHour : _text.ServiceLevelByDay, _text), FirstPageChartHeight);
    }

    /// <summary>A day's forecast against the calls offered; a week's or a month's heat maps; AHT.</summary>
    private IEnumerable<Block> MoreCharts()
    {
        var steps = ChartSteps();
        if (Daily && _data.ForecastByHour.Count > 0)
        {
            var forecast = steps.Select(step => step.Row.IntervalStart is { } start && _data.ForecastByHour.TryGetValue(start.ToUnixTimeMilliseconds(), out var f) ? f : (double?)null).ToList();
            yield return Chart(ReportCharts.ForecastVsActual(steps, forecast, _text.ForecastVsActual, _text));
        }

        if (!Daily && _data.QueueTotal is not null)
        {
            yield return HeatMap(CallsHeatMap());
            yield return HeatMap(ServiceLevelHeatMap());
        }

        yield return Chart(ReportCharts.Aht(steps, Daily ? _text.AhtByHour : _text.AhtByDay, _text));
    }

    private FixedBlock Chart(ChartSpec chart, float height = ChartHeight) =>
        new(height, (canvas, box) => ReportCharts.Draw(canvas, box, chart, _chartTitle, _small.With(size: 7.5f), _content.Fonts.ChartFontName)) { SpaceAfter = 12 };

    private FixedBlock HeatMap(HeatMapSpec map) =>
        new(HeatMapHeight, (canvas, box) => ReportCharts.DrawHeatMap(canvas, box, map, _chartTitle, _small.With(size: 7), _small.With(size: 6, color: Ink))) { SpaceAfter = 12 };

    /// <summary>Every hour of a day, or every day of a week or month, with an empty row where no calls were stored.</summary>
    private List<ChartStep> ChartSteps()
    {
        var period = _data.Period;
        var step = Daily ? IntervalLength.Hour : IntervalLength.Day;
        var format = Daily ? "HH" : period.Period == ReportPeriod.Weekly ? _text.WeekAxisFormat : _text.MonthAxisFormat;
        var culture = Daily ? CultureInfo.InvariantCulture : _culture;
        var byStart = _data.ByStep.Where(row => row.IntervalStart is not null).ToDictionary(row => row.IntervalStart!.Value.ToUnixTimeMilliseconds());
        var calendar = new IntervalCalendar(_zone, step);
        var steps = new List<ChartStep>();
        for (var start = period.StartMs; start < period.EndMs; start = calendar.EndOf(start))
        {
            var local = calendar.ToLocal(start)!.Value;
            var row = byStart.TryGetValue(start, out var found) ? found : QueueKpiRow.From(ReportData.AllQueues, local, default(QueueCounters), _content.Options.Kpi.DefaultQueue.SlFormula);
            steps.Add(new ChartStep(local.ToString(format, culture), row));
        }

        return steps;
    }

    /// <summary>How long callers waited: answered calls and non-short abandons by wait band, as shares and counts.</summary>
    private IEnumerable<Block> Waits()
    {
        var waits = _data.Waits;
        if (waits.Total == 0)
        {
            yield break;
        }

        yield return Heading(_text.WaitDistributionTable);
        var answered = waits.Answered.Sum();
        var abandoned = waits.Abandoned.Sum();
        var bands = BandLabels();
        yield return Chart(ReportCharts.WaitBands(
            bands,
            [.. waits.Answered.Select(count => Share(count, answered) * 100)],
            [.. waits.Abandoned.Select(count => Share(count, abandoned) * 100)],
            _text.WaitDistributionChart,
            _text));

        var columns = new TableColumn[]
        {
            new(_text.Wait, 1.3f),
            new(_text.Answered, 1, TextAlignment.Right),
            new(_text.Share, 1, TextAlignment.Right),
            new(_text.Cumulative, 1, TextAlignment.Right),
            new(_text.AbandonedNotShort, 1.4f, TextAlignment.Right),
            new(_text.Share, 1, TextAlignment.Right),
            new(_text.Cumulative, 1, TextAlignment.Right),
        };
        long answeredSoFar = 0, abandonedSoFar = 0;
        var cells = new List<IReadOnlyList<string>>();
        for (var band = 0; band < bands.Count; band++)
        {
            answeredSoFar += waits.Answered[band];
            abandonedSoFar += waits.Abandoned[band];
            cells.Add(
            [
                bands[band], ReportFormat.Count(waits.Answered[band]), ReportFormat.Percent(Share(waits.Answered[band], answered)), ReportFormat.Percent(Share(answeredSoFar, answered)),
                ReportFormat.Count(waits.Abandoned[band]), ReportFormat.Percent(Share(waits.Abandoned[band], abandoned)), ReportFormat.Percent(Share(abandonedSoFar, abandoned)),
            ]);
        }

        cells.Add([_text.TotalRow, ReportFormat.Count(answered), ReportFormat.Percent(Share(answered, answered)), string.Empty, ReportFormat.Count(abandoned), ReportFormat.Percent(Share(abandoned, abandoned)), string.Empty]);
        var totalRow = cells.Count - 1;
        yield return new TableBlock(columns, cells, _table) { SpaceAfter = waits.Covered < waits.Total ? 4 : 14, IsTotal = row => row == totalRow };
        if (waits.Covered < waits.Total)
        {
            yield return new TextBlock(string.Format(_culture, _text.WaitCoverage, ReportFormat.Count(waits.Covered), ReportFormat.Count(waits.Total)), _note) { SpaceAfter = 14 };
        }

        static double? Share(long part, long whole) => whole == 0 ? null : (double)part / whole;
    }

    /// <summary>"≤10 s", "10–20 s", "30–60 s", "1–2 min", "2–5 min", "&gt;5 min" from the stored band edges.</summary>
    private List<string> BandLabels()
    {
        var edges = WaitBands.EdgesSeconds;
        string Seconds(int seconds) => seconds.ToString(CultureInfo.InvariantCulture);
        string Minutes(int seconds) => (seconds / 60).ToString(CultureInfo.InvariantCulture);
        string Amount(int seconds) => seconds < 60 ? Seconds(seconds) + _text.SecondsUnit : Minutes(seconds) + _text.MinutesUnit;
        var labels = new List<string> { "≤" + Amount(edges[0]) };
        for (var i = 1; i < edges.Count; i++)
        {
            var (from, to) = (edges[i - 1], edges[i]);
            labels.Add(to <= 60 ? $"{Seconds(from)}–{Seconds(to)}{_text.SecondsUnit}" : $"{Minutes(from)}–{Minutes(to)}{_text.MinutesUnit}");
        }

        labels.Add(">" + Amount(edges[^1]));
        return labels;
    }

    /// <summary>Calls offered per weekday and hour, on average over the days of that weekday with calls.</summary>
    private HeatMapSpec CallsHeatMap()
    {
        var averages = _data.WeekdayHours.Select((row, index) => _data.DaysPerWeekday[index / 24] is > 0 and var days && row.Offered > 0 ? row.Offered / (double)days : (double?)null).ToArray();
        var max = averages.Max() ?? 0;
        return new HeatMapSpec(
            _text.HeatMapCalls,
            [new(ReportFormat.Count(0), HeatLow, Bar: true), new(ReportFormat.Count(Math.Round(max)), HeatHigh, Bar: true)],
            Weekdays(),
            Hours(),
            (weekday, hour) => averages[(weekday * 24) + hour] is { } average
                ? new HeatCell(ReportFormat.Count(Math.Round(average)), ReportCharts.Blend(HeatLow, HeatHigh, max == 0 ? 0 : Math.Sqrt(average / max)))
                : null);
    }

    /// <summary>Service level per weekday and hour: green at or above the target, red below, deeper the further from it.</summary>
    private HeatMapSpec ServiceLevelHeatMap()
    {
        var target = KpiTarget.For("service_level", _content.Options.ServiceLevelTarget);
        return new HeatMapSpec(
            _text.HeatMapServiceLevel,
            [new(_text.Standing(TargetStanding.BelowWorse), MissedStrong, Bar: true), new(_text.TargetMetShort, MetStrong, Bar: true)],
            Weekdays(),
            Hours(),
            (weekday, hour) =>
            {
                var level = _data.WeekdayHours[(weekday * 24) + hour].ServiceLevel;
                if (level is not { } value)
                {
                    return null;
                }

                var fill = target.Misses(value)
                    ? ReportCharts.Blend(MissedLight, MissedStrong, (target.Value - value) / Math.Max(target.Value, 0.01) * 2)
                    : ReportCharts.Blend(MetLight, MetStrong, (value - target.Value) / Math.Max(1 - target.Value, 0.01));
                return new HeatCell((value * 100).ToString("0", CultureInfo.InvariantCulture), fill);
            });
    }

    /// <summary>Monday to Sunday in the report's language.</summary>
    private List<string> Weekdays() =>
        [.. Enumerable.Range(0, 7).Select(day => new DateOnly(2024, 1, 1).AddDays(day).ToString("ddd", _culture))];

    private static List<string> Hours() => [.. Enumerable.Range(0, 24).Select(hour => hour.ToString("00", CultureInfo.InvariantCulture))];
}
