using ScottPlot;
using SkiaSharp;
using Wallboard.Metrics.Rows;

namespace Wallboard.Reports;

/// <summary>One step of a chart's x axis: its label and the queues' figures in it.</summary>
internal sealed record ChartStep(string Label, QueueKpiRow Row);

/// <summary>
/// The report's charts, drawn by ScottPlot straight onto the PDF page canvas so they stay
/// vector (text selectable, sharp at any zoom), set in the report's own font.
/// </summary>
internal static class ReportCharts
{
    private static readonly Color OfferedColor = Color.FromHex("#B7CCE6");
    private static readonly Color AnsweredColor = Color.FromHex("#2B4C7E");
    private static readonly Color AbandonedColor = Color.FromHex("#C0392B");
    private static readonly Color TargetColor = Color.FromHex("#27AE60");
    private static readonly Color LineColor = Color.FromHex("#2B4C7E");

    public static Action<SKCanvas, SKRect> Volume(IReadOnlyList<ChartStep> steps, string title, ReportText text, string font) =>
        (canvas, rect) => Render(canvas, rect, font, title, steps, plot =>
        {
            var xs = Positions(steps.Count);
            var offered = plot.Add.Bars(xs, [.. steps.Select(step => (double)step.Row.Offered)]);
            offered.Color = OfferedColor;
            offered.LegendText = text.Offered;
            Line(plot, xs, [.. steps.Select(step => (double?)step.Row.Answered)], AnsweredColor, text.Answered);
            Line(plot, xs, [.. steps.Select(step => (double?)step.Row.Abandoned)], AbandonedColor, text.Abandoned);
            plot.Axes.Margins(bottom: 0);
        });

    public static Action<SKCanvas, SKRect> ServiceLevel(IReadOnlyList<ChartStep> steps, double target, string title, ReportText text, string font) =>
        (canvas, rect) => Render(canvas, rect, font, title, steps, plot =>
        {
            var xs = Positions(steps.Count);
            Line(plot, xs, [.. steps.Select(step => step.Row.ServiceLevel * 100)], LineColor, text.ServiceLevel);
            var line = plot.Add.HorizontalLine(target * 100);
            line.Color = TargetColor;
            line.LineWidth = 1.5f;
            line.LinePattern = LinePattern.Dashed;
            line.LegendText = $"{text.Target} {ReportFormat.Percent(target)}";
            plot.Axes.SetLimitsY(0, 105);
            plot.Axes.Left.Label.Text = "%";
        });

    public static Action<SKCanvas, SKRect> Aht(IReadOnlyList<ChartStep> steps, string title, ReportText text, string font) =>
        (canvas, rect) => Render(canvas, rect, font, title, steps, plot =>
        {
            var xs = Positions(steps.Count);
            Line(plot, xs, [.. steps.Select(step => step.Row.AhtSeconds)], LineColor, text.Aht);
            plot.Axes.Left.Label.Text = text.Seconds;
            plot.Axes.Margins(bottom: 0);
        });

    private static double[] Positions(int count) => [.. Enumerable.Range(0, count).Select(i => (double)i)];

    /// <summary>A line through the steps that have a value; a step without calls has none and is skipped rather than drawn as 0.</summary>
    private static void Line(Plot plot, double[] xs, double?[] ys, Color color, string legend)
    {
        var known = xs.Zip(ys).Where(pair => pair.Second is not null).ToArray();
        if (known.Length == 0)
        {
            return;
        }

        double[] x = [.. known.Select(pair => pair.First)];
        double[] y = [.. known.Select(pair => pair.Second!.Value)];
        var scatter = plot.Add.Scatter(x, y);
        scatter.Color = color;
        scatter.LineWidth = 1.5f;
        scatter.MarkerSize = 4;
        scatter.LegendText = legend;
    }

    private static void Render(SKCanvas canvas, SKRect rect, string font, string title, IReadOnlyList<ChartStep> steps, Action<Plot> build)
    {
        using var plot = new Plot();
        build(plot);
        plot.Title(title, 11);
        plot.Axes.Title.Label.Bold = true;

        // Label at most ~16 steps so that a month of days stays readable.
        var every = Math.Max(1, (int)Math.Ceiling(steps.Count / 16.0));
        var ticks = Enumerable.Range(0, steps.Count).Where(i => i % every == 0).ToArray();
        plot.Axes.Bottom.SetTicks([.. ticks.Select(i => (double)i)], [.. ticks.Select(i => steps[i].Label)]);
        plot.Axes.SetLimitsX(-0.6, Math.Max(steps.Count, 1) - 0.4);
        plot.Legend.SetBestFontOnEachRender = false;
        plot.ShowLegend(Alignment.UpperRight, Orientation.Horizontal);
        plot.Legend.FontSize = 8;
        plot.Axes.Bottom.TickLabelStyle.FontSize = 8;
        plot.Axes.Left.TickLabelStyle.FontSize = 8;
        plot.Axes.Left.Label.FontSize = 9;
        plot.Grid.MajorLineColor = Color.FromHex("#E5E8EC");

        // The font is set last so that it reaches every label, the legend included.
        plot.Font.Set(font);
        plot.Render(canvas, new PixelRect(rect.Left, rect.Right, rect.Bottom, rect.Top));
    }
}
