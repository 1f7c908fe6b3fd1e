using SkiaSharp;

namespace Wallboard.Reports.Layout;

/// <summary>Where a page's parts are, and which page it is.</summary>
/// <param name="Number">1-based page number.</param>
/// <param name="Count">Number of pages in the document.</param>
/// <param name="Page">The whole page.</param>
/// <param name="Header">The band above the content.</param>
/// <param name="Content">Where blocks flow.</param>
/// <param name="Footer">The band below the content.</param>
internal sealed record PageFrame(int Number, int Count, SKRect Page, SKRect Header, SKRect Content, SKRect Footer);

/// <summary>Page size and margins in points (A4 portrait by default).</summary>
internal sealed record PageSetup
{
    public float Width { get; init; } = 595.28f;
    public float Height { get; init; } = 841.89f;
    public float Margin { get; init; } = 36;
    public float HeaderHeight { get; init; } = 24;
    public float FooterHeight { get; init; } = 40;

    /// <summary>Gap between the header or footer band and the content.</summary>
    public float BandGap { get; init; } = 10;

    public PageFrame Frame(int number, int count)
    {
        var page = SKRect.Create(0, 0, Width, Height);
        var header = SKRect.Create(Margin, Margin, Width - (2 * Margin), HeaderHeight);
        var footer = SKRect.Create(Margin, Height - Margin - FooterHeight, Width - (2 * Margin), FooterHeight);
        var content = new SKRect(Margin, header.Bottom + BandGap, Width - Margin, footer.Top - BandGap);
        return new PageFrame(number, count, page, header, content, footer);
    }
}

/// <summary>
/// Flows blocks onto pages and writes them as a PDF in two passes: the first decides what goes
/// on each page (so the page count is known), the second draws the pages with their header and
/// footer, which can then say "page N of M".
/// </summary>
internal static class PageLayout
{
    /// <summary>A part of a block placed on a page, at a distance below the content top.</summary>
    internal readonly record struct Placed(float Top, float Height, Action<SKCanvas, SKPoint> Draw);

    /// <summary>Pass one: what each page holds.</summary>
    public static List<List<Placed>> Paginate(IEnumerable<Block> blocks, PageSetup setup)
    {
        ArgumentNullException.ThrowIfNull(blocks);
        ArgumentNullException.ThrowIfNull(setup);
        var content = setup.Frame(1, 1).Content;
        var pages = new List<List<Placed>>();
        var page = new List<Placed>();
        var y = 0f;
        foreach (var first in blocks)
        {
            Block? block = first;
            while (block is not null)
            {
                var slice = block.Slice(content.Width, content.Height - y, atPageTop: y == 0);
                if (slice.Draw is not null)
                {
                    page.Add(new Placed(y, slice.Height, slice.Draw));
                }

                y += slice.Height;
                if (slice.Rest is null)
                {
                    y = Math.Min(content.Height, y + block.SpaceAfter);
                    break;
                }

                if (y == 0 && slice.Draw is null)
                {
                    throw new InvalidOperationException($"{block.GetType().Name} placed nothing on an empty page");
                }

                pages.Add(page);
                page = [];
                y = 0;
                block = slice.Rest;
            }
        }

        pages.Add(page);
        return pages;
    }

    /// <summary>Pass two: the PDF.</summary>
    /// <param name="blocks">The content, top to bottom.</param>
    /// <param name="setup">Page size and margins.</param>
    /// <param name="decorate">Draws a page's header and footer.</param>
    /// <param name="metadata">Title, author and dates of the PDF.</param>
    public static byte[] RenderPdf(IEnumerable<Block> blocks, PageSetup setup, Action<SKCanvas, PageFrame> decorate, SKDocumentPdfMetadata metadata)
    {
        ArgumentNullException.ThrowIfNull(decorate);
        var pages = Paginate(blocks, setup);
        using var stream = new MemoryStream();
        using (var managed = new SKManagedWStream(stream))
        using (var document = SKDocument.CreatePdf(managed, metadata))
        {
            for (var index = 0; index < pages.Count; index++)
            {
                var frame = setup.Frame(index + 1, pages.Count);
                var canvas = document.BeginPage(setup.Width, setup.Height);
                decorate(canvas, frame);
                foreach (var placed in pages[index])
                {
                    canvas.Save();
                    placed.Draw(canvas, new SKPoint(frame.Content.Left, frame.Content.Top + placed.Top));
                    canvas.Restore();
                }

                document.EndPage();
            }

            document.Close();
        }

        return stream.ToArray();
    }
}
