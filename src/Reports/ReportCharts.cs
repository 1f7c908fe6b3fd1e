using System.Globalization;
using ScottPlot;
using SkiaSharp;
using Wallboard.Metrics.Rows;
using Wallboard.Reports.Layout;

namespace Wallboard.Reports;

/// <summary>One step of a chart's x axis: its label and the queues' figures in it.</summary>
internal sealed record ChartStep(string Label, QueueKpiRow Row);

/// <summary>A series as the legend shows it.</summary>
internal sealed record LegendEntry(string Label, SKColor Color, bool Dashed = false, bool Bar = false);

/// <summary>A chart: its title, legend and y-axis unit, set by the layout layer, and the plot ScottPlot draws.</summary>
/// <param name="Title">Drawn above the plot.</param>
/// <param name="Legend">Drawn at the right of the title.</param>
/// <param name="Labels">The x axis's labels, one per step (position 0, 1, …).</param>
/// <param name="Build">Adds the series and the y limits.</param>
internal sealed record ChartSpec(string Title, IReadOnlyList<LegendEntry> Legend, IReadOnlyList<string> Labels, Action<Plot> Build)
{
    /// <summary>The y axis's unit ("%", "seconds"), written above its labels; null for counts.</summary>
    public string? Unit { get; init; }

    /// <summary>A fixed distance between y labels (20 for a percentage, so that an 80 % target has its line); automatic when null.</summary>
    public double? YTickStep { get; init; }
}

/// <summary>A cell of a heat map: its text and fill; null for no calls.</summary>
internal sealed record HeatCell(string Text, SKColor Fill);

/// <summary>A grid of coloured cells (weekdays × hours) with a title and a legend.</summary>
internal sealed record HeatMapSpec(string Title, IReadOnlyList<LegendEntry> Legend, IReadOnlyList<string> RowLabels, IReadOnlyList<string> ColumnLabels, Func<int, int, HeatCell?> Cell);

/// <summary>
/// The report's charts, drawn by ScottPlot straight onto the PDF page canvas so they stay
/// vector. Titles, legends and axis labels are drawn by the layout layer in the report's font:
/// ScottPlot places a label from its own metrics, which with Noto CJK put every y label about
/// 5 pt above its grid line (the 80 % target read as 77 %), and it neither fits CJK legends nor
/// keeps day labels apart. Here each y label is centred on its grid line by the digits' own
/// bounds, and x labels are thinned until the widest fits its room.
/// </summary>
internal static class ReportCharts
{
    internal static readonly SKColor OfferedColor = SKColor.Parse("#B7CCE6");
    internal static readonly SKColor AnsweredColor = SKColor.Parse("#2B4C7E");
    internal static readonly SKColor AbandonedColor = SKColor.Parse("#C0392B");
    private static readonly SKColor TargetColor = SKColor.Parse("#27AE60");
    private static readonly SKColor GridColor = SKColor.Parse("#E5E8EC");

    /// <summary>Gap kept between two x labels, in points.</summary>
    private const float LabelGap = 6;

    public static ChartSpec Volume(IReadOnlyList<ChartStep> steps, string title, ReportText text) => new(
        title,
        [new(text.Offered, OfferedColor, Bar: true), new(text.Answered, AnsweredColor), new(text.Abandoned, AbandonedColor)],
        Labels(steps),
        plot =>
        {
            var xs = OfferedBars(plot, steps);
            // A step without calls is a gap in the lines, not a dip to 0.
            Line(plot, xs, [.. steps.Select(step => step.Row.Offered > 0 ? step.Row.Answered : (double?)null)], AnsweredColor);
            Line(plot, xs, [.. steps.Select(step => step.Row.Offered > 0 ? step.Row.Abandoned : (double?)null)], AbandonedColor);
            plot.Axes.Margins(bottom: 0);
        });

    public static ChartSpec ServiceLevel(IReadOnlyList<ChartStep> steps, double target, string title, ReportText text) => new(
        title,
        [new(text.ServiceLevel, AnsweredColor), new($"{text.Target} {ReportFormat.Percent(target)}", TargetColor, Dashed: true)],
        Labels(steps),
        plot =>
        {
            var xs = Positions(steps.Count);
            var line = plot.Add.HorizontalLine(target * 100);
            line.Color = Convert(TargetColor);
            line.LineWidth = 1.25f;
            line.LinePattern = LinePattern.Dashed;
            line.LabelText = string.Empty;
            Line(plot, xs, [.. steps.Select(step => step.Row.ServiceLevel * 100)], AnsweredColor);
            plot.Axes.SetLimitsY(0, 105);
        })
    {
        Unit = "%",
        YTickStep = 20,
    };

