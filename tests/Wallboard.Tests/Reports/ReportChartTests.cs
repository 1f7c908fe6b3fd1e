using System.Globalization;
using ScottPlot;
using SkiaSharp;
using Wallboard.Metrics;
using Wallboard.Metrics.Counters;
using Wallboard.Metrics.Rows;
using Wallboard.Reports;
using Wallboard.Reports.Layout;

namespace Wallboard.Tests.Reports;

/// <summary>
/// The charts as a reader sees them, measured on the page rendered by pdftoppm at 288 dpi (4 pixels
/// to the point): each y label centred on its grid line, day labels apart, no line drawn through
/// hours without calls.
/// </summary>
public sealed class ReportChartTests
{
    private static readonly ReportFonts Fonts = ReportFonts.Load(new ReportOptions());

    /// <summary>A step whose service level is <paramref name="inTime"/> of <paramref name="offered"/> and whose calls were all answered.</summary>
    private static ChartStep Step(string label, long offered, long inTime) => new(
        label,
        QueueKpiRow.From("q", null, new QueueCounters { Offered = offered, Answered = offered, AnsweredWithinSl = inTime, Handled = offered, TalkMs = offered * 180_000 }, ServiceLevelFormula.Offered));

    private static byte[] OneChart(ChartSpec chart) => PageLayout.RenderPdf(
        [new FixedBlock(200, (canvas, box) => ReportCharts.Draw(canvas, box, chart, new TextStyle(Fonts.Bold, 9.5f, SKColors.Black), new TextStyle(Fonts.Regular, 7.5f, SKColors.Black), Fonts.ChartFontName))],
        new PageSetup(),
        (_, _) => { },
        new SKDocumentPdfMetadata());

    /// <summary>
    /// ScottPlot placed its own labels by Noto CJK's line metrics, about 5 pt above their grid lines (the 80 %
    /// target read as 77 %). Every y label's ink must now be centred on its line within half a point.
    /// </summary>
    [Fact]
    public async Task EveryYLabelIsCentredOnItsGridLine()
    {
        var steps = Enumerable.Range(0, 24).Select(hour => Step(hour.ToString("00", CultureInfo.InvariantCulture), 100, 40 + (hour * 2))).ToList();
        var image = await PageImage.RenderAsync(OneChart(ReportCharts.ServiceLevel(steps, 0.8, "Service level by hour", ReportText.English)), "chart-y-labels");

        var (frameLeft, frameTop, frameBottom) = Frame(image);
        var gridLines = GridLines(image, frameLeft, frameTop, frameBottom);
        // Labels end 6 pt left of the frame; the tick marks (4 pt) are between them and it.
        var labels = InkRuns(image, 0, frameLeft - (int)(5 * image.PixelsPerPoint), frameTop - 10, frameBottom + 10);

        // 0, 20, 40, 60, 80, 100.
        Assert.Equal(6, labels.Count);
        foreach (var label in labels)
        {
            var nearest = gridLines.MinBy(line => Math.Abs(line - label));
            Assert.True(Math.Abs(nearest - label) <= 0.5 * image.PixelsPerPoint, $"a label centred at {label / image.PixelsPerPoint:0.0} pt has its nearest grid line at {nearest / image.PixelsPerPoint:0.0} pt");
        }
    }

    /// <summary>A month of days labelled the long Chinese way (12月31日): labels are thinned until none runs into the next.</summary>
    [Fact]
    public async Task DayLabelsOfAMonthDoNotRunTogetherInChinese()
    {
        var culture = CultureInfo.GetCultureInfo("zh-CN");
        var steps = Enumerable.Range(1, 31).Select(day => Step(new DateOnly(2026, 12, day).ToString("M月d日", culture), 100, 80)).ToList();
        var image = await PageImage.RenderAsync(OneChart(ReportCharts.Volume(steps, "每日话务量", ReportText.SimplifiedChinese)), "chart-day-labels-zh-CN");

        var (frameLeft, _, frameBottom) = Frame(image);
        // The label band: below the tick marks, one line of 7.5 pt text.
        var top = frameBottom + (int)(4.5 * image.PixelsPerPoint);
        var bottom = frameBottom + (int)(14 * image.PixelsPerPoint);
        var clusters = InkColumns(image, frameLeft - 40, image.Width, top, bottom, gap: (int)(3 * image.PixelsPerPoint));

        using var font = new TextStyle(Fonts.Regular, 7.5f, SKColors.Black).CreateFont();
        var widest = steps.Max(step => font.MeasureText(step.Label)) * image.PixelsPerPoint;
        Assert.True(clusters.Count >= 8, $"only {clusters.Count} day labels");
        Assert.All(clusters, cluster => Assert.True(cluster.Width <= widest + 4, $"labels run together: {cluster.Width / image.PixelsPerPoint:0.0} pt of ink for labels of at most {widest / image.PixelsPerPoint:0.0} pt"));
    }

