using System.Diagnostics;
using System.Text;
using UglyToad.PdfPig;

namespace Wallboard.Tests.Reports;

/// <summary>Reads a report back: the words of each page, and page 1 as a PNG for a person to look at.</summary>
internal static class ReportPdf
{
    /// <summary>Each page's words joined by single spaces, so "page 1 of 3" reads as written.</summary>
    /// <remarks>
    /// Noto CJK draws some ideographs and their Kangxi radicals (日 and ⽇) with one glyph, and the
    /// font's own map names the radical. The PDF carries the real text as ActualText, which poppler
    /// reads but PdfPig does not, so radicals are mapped back to their ideographs here.
    /// </remarks>
    public static List<string> PageTexts(byte[] pdf)
    {
        using var document = PdfDocument.Open(pdf);
        return [.. document.GetPages().Select(page => UnRadical(string.Join(" ", page.GetWords().Select(word => word.Text))))];
    }

    /// <summary>Each page's words with the centre of their boxes (PDF points, y up), for checks of where a figure stands.</summary>
    public static List<List<PlacedWord>> PageWords(byte[] pdf)
    {
        using var document = PdfDocument.Open(pdf);
        return [.. document.GetPages().Select(page => page.GetWords()
            .Select(word => new PlacedWord(UnRadical(word.Text), word.BoundingBox.Centroid.X, word.BoundingBox.Centroid.Y))
            .ToList())];
    }

    /// <summary>Simplified radicals (CJK Radicals Supplement) have no Unicode decomposition; these are the ones Chinese reports meet.</summary>
    private const string Simplified = "⻓长⻚页⻔门⻅见⻋车⻜飞⻢马⻛风⻩黄⻬齐⻮齿⻰龙⻳龟⻥鱼⻦鸟⻉贝⻈讠⻙韦⻝饣⻘青⻄西";

    /// <remarks>Noto draws the en dash with the figure dash's glyph too (10–20 s reads as 10‒20 s); ActualText carries the en dash.</remarks>
    private static string UnRadical(string text) => string.Concat(text.Select(c =>
    {
        if (c == '\u2012')
        {
            return "–";
        }

        var simplified = Simplified.IndexOf(c, StringComparison.Ordinal);
        return simplified >= 0 && simplified % 2 == 0 ? Simplified[simplified + 1].ToString()
            : c is >= '\u2F00' and <= '\u2FDF' ? c.ToString().Normalize(NormalizationForm.FormKC)
            : c.ToString();
    }));

    /// <summary>TestResults/reports under the repository root: kept by CI as a test output.</summary>
    public static string OutputFolder
    {
        get
        {
            var folder = Path.Combine(RepositoryPaths.RepositoryRoot, "TestResults", "reports");
            Directory.CreateDirectory(folder);
            return folder;
        }
    }

    /// <summary>Saves the PDF and page 1 rendered at 80 dpi by poppler's pdftoppm; returns the PNG's path.</summary>
    public static async Task<string> SaveWithFirstPagePngAsync(byte[] pdf, string name)
    {
        var pdfPath = Path.Combine(OutputFolder, name + ".pdf");
        await File.WriteAllBytesAsync(pdfPath, pdf);
        var prefix = Path.Combine(OutputFolder, name + "-page1");
        await PdftoppmAsync("-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", pdfPath, prefix);
        return prefix + ".png";
    }

    /// <summary>Runs poppler's pdftoppm (a page of a PDF as an image) and fails the test with its errors when it fails.</summary>
    public static async Task PdftoppmAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("pdftoppm") { RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("pdftoppm did not start (apt-get install poppler-utils; .ci/install-test-deps.sh installs it)");
        var errors = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"pdftoppm failed: {errors}");
    }
}

/// <summary>A word on a page and the centre of its box.</summary>
internal sealed record PlacedWord(string Text, double X, double Y);