    /// <summary>Calls offered per step as bars, the forecast made from the weeks before as a dashed line.</summary>
    public static ChartSpec ForecastVsActual(IReadOnlyList<ChartStep> steps, IReadOnlyList<double?> forecast, string title, ReportText text) => new(
        title,
        [new(text.Actual, OfferedColor, Bar: true), new(text.Forecast, AnsweredColor, Dashed: true)],
        Labels(steps),
        plot =>
        {
            var xs = OfferedBars(plot, steps);
            var known = xs.Zip(forecast).Where(pair => pair.Second is not null).ToArray();
            if (known.Length > 0)
            {
                var line = plot.Add.Scatter(known.Select(pair => pair.First).ToArray(), known.Select(pair => pair.Second!.Value).ToArray());
                line.Color = Convert(AnsweredColor);
                line.LineWidth = 1.5f;
                line.MarkerSize = 0;
                line.LinePattern = LinePattern.Dashed;
            }

            plot.Axes.Margins(bottom: 0);
        });

    public static ChartSpec Aht(IReadOnlyList<ChartStep> steps, string title, ReportText text) => new(
        title,
        [new(text.Aht, AnsweredColor)],
        Labels(steps),
        plot => Line(plot, Positions(steps.Count), [.. steps.Select(step => step.Row.AhtSeconds)], AnsweredColor))
    {
        Unit = text.Seconds,
    };

    /// <summary>The share of answered calls and of non-short abandons in each wait band, side by side.</summary>
    public static ChartSpec WaitBands(IReadOnlyList<string> bands, IReadOnlyList<double?> answered, IReadOnlyList<double?> abandoned, string title, ReportText text) => new(
        title,
        [new(text.Answered, AnsweredColor, Bar: true), new(text.AbandonedNotShort, AbandonedColor, Bar: true)],
        bands,
        plot =>
        {
            Bars(plot, -0.2, answered, AnsweredColor);
            Bars(plot, 0.2, abandoned, AbandonedColor);
            plot.Axes.Margins(bottom: 0);
        })
    {
        Unit = "%",
    };

    /// <summary>Draws <paramref name="chart"/> into <paramref name="box"/>: a title line with the legend at its right, then the plot and its labels.</summary>
    public static void Draw(SKCanvas canvas, SKRect box, ChartSpec chart, TextStyle titleStyle, TextStyle labelStyle, string fontName)
    {
        titleStyle.DrawLine(canvas, chart.Title, box.Left, box.Top, box.Width);
        DrawLegend(canvas, box, chart.Legend, titleStyle, labelStyle);

        using var plot = new Plot();
        // The plot shares the page: clearing "its" canvas would be clearing the page.
        plot.RenderManager.Remove<ScottPlot.Rendering.RenderActions.ClearCanvas>();
        chart.Build(plot);
        var labels = chart.Labels;
        plot.Axes.SetLimitsX(-0.6, Math.Max(labels.Count, 1) - 0.4);
        plot.HideLegend();
        // Plain numbers: the automatic labels switch to an offset notation (1.95 for 195 s) whose multiplier is easy to miss.
        plot.Axes.Left.TickGenerator = chart.YTickStep is { } tickStep
            ? new ScottPlot.TickGenerators.NumericFixedInterval(tickStep) { LabelFormatter = Number }
            : new ScottPlot.TickGenerators.NumericAutomatic { LabelFormatter = Number };
        plot.Axes.Left.TickLabelStyle.IsVisible = false;
        plot.Axes.Bottom.TickLabelStyle.IsVisible = false;
        plot.Axes.Left.Label.Text = string.Empty;
        plot.Axes.Bottom.Label.Text = string.Empty;
        plot.Grid.MajorLineColor = Convert(GridColor);
        plot.Font.Set(fontName);

        using var font = labelStyle.CreateFont();
        var area = new SKRect(box.Left, box.Top + titleStyle.LineHeight + 2, box.Right, box.Bottom);
        var top = 4 + (chart.Unit is null ? 0 : labelStyle.LineHeight);
        var bottom = labelStyle.LineHeight + 4;
        const float Right = 6;
        var rect = new PixelRect(area.Left, area.Right, area.Bottom, area.Top);

        // ScottPlot renders again while the axis limits still move, which a fresh plot's first
        // render always does: on a PDF page both passes would stay, every line twice. A rehearsal
        // on a scratch recording settles the limits and the y ticks (which depend on the height
        // alone), so the left margin can be fitted to the widest y label before the page's pass.
        plot.Layout.Fixed(new PixelPadding(40, Right, bottom, top));
        using (var recorder = new SKPictureRecorder())
        {
            plot.Render(recorder.BeginRecording(area), rect);
            using var discarded = recorder.EndRecording();
        }

        var limits = plot.Axes.GetLimits();
        var yTicks = plot.Axes.Left.TickGenerator.Ticks.Where(tick => tick.IsMajor && tick.Position >= limits.Bottom && tick.Position <= limits.Top).ToArray();
        var left = 8 + (yTicks.Length == 0 ? 0 : yTicks.Max(tick => font.MeasureText(tick.Label)));
        var step = (area.Width - left - Right) / Math.Max(labels.Count, 1);
        var every = XLabelEvery(labels, font, step);
        var shown = Enumerable.Range(0, labels.Count).Where(i => i % every == 0).ToArray();
        // Tick marks and vertical grid lines at the labelled steps only; the labels themselves are drawn below.
        plot.Axes.Bottom.SetTicks([.. shown.Select(i => (double)i)], [.. shown.Select(_ => string.Empty)]);
        plot.Layout.Fixed(new PixelPadding(left, Right, bottom, top));
        plot.Render(canvas, rect);

        var data = plot.RenderManager.LastRender.DataRect;
        foreach (var tick in yTicks)
        {
            var y = plot.GetPixel(new Coordinates(0, tick.Position)).Y;
            labelStyle.DrawCentred(canvas, tick.Label, data.Left - 6, y, TextAlignment.Right);
        }

        foreach (var i in shown)
        {
            var x = plot.GetPixel(new Coordinates(i, 0)).X;
            var width = step * every;
            labelStyle.DrawLine(canvas, labels[i], x - (width / 2), data.Bottom + 2, width, TextAlignment.Center);
        }

        if (chart.Unit is { } unit)
        {
            labelStyle.DrawLine(canvas, unit, area.Left, data.Top - labelStyle.LineHeight - 2, left, TextAlignment.Left);
        }
    }

