using SkiaSharp;

namespace Wallboard.Reports.Layout;

/// <summary>Where a line of text sits in its box.</summary>
internal enum TextAlignment
{
    Left,
    Center,
    Right,
}

/// <summary>A typeface at a size in a colour; sizes are PDF points.</summary>
internal sealed record TextStyle(SKTypeface Typeface, float Size, SKColor Color)
{
    /// <summary>Distance between baselines: 1.3 em reads well for both Latin and CJK.</summary>
    public float LineHeight => Size * 1.3f;

    /// <summary>A new font for measuring and drawing; SKFont is cheap and not thread-safe, so each use makes its own.</summary>
    public SKFont CreateFont() => new(Typeface, Size) { Subpixel = true, Edging = SKFontEdging.Antialias };

    public TextStyle With(float? size = null, SKColor? color = null, SKTypeface? typeface = null) =>
        new(typeface ?? Typeface, size ?? Size, color ?? Color);

    /// <summary>Draws one line with its top at <paramref name="top"/>, aligned within [<paramref name="left"/>, <paramref name="left"/> + <paramref name="width"/>].</summary>
    public void DrawLine(SKCanvas canvas, string text, float left, float top, float width, TextAlignment alignment = TextAlignment.Left)
    {
        using var font = CreateFont();
        using var paint = new SKPaint { Color = Color, IsAntialias = true };
        // Centre the glyphs' ascent-to-descent box in the line so that lines of one style stack evenly.
        var metrics = font.Metrics;
        var baseline = top + ((LineHeight - (metrics.Descent - metrics.Ascent)) / 2) - metrics.Ascent;
        var (x, align) = alignment switch
        {
            TextAlignment.Right => (left + width, SKTextAlign.Right),
            TextAlignment.Center => (left + (width / 2), SKTextAlign.Center),
            _ => (left, SKTextAlign.Left),
        };
        canvas.DrawText(text, x, baseline, align, font, paint);
    }
}
