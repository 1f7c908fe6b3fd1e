using ScottPlot;
using SkiaSharp;
using Wallboard.Metrics.Rows;
using Wallboard.Reports.Layout;

namespace Wallboard.Reports;

/// <summary>One step of a chart's x axis: its label and the queues' figures in it.</summary>
internal sealed record ChartStep(string Label, QueueKpiRow Row);

/// <summary>A series as the legend shows it.</summary>
internal sealed record LegendEntry(string Label, SKColor Color, bool Dashed = false, bool Bar = false);

/// <summary>A chart: its title and legend, set by the layout layer, and the plot ScottPlot draws.</summary>
internal sealed record ChartSpec(string Title, IReadOnlyList<LegendEntry> Legend, IReadOnlyList<ChartStep> Steps, Action<Plot> Build);

/// <summary>
/// The report's charts, drawn by ScottPlot straight onto the PDF page canvas so they stay
/// vector, in the report's own font. Titles and legends are drawn by the layout layer: it sets
/// text with the report's font metrics, which ScottPlot's legend box does not fit for CJK faces.
/// </summary>
internal static class ReportCharts
{
    private static readonly SKColor OfferedColor = SKColor.Parse("#B7CCE6");
    private static readonly SKColor AnsweredColor = SKColor.Parse("#2B4C7E");
    private static readonly SKColor AbandonedColor = SKColor.Parse("#C0392B");
    private static readonly SKColor TargetColor = SKColor.Parse("#27AE60");

    public static ChartSpec Volume(IReadOnlyList<ChartStep> steps, string title, ReportText text) => new(
        title,
        [new(text.Offered, OfferedColor, Bar: true), new(text.Answered, AnsweredColor), new(text.Abandoned, AbandonedColor)],
        steps,
        plot =>
        {
            var xs = OfferedBars(plot, steps);
            Line(plot, xs, [.. steps.Select(step => (double?)step.Row.Answered)], AnsweredColor);
            Line(plot, xs, [.. steps.Select(step => (double?)step.Row.Abandoned)], AbandonedColor);
            plot.Axes.Margins(bottom: 0);
        });

    public static ChartSpec ServiceLevel(IReadOnlyList<ChartStep> steps, double target, string title, ReportText text) => new(
        title,
        [new(text.ServiceLevel, AnsweredColor), new($"{text.Target} {ReportFormat.Percent(target)}", TargetColor, Dashed: true)],
        steps,
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
            plot.Axes.Left.Label.Text = "%";
        });

    /// <summary>Calls offered per step as bars, the forecast made from the weeks before as a dashed line.</summary>
    public static ChartSpec ForecastVsActual(IReadOnlyList<ChartStep> steps, IReadOnlyList<double?> forecast, string title, ReportText text) => new(
        title,
        [new(text.Actual, OfferedColor, Bar: true), new(text.Forecast, AnsweredColor, Dashed: true)],
        steps,
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
        steps,
        plot =>
        {
            Line(plot, Positions(steps.Count), [.. steps.Select(step => step.Row.AhtSeconds)], AnsweredColor);
            plot.Axes.Left.Label.Text = text.Seconds;
        });

    /// <summary>Draws <paramref name="chart"/> into <paramref name="box"/>: a title line with the legend at its right, then the plot.</summary>
    public static void Draw(SKCanvas canvas, SKRect box, ChartSpec chart, TextStyle titleStyle, TextStyle legendStyle, string fontName)
    {
        titleStyle.DrawLine(canvas, chart.Title, box.Left, box.Top, box.Width);
        DrawLegend(canvas, box, chart.Legend, titleStyle, legendStyle);

        using var plot = new Plot();
        // The plot shares the page: clearing "its" canvas would be clearing the page.
        plot.RenderManager.Remove<ScottPlot.Rendering.RenderActions.ClearCanvas>();
        chart.Build(plot);
        var steps = chart.Steps;
        // Label at most ~16 steps so that a month of days stays readable.
        var every = Math.Max(1, (int)Math.Ceiling(steps.Count / 16.0));
        var ticks = Enumerable.Range(0, steps.Count).Where(i => i % every == 0).ToArray();
        plot.Axes.Bottom.SetTicks([.. ticks.Select(i => (double)i)], [.. ticks.Select(i => steps[i].Label)]);
        plot.Axes.SetLimitsX(-0.6, Math.Max(steps.Count, 1) - 0.4);
        plot.HideLegend();
        // Plain numbers: the automatic labels switch to an offset notation (1.95 for 195 s) whose multiplier is easy to miss.
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
        {
            LabelFormatter = value => value.ToString("#,0.#", System.Globalization.CultureInfo.InvariantCulture),
        };
        plot.Axes.Bottom.TickLabelStyle.FontSize = 8;
        plot.Axes.Left.TickLabelStyle.FontSize = 8;
        plot.Axes.Left.Label.FontSize = 8.5f;
        plot.Axes.Left.Label.Bold = false;
        plot.Grid.MajorLineColor = Color.FromHex("#E5E8EC");

        // The font is set last so that it reaches every label.
        plot.Font.Set(fontName);
        var area = new SKRect(box.Left, box.Top + titleStyle.LineHeight + 2, box.Right, box.Bottom);
        var rect = new PixelRect(area.Left, area.Right, area.Bottom, area.Top);
        // ScottPlot renders again while the axis limits still move, which a fresh plot's first
        // render always does: on a PDF page both passes would stay, every line and label twice.
        // A rehearsal on a scratch recording settles the limits, so the page gets one pass.
        using (var recorder = new SKPictureRecorder())
        {
            plot.Render(recorder.BeginRecording(area), rect);
            using var discarded = recorder.EndRecording();
        }

        plot.Render(canvas, rect);
    }

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

    private static double[] Positions(int count) => [.. Enumerable.Range(0, count).Select(i => (double)i)];

    private static Color Convert(SKColor color) => new(color.Red, color.Green, color.Blue, color.Alpha);

    /// <summary>A line through the steps that have a value; a step without calls has none and is skipped rather than drawn as 0.</summary>
    private static void Line(Plot plot, double[] xs, double?[] ys, SKColor color)
    {
        var known = xs.Zip(ys).Where(pair => pair.Second is not null).ToArray();
        if (known.Length == 0)
        {
            return;
        }

        double[] x = [.. known.Select(pair => pair.First)];
        double[] y = [.. known.Select(pair => pair.Second!.Value)];
        var scatter = plot.Add.Scatter(x, y);
        scatter.Color = Convert(color);
        scatter.LineWidth = 1.5f;
        scatter.MarkerSize = 4;
    }
}
