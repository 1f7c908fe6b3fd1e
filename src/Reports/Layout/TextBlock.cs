using SkiaSharp;

namespace Wallboard.Reports.Layout;

/// <summary>A paragraph or heading, wrapped to the width; splits between lines across pages.</summary>
internal sealed class TextBlock : Block
{
    private readonly IReadOnlyList<string>? _lines;

    public TextBlock(string text, TextStyle style)
    {
        Text = text;
        Style = style;
    }

    private TextBlock(TextBlock whole, IReadOnlyList<string> rest)
        : this(whole.Text, whole.Style)
    {
        _lines = rest;
        SpaceAfter = whole.SpaceAfter;
        Alignment = whole.Alignment;
        Background = whole.Background;
    }

    public string Text { get; }

    public TextStyle Style { get; }

    public TextAlignment Alignment { get; init; }

    /// <summary>Fills the block's box, with padding, e.g. for a warning.</summary>
    public SKColor? Background { get; init; }

    /// <summary>
    /// Room that must follow the block on the same page, or it moves to the next: a heading
    /// keeps with the start of what it heads rather than standing alone at a page's foot.
    /// </summary>
    public float KeepWithNext { get; init; }

    private float Padding => Background is null ? 0 : Style.Size * 0.6f;

    public override BlockSlice Slice(float width, float available, bool atPageTop)
    {
        var padding = Padding;
        IReadOnlyList<string> lines;
        if (_lines is not null)
        {
            lines = _lines;
        }
        else
        {
            using var font = Style.CreateFont();
            lines = TextWrapper.Wrap(Text, font, width - (2 * padding));
        }

        var lineHeight = Style.LineHeight;
        var whole = (lines.Count * lineHeight) + (2 * padding);
        if (!atPageTop && whole + KeepWithNext > available && (KeepWithNext > 0 || Background is not null))
        {
            // Headings and boxed text do not split.
            return BlockSlice.Deferred(this);
        }

        var fitting = Math.Min(lines.Count, (int)Math.Floor((available - (2 * padding)) / lineHeight));
        if (fitting <= 0)
        {
            if (!atPageTop)
            {
                return BlockSlice.Deferred(this);
            }

            fitting = 1;
        }

        var placed = lines.Take(fitting).ToArray();
        var height = (placed.Length * lineHeight) + (2 * padding);
        var rest = fitting < lines.Count ? new TextBlock(this, [.. lines.Skip(fitting)]) : null;
        return new BlockSlice(height, (canvas, at) => Draw(canvas, at, width, height, placed), rest);
    }

    private void Draw(SKCanvas canvas, SKPoint at, float width, float height, string[] lines)
    {
        var padding = Padding;
        if (Background is { } background)
        {
            using var fill = new SKPaint { Color = background, IsAntialias = true };
            canvas.DrawRoundRect(SKRect.Create(at.X, at.Y, width, height), 3, 3, fill);
        }

        var top = at.Y + padding;
        foreach (var line in lines)
        {
            Style.DrawLine(canvas, line, at.X + padding, top, width - (2 * padding), Alignment);
            top += Style.LineHeight;
        }
    }
}

/// <summary>Empty room between blocks.</summary>
internal sealed class SpacerBlock(float height) : Block
{
    public override BlockSlice Slice(float width, float available, bool atPageTop) =>
        new(Math.Min(height, available), null, null);
}
