using System.Globalization;
using System.Text;

namespace Wallboard.Tests.Reports;

/// <summary>A PDF page rendered by poppler's pdftoppm as 8-bit grey, for measuring where things were drawn.</summary>
internal sealed class PageImage
{
    private PageImage(int width, int height, byte[] pixels, double pixelsPerPoint)
    {
        Width = width;
        Height = height;
        Pixels = pixels;
        PixelsPerPoint = pixelsPerPoint;
    }

    public int Width { get; }

    public int Height { get; }

    /// <summary>Rows top to bottom, 0 black to 255 white.</summary>
    public byte[] Pixels { get; }

    public double PixelsPerPoint { get; }

    public byte this[int x, int y] => Pixels[(y * Width) + x];

    /// <summary>Page 1 of <paramref name="pdf"/> at <paramref name="dpi"/> (288 gives 4 pixels to the point); kept beside the reports as <paramref name="name"/>.pgm.</summary>
    public static async Task<PageImage> RenderAsync(byte[] pdf, string name, int dpi = 288)
    {
        var pdfPath = Path.Combine(ReportPdf.OutputFolder, name + ".pdf");
        await File.WriteAllBytesAsync(pdfPath, pdf);
        var prefix = Path.Combine(ReportPdf.OutputFolder, name);
        await ReportPdf.PdftoppmAsync("-gray", "-r", dpi.ToString(CultureInfo.InvariantCulture), "-f", "1", "-l", "1", "-singlefile", pdfPath, prefix);
        return Read(await File.ReadAllBytesAsync(prefix + ".pgm"), dpi / 72.0);
    }

    /// <summary>A binary PGM (P5): "P5", width, height, maximum, each after white space, then one byte a pixel.</summary>
    private static PageImage Read(byte[] file, double pixelsPerPoint)
    {
        var position = 0;
        string Token()
        {
            while (char.IsWhiteSpace((char)file[position]))
            {
                position++;
            }

            var token = new StringBuilder();
            while (!char.IsWhiteSpace((char)file[position]))
            {
                token.Append((char)file[position++]);
            }

            return token.ToString();
        }

        Assert.Equal("P5", Token());
        var width = int.Parse(Token(), CultureInfo.InvariantCulture);
        var height = int.Parse(Token(), CultureInfo.InvariantCulture);
        Assert.Equal("255", Token());
        position++;
        return new PageImage(width, height, file[position..(position + (width * height))], pixelsPerPoint);
    }
}
