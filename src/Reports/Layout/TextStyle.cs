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
        ArgumentNullException.ThrowIfNull(canvas);
        if (string.IsNullOrEmpty(text))
        {
            return;
        }

        using var font = CreateFont();
        using var paint = new SKPaint { Color = Color, IsAntialias = true };
        // Centre the glyphs' ascent-to-descent box in the line so that lines of one style stack evenly.
        var metrics = font.Metrics;
        var baseline = top + ((LineHeight - (metrics.Descent - metrics.Ascent)) / 2) - metrics.Ascent;
        var x = alignment switch
        {
            TextAlignment.Right => left + width - font.MeasureText(text),
            TextAlignment.Center => left + ((width - font.MeasureText(text)) / 2),
            _ => left,
        };
        using var blob = TextBlob(text, font);
        canvas.DrawText(blob, x, baseline, paint);
    }

    /// <summary>
    /// Draws one line whose glyphs' visual middle is at <paramref name="middle"/>: an axis label on
    /// its grid line, a figure in the middle of a cell. The middle is the text's own ink bounds,
    /// not the line box, whose ascent and descent differ from face to face (Noto CJK's are far apart).
    /// </summary>
    /// <param name="canvas">Where to draw.</param>
    /// <param name="text">One line.</param>
    /// <param name="x">The left edge, the centre or the right edge, by <paramref name="alignment"/>.</param>
    /// <param name="middle">Where the ink's vertical middle goes.</param>
    /// <param name="alignment">How the text sits on <paramref name="x"/>.</param>
    public void DrawCentred(SKCanvas canvas, string text, float x, float middle, TextAlignment alignment)
    {
        ArgumentNullException.ThrowIfNull(canvas);
        if (string.IsNullOrEmpty(text))
        {
            return;
        }

        using var font = CreateFont();
        using var paint = new SKPaint { Color = Color, IsAntialias = true };
        var width = font.MeasureText(text, out var bounds);
        var left = alignment switch
        {
            TextAlignment.Right => x - width,
            TextAlignment.Center => x - (width / 2),
            _ => x,
        };
        using var blob = TextBlob(text, font);
        canvas.DrawText(blob, left, middle - bounds.MidY, paint);
    }

    /// <summary>
    /// A text blob that carries the text and its clusters beside the glyphs. Skia's PDF backend
    /// then writes an ActualText wherever a glyph's own Unicode is not the text's: Noto CJK draws
    /// 日 and the Kangxi radical ⽇ with one glyph, and without the clusters copying 日报 out of
    /// the PDF would give ⽇报.
    /// </summary>
    private static SKTextBlob TextBlob(string text, SKFont font)
    {
        var glyphs = font.GetGlyphs(text);
        var positions = font.GetGlyphPositions(text);
        var utf8 = System.Text.Encoding.UTF8.GetBytes(text);
        var clusters = new uint[glyphs.Length];
        var glyph = 0;
        var offset = 0;
        // One glyph per code point (no shaping): each glyph's cluster is its code point's first UTF-8 byte.
        foreach (var rune in text.EnumerateRunes())
        {
            if (glyph < clusters.Length)
            {
                clusters[glyph++] = (uint)offset;
            }

            offset += rune.Utf8SequenceLength;
        }

        using var builder = new SKTextBlobBuilder();
        var run = builder.AllocatePositionedTextRun(font, glyphs.Length, utf8.Length);
        run.SetGlyphs(glyphs);
        run.SetPositions(positions);
        run.SetText(utf8);
        run.SetClusters(clusters);
        return builder.Build() ?? throw new InvalidOperationException("Skia built no text blob");
    }
}
