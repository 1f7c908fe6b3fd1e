using SkiaSharp;

namespace Wallboard.Reports.Layout;

/// <summary>A column: its header, its share of the table width and how its cells align.</summary>
internal sealed record TableColumn(string Header, float Weight, TextAlignment Alignment = TextAlignment.Left);

/// <summary>The look of a table.</summary>
internal sealed record TableStyle(TextStyle Header, TextStyle Body, SKColor HeaderFill, SKColor StripeFill, SKColor RuleColor)
{
    public float CellPadding { get; init; } = 4;

    /// <summary>The text of a subtotal or total row; bold body text when null.</summary>
    public TextStyle? Total { get; init; }

    /// <summary>The fill behind a subtotal or total row.</summary>
    public SKColor TotalFill { get; init; } = new(0xE4, 0xE9, 0xF0);
}

/// <summary>
/// A table that breaks between rows across pages and repeats its header row on every page it
/// reaches. Cells wrap; a row is as tall as its tallest cell.
/// </summary>
internal sealed class TableBlock : Block
{
    private readonly int _firstRow;

    public TableBlock(IReadOnlyList<TableColumn> columns, IReadOnlyList<IReadOnlyList<string>> rows, TableStyle style)
        : this(columns, rows, style, 0)
    {
    }

    private TableBlock(IReadOnlyList<TableColumn> columns, IReadOnlyList<IReadOnlyList<string>> rows, TableStyle style, int firstRow)
    {
        if (rows.Any(row => row.Count != columns.Count))
        {
            throw new ArgumentException($"every row must have {columns.Count} cells", nameof(rows));
        }

        Columns = columns;
        Rows = rows;
        Style = style;
        _firstRow = firstRow;
    }

    public IReadOnlyList<TableColumn> Columns { get; }

    public IReadOnlyList<IReadOnlyList<string>> Rows { get; }

    public TableStyle Style { get; }

    /// <summary>A colour for the text of a cell (row index, column index), or null for the body colour: marks a missed target.</summary>
    public Func<int, int, SKColor?>? CellColor { get; init; }

    /// <summary>Whether a row (by index) is a subtotal or total: set in bold on a tinted fill, so that it reads as a sum, not as one more row.</summary>
    public Func<int, bool>? IsTotal { get; init; }

    /// <summary>At least this many rows go with the header; fewer and the table starts on the next page.</summary>
    public int MinRowsWithHeader { get; init; } = 2;

    public override BlockSlice Slice(float width, float available, bool atPageTop)
    {
        var widths = ColumnWidths(width);
        var header = Layout(Columns.Select(column => column.Header).ToList(), widths, Style.Header);
        var placed = new List<(int Index, List<string>[] Cells, float Height)>();
        var used = header.Height;
        for (var index = _firstRow; index < Rows.Count; index++)
        {
            var row = Layout(Rows[index], widths, BodyOf(index));
            if (used + row.Height > available && !(atPageTop && placed.Count == 0))
            {
                break;
            }

            placed.Add((index, row.Cells, row.Height));
            used += row.Height;
        }

        var remaining = Rows.Count - _firstRow;
        var wanted = Math.Min(MinRowsWithHeader, remaining);
        if (!atPageTop && placed.Count < wanted)
        {
            return BlockSlice.Deferred(this);
        }

        var next = _firstRow + placed.Count;
        var rest = next < Rows.Count ? new TableBlock(Columns, Rows, Style, next) { CellColor = CellColor, IsTotal = IsTotal, SpaceAfter = SpaceAfter, MinRowsWithHeader = 1 } : null;
        return new BlockSlice(used, (canvas, at) => Draw(canvas, at, width, widths, header, placed), rest);
    }

    /// <summary>The header cells as they are wrapped at <paramref name="width"/>: one list of lines per column.</summary>
    internal IReadOnlyList<List<string>> HeaderLines(float width) =>
        Layout(Columns.Select(column => column.Header).ToList(), ColumnWidths(width), Style.Header).Cells;

    private TextStyle BodyOf(int row) =>
        IsTotal?.Invoke(row) == true ? Style.Total ?? Style.Body.With(typeface: Style.Header.Typeface) : Style.Body;

    private float[] ColumnWidths(float width)
    {
        var total = Columns.Sum(column => column.Weight);
        return [.. Columns.Select(column => width * column.Weight / total)];
    }

    private (List<string>[] Cells, float Height) Layout(IReadOnlyList<string> cells, float[] widths, TextStyle style)
    {
        using var font = style.CreateFont();
        var padding = Style.CellPadding;
        var wrapped = new List<string>[cells.Count];
        var lines = 1;
        for (var i = 0; i < cells.Count; i++)
        {
            wrapped[i] = TextWrapper.Wrap(cells[i], font, widths[i] - (2 * padding));
            lines = Math.Max(lines, wrapped[i].Count);
        }

        return (wrapped, (lines * style.LineHeight) + padding);
    }

    private void Draw(SKCanvas canvas, SKPoint at, float width, float[] widths, (List<string>[] Cells, float Height) header, List<(int Index, List<string>[] Cells, float Height)> rows)
    {
        using var headerFill = new SKPaint { Color = Style.HeaderFill };
        using var stripeFill = new SKPaint { Color = Style.StripeFill };
        using var rule = new SKPaint { Color = Style.RuleColor, StrokeWidth = 0.5f, IsStroke = true };
        canvas.DrawRect(SKRect.Create(at.X, at.Y, width, header.Height), headerFill);
        DrawCells(canvas, at.X, at.Y, widths, header.Cells, Style.Header, _ => null);
        var top = at.Y + header.Height;
        using var totalFill = new SKPaint { Color = Style.TotalFill };
        foreach (var (index, cells, height) in rows)
        {
            if (IsTotal?.Invoke(index) == true)
            {
                canvas.DrawRect(SKRect.Create(at.X, top, width, height), totalFill);
            }
            else if (index % 2 == 1)
            {
                canvas.DrawRect(SKRect.Create(at.X, top, width, height), stripeFill);
            }

            DrawCells(canvas, at.X, top, widths, cells, BodyOf(index), column => CellColor?.Invoke(index, column));
            top += height;
            canvas.DrawLine(at.X, top, at.X + width, top, rule);
        }
    }

    private void DrawCells(SKCanvas canvas, float left, float top, float[] widths, List<string>[] cells, TextStyle style, Func<int, SKColor?> color)
    {
        var padding = Style.CellPadding;
        for (var column = 0; column < cells.Length; column++)
        {
            var cellStyle = color(column) is { } custom ? style.With(color: custom) : style;
            var lineTop = top + (padding / 2);
            foreach (var line in cells[column])
            {
                cellStyle.DrawLine(canvas, line, left + padding, lineTop, widths[column] - (2 * padding), Columns[column].Alignment);
                lineTop += style.LineHeight;
            }

            left += widths[column];
        }
    }
}
