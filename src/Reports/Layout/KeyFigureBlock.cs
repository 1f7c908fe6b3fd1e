using SkiaSharp;

namespace Wallboard.Reports.Layout;

/// <summary>How a key figure stands against its target.</summary>
internal enum FigureStatus
{
    /// <summary>No target.</summary>
    None,
    Met,
    Missed,
}

/// <summary>A line under a key figure, in its own colour: a change (green when good), a target, where the figure stands.</summary>
internal sealed record FigureLine(string Text, SKColor Color);

/// <summary>One headline number with what explains it.</summary>
/// <param name="Label">What it is ("Service level").</param>
/// <param name="Value">The number, formatted ("82.5%").</param>
/// <param name="Lines">The changes against the periods compared with, the target and where the figure stands against it.</param>
/// <param name="Status">Colours the bar at the figure's left edge.</param>
internal sealed record KeyFigure(string Label, string Value, IReadOnlyList<FigureLine> Lines, FigureStatus Status);

/// <summary>The colours and type of key-figure boxes.</summary>
internal sealed record KeyFigureStyle(TextStyle Label, TextStyle Value, TextStyle Detail, SKColor Border, SKColor Met, SKColor Missed, SKColor Neutral);

/// <summary>A grid of key-figure boxes; each grid row is placed whole.</summary>
internal sealed class KeyFigureBlock(IReadOnlyList<KeyFigure> figures, KeyFigureStyle style, int columns) : Block
{
    private const float Gap = 8;
    private const float Padding = 8;

    /// <summary>Every box is as tall as the one with the most lines, so the grid stays even.</summary>
    public float BoxHeight =>
        (2 * Padding) + style.Label.LineHeight + style.Value.LineHeight + (figures.Max(figure => figure.Lines.Count) * style.Detail.LineHeight);

    public override BlockSlice Slice(float width, float available, bool atPageTop)
    {
        var rows = (figures.Count + columns - 1) / columns;
        var height = (rows * BoxHeight) + ((rows - 1) * Gap);
        if (height > available && !atPageTop)
        {
            return BlockSlice.Deferred(this);
        }

        return new BlockSlice(height, (canvas, at) => Draw(canvas, at, width), null);
    }

    private void Draw(SKCanvas canvas, SKPoint at, float width)
    {
        var boxWidth = (width - ((columns - 1) * Gap)) / columns;
        using var border = new SKPaint { Color = style.Border, IsStroke = true, StrokeWidth = 0.75f, IsAntialias = true };
        using var bar = new SKPaint { IsAntialias = true };
        using var labelFont = style.Label.CreateFont();
        using var valueFont = style.Value.CreateFont();
        using var detailFont = style.Detail.CreateFont();
        for (var i = 0; i < figures.Count; i++)
        {
            var figure = figures[i];
            var left = at.X + ((i % columns) * (boxWidth + Gap));
            var top = at.Y + ((i / columns) * (BoxHeight + Gap));
            var box = SKRect.Create(left, top, boxWidth, BoxHeight);
            canvas.DrawRoundRect(box, 4, 4, border);
            bar.Color = figure.Status switch
            {
                FigureStatus.Met => style.Met,
                FigureStatus.Missed => style.Missed,
                _ => style.Neutral,
            };
            canvas.DrawRect(SKRect.Create(left, top + 4, 3, BoxHeight - 8), bar);

            var inner = boxWidth - (2 * Padding);
            var y = top + Padding;
            style.Label.DrawLine(canvas, TextWrapper.Ellipsize(figure.Label, labelFont, inner), left + Padding, y, inner);
            y += style.Label.LineHeight;
            style.Value.DrawLine(canvas, TextWrapper.Ellipsize(figure.Value, valueFont, inner), left + Padding, y, inner);
            y += style.Value.LineHeight;
            foreach (var line in figure.Lines)
            {
                style.Detail.With(color: line.Color).DrawLine(canvas, TextWrapper.Ellipsize(line.Text, detailFont, inner), left + Padding, y, inner);
                y += style.Detail.LineHeight;
            }
        }
    }
}