    /// <summary>Calls at 08–11 and 14–17 only: the answered line is two pieces over those hours, with no point at 0 in between.</summary>
    [Fact]
    public void HoursWithoutCallsAreGapsNotZeros()
    {
        var steps = Enumerable.Range(0, 24).Select(hour => hour is >= 8 and <= 11 or >= 14 and <= 17
            ? Step(hour.ToString("00", CultureInfo.InvariantCulture), 50, 40)
            : Step(hour.ToString("00", CultureInfo.InvariantCulture), 0, 0)).ToList();
        using var plot = new Plot();
        ReportCharts.Volume(steps, "Calls by hour", ReportText.English).Build(plot);

        var lines = plot.GetPlottables().OfType<ScottPlot.Plottables.Scatter>().Select(line => line.Data.GetScatterPoints().ToList()).ToList();

        // Answered (two pieces) and abandoned (two pieces).
        Assert.Equal(4, lines.Count);
        Assert.Equal([8.0, 9, 10, 11], lines[0].Select(point => point.X));
        Assert.Equal([14.0, 15, 16, 17], lines[1].Select(point => point.X));
        Assert.All(lines[0].Concat(lines[1]), point => Assert.Equal(50, point.Y));
    }

    /// <summary>The chart's frame: the long dark vertical line at its left (the y axis), and the top and bottom of that line.</summary>
    private static (int Left, int Top, int Bottom) Frame(PageImage image)
    {
        for (var x = 0; x < image.Width; x++)
        {
            var (top, length) = LongestDarkRun(image, x);
            if (length > 100 * image.PixelsPerPoint / 4)
            {
                return (x, top, top + length - 1);
            }
        }

        throw new InvalidOperationException("no chart frame on the page");
    }

    private static (int Top, int Length) LongestDarkRun(PageImage image, int x)
    {
        int best = 0, bestTop = 0, run = 0;
        for (var y = 0; y < image.Height; y++)
        {
            run = image[x, y] < 100 ? run + 1 : 0;
            if (run > best)
            {
                best = run;
                bestTop = y - run + 1;
            }
        }

        return (bestTop, best);
    }

    /// <summary>The rows, inside the frame, where a horizontal line crosses most of the plot; adjacent rows (anti-aliasing) count as one line at their middle.</summary>
    private static List<double> GridLines(PageImage image, int left, int top, int bottom)
    {
        var from = left + 8;
        var to = Math.Min(image.Width - 1, left + (int)(300 * image.PixelsPerPoint));
        var rows = Enumerable.Range(top, bottom - top + 1)
            .Where(y => Enumerable.Range(from, to - from).Count(x => image[x, y] < 248) > 0.6 * (to - from))
            .ToList();
        return Groups(rows);
    }

    /// <summary>The vertical middle of each run of rows with ink between columns [<paramref name="left"/>, <paramref name="right"/>).</summary>
    private static List<double> InkRuns(PageImage image, int left, int right, int top, int bottom)
    {
        var rows = Enumerable.Range(Math.Max(0, top), Math.Min(image.Height, bottom) - Math.Max(0, top))
            .Where(y => Enumerable.Range(left, right - left).Any(x => image[x, y] < 128))
            .ToList();
        return Groups(rows);
    }

    /// <summary>Runs of columns with ink between rows [<paramref name="top"/>, <paramref name="bottom"/>), split where <paramref name="gap"/> blank columns separate them.</summary>
    private static List<(int Left, int Width)> InkColumns(PageImage image, int left, int right, int top, int bottom, int gap)
    {
        var inked = Enumerable.Range(Math.Max(0, left), Math.Min(image.Width, right) - Math.Max(0, left))
            .Where(x => Enumerable.Range(top, bottom - top).Any(y => image[x, y] < 128))
            .ToList();
        var clusters = new List<(int Left, int Width)>();
        foreach (var x in inked)
        {
            if (clusters.Count > 0 && x - (clusters[^1].Left + clusters[^1].Width) < gap)
            {
                clusters[^1] = (clusters[^1].Left, x - clusters[^1].Left + 1);
            }
            else
            {
                clusters.Add((x, 1));
            }
        }

        return clusters;
    }

    private static List<double> Groups(List<int> rows)
    {
        var groups = new List<List<int>>();
        foreach (var row in rows)
        {
            if (groups.Count > 0 && row - groups[^1][^1] <= 1)
            {
                groups[^1].Add(row);
            }
            else
            {
                groups.Add([row]);
            }
        }

        return [.. groups.Select(group => (group[0] + group[^1]) / 2.0)];
    }
}