    /// <summary>Label every n-th step, the smallest n at which the widest label has its room and a gap.</summary>
    internal static int XLabelEvery(IReadOnlyList<string> labels, SKFont font, float step)
    {
        if (labels.Count == 0 || step <= 0)
        {
            return 1;
        }

        var widest = labels.Max(label => font.MeasureText(label));
        return Math.Max(1, (int)Math.Ceiling((widest + LabelGap) / step));
    }

    /// <summary>Draws a heat map into <paramref name="box"/>: title and legend, the column labels, then one row of cells per row label.</summary>
    public static void DrawHeatMap(SKCanvas canvas, SKRect box, HeatMapSpec map, TextStyle titleStyle, TextStyle labelStyle, TextStyle cellStyle)
    {
        titleStyle.DrawLine(canvas, map.Title, box.Left, box.Top, box.Width);
        DrawLegend(canvas, box, map.Legend, titleStyle, labelStyle);
        using var font = labelStyle.CreateFont();
        var rowLabelWidth = map.RowLabels.Max(label => font.MeasureText(label)) + 6;
        var top = box.Top + titleStyle.LineHeight + 4;
        var cellWidth = (box.Width - rowLabelWidth) / map.ColumnLabels.Count;
        var cellHeight = (box.Bottom - top - labelStyle.LineHeight) / map.RowLabels.Count;
        for (var column = 0; column < map.ColumnLabels.Count; column++)
        {
            labelStyle.DrawLine(canvas, map.ColumnLabels[column], box.Left + rowLabelWidth + (column * cellWidth), top, cellWidth, TextAlignment.Center);
        }

        top += labelStyle.LineHeight;
        using var fill = new SKPaint { IsAntialias = false };
        using var grid = new SKPaint { Color = SKColors.White, StrokeWidth = 0.75f, IsStroke = true };
        using var empty = new SKPaint { Color = SKColor.Parse("#F7F8FA") };
        for (var row = 0; row < map.RowLabels.Count; row++)
        {
            var y = top + (row * cellHeight);
            labelStyle.DrawCentred(canvas, map.RowLabels[row], box.Left, y + (cellHeight / 2), TextAlignment.Left);
            for (var column = 0; column < map.ColumnLabels.Count; column++)
            {
                var rect = SKRect.Create(box.Left + rowLabelWidth + (column * cellWidth), y, cellWidth, cellHeight);
                if (map.Cell(row, column) is { } cell)
                {
                    fill.Color = cell.Fill;
                    canvas.DrawRect(rect, fill);
                    var ink = Luminance(cell.Fill) < 0.55 ? SKColors.White : cellStyle.Color;
                    cellStyle.With(color: ink).DrawCentred(canvas, cell.Text, rect.MidX, rect.MidY, TextAlignment.Center);
                }
                else
                {
                    canvas.DrawRect(rect, empty);
                }

                canvas.DrawRect(rect, grid);
            }
        }
    }

    /// <summary>A colour between <paramref name="from"/> and <paramref name="to"/>, <paramref name="fraction"/> of the way.</summary>
    public static SKColor Blend(SKColor from, SKColor to, double fraction)
    {
        var f = Math.Clamp(fraction, 0, 1);
        byte Mix(byte a, byte b) => (byte)Math.Round(a + ((b - a) * f));
        return new SKColor(Mix(from.Red, to.Red), Mix(from.Green, to.Green), Mix(from.Blue, to.Blue));
    }

    private static double Luminance(SKColor color) => ((0.299 * color.Red) + (0.587 * color.Green) + (0.114 * color.Blue)) / 255;

    private static string Number(double value) => value.ToString("#,0.#", CultureInfo.InvariantCulture);

    private static IReadOnlyList<string> Labels(IReadOnlyList<ChartStep> steps) => [.. steps.Select(step => step.Label)];

    private static void DrawLegend(SKCanvas canvas, SKRect box, IReadOnlyList<LegendEntry> legend, TextStyle titleStyle, TextStyle style)
    {
        const float Swatch = 12;
        const float Gap = 4;
        const float Spacing = 12;
        using var font = style.CreateFont();
        var widths = legend.Select(entry => Swatch + Gap + font.MeasureText(entry.Label)).ToArray();
        var x = box.Right - widths.Sum() - (Spacing * (legend.Count - 1));
        var top = box.Top + ((titleStyle.LineHeight - style.LineHeight) / 2);
        var middle = top + (style.LineHeight / 2);
        using var paint = new SKPaint { IsAntialias = true, StrokeWidth = 1.5f };
        for (var i = 0; i < legend.Count; i++)
        {
            var entry = legend[i];
            paint.Color = entry.Color;
            if (entry.Bar)
            {
                paint.Style = SKPaintStyle.Fill;
                canvas.DrawRect(SKRect.Create(x, middle - 4, Swatch, 8), paint);
            }
            else
            {
                paint.Style = SKPaintStyle.Stroke;
                using var dash = entry.Dashed ? SKPathEffect.CreateDash([3, 2], 0) : null;
                paint.PathEffect = dash;
                canvas.DrawLine(x, middle, x + Swatch, middle, paint);
                paint.PathEffect = null;
            }

            style.DrawLine(canvas, entry.Label, x + Swatch + Gap, top, widths[i]);
            x += widths[i] + Spacing;
        }
    }

    /// <summary>Calls offered per step as bars; returns the steps' x positions.</summary>
    private static double[] OfferedBars(Plot plot, IReadOnlyList<ChartStep> steps)
    {
        var xs = Positions(steps.Count);
        var offered = plot.Add.Bars(xs, [.. steps.Select(step => (double)step.Row.Offered)]);
        offered.Color = Convert(OfferedColor);
        foreach (var bar in offered.Bars)
        {
            bar.LineWidth = 0;
            bar.Size = 0.7;
        }

        return xs;
    }

    /// <summary>One series of a pair of bars per step, shifted by <paramref name="offset"/>; a step without a value has no bar.</summary>
    private static void Bars(Plot plot, double offset, IReadOnlyList<double?> values, SKColor color)
    {
        var known = values.Select((value, i) => (Position: i + offset, Value: value)).Where(pair => pair.Value is not null).ToArray();
        if (known.Length == 0)
        {
            return;
        }

        var bars = plot.Add.Bars([.. known.Select(pair => pair.Position)], [.. known.Select(pair => pair.Value!.Value)]);
        bars.Color = Convert(color);
        foreach (var bar in bars.Bars)
        {
            bar.LineWidth = 0;
            bar.Size = 0.38;
        }
    }

    private static double[] Positions(int count) => [.. Enumerable.Range(0, count).Select(i => (double)i)];

    private static Color Convert(SKColor color) => new(color.Red, color.Green, color.Blue, color.Alpha);

    /// <summary>
    /// A line through the steps that have a value, broken where a step has none (no calls): a
    /// gap, neither a dip to 0 nor a straight line across the hours without calls.
    /// </summary>
    private static void Line(Plot plot, double[] xs, double?[] ys, SKColor color)
    {
        var run = new List<(double X, double Y)>();
        for (var i = 0; i <= xs.Length; i++)
        {
            if (i < xs.Length && ys[i] is { } y)
            {
                run.Add((xs[i], y));
                continue;
            }

            if (run.Count > 0)
            {
                var scatter = plot.Add.Scatter(run.Select(point => point.X).ToArray(), run.Select(point => point.Y).ToArray());
                scatter.Color = Convert(color);
                scatter.LineWidth = 1.5f;
                scatter.MarkerSize = 4;
                run.Clear();
            }
        }
    }
}
