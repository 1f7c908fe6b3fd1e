using System.Globalization;
using SkiaSharp;

namespace Wallboard.Tests;

/// <summary>
/// The pictures README shows are test outputs. The test that takes one (a floor page in chromium,
/// a report's first page by pdftoppm) leaves it in TestResults/screenshots and compares it with
/// its copy of the same name in docs/screenshots, so README never shows a screen the product no
/// longer draws: a changed screen fails its test until the new picture, looked at, is copied over.
/// </summary>
internal static class ReadmeScreenshots
{
    /// <summary>Where the tests leave every picture they take.</summary>
    public static string Taken
    {
        get
        {
            var folder = Path.Combine(RepositoryPaths.RepositoryRoot, "TestResults", "screenshots");
            Directory.CreateDirectory(folder);
            return folder;
        }
    }

    /// <summary>The pictures README shows.</summary>
    public static string Kept => Path.Combine(RepositoryPaths.RepositoryRoot, "docs", "screenshots");

    /// <summary>
    /// Share of pixels that may differ between two takes of the same screen: about 40 of a 1080p
    /// picture, fewer than one changed character has. The pictures come from fixed data, and the
    /// parts that count time (the clock, times in state, waits) are left out of the comparison;
    /// the rest measured the same to the pixel in repeated runs.
    /// </summary>
    private const double Tolerance = 0.00002;

    /// <summary>A channel difference below this is anti-aliasing, not a change.</summary>
    private const int Shade = 48;

    /// <summary>
    /// Fails when docs/screenshots keeps a picture of the name of <paramref name="taken"/> that is
    /// not what was just taken, apart from the <paramref name="moving"/> boxes (pixels), where the
    /// figures run with the clock and differ by a second from one run to the next.
    /// </summary>
    public static void AssertCurrent(string taken, IReadOnlyList<SKRectI>? moving = null)
    {
        var name = Path.GetFileName(taken);
        var kept = Path.Combine(Kept, name);
        if (!File.Exists(kept))
        {
            return;
        }

        var difference = Difference(kept, taken, moving ?? []);
        Assert.True(
            difference <= Tolerance,
            string.Create(CultureInfo.InvariantCulture, $"docs/screenshots/{name} is not what the product draws now ({difference:P2} of its pixels differ); ")
            + $"the picture just taken is {taken}: look at it and copy it to docs/screenshots");
    }

    /// <summary>The share of pixels outside <paramref name="moving"/> whose colour differs by more than a shade in a channel; 1 when the sizes differ.</summary>
    public static double Difference(string first, string second, IReadOnlyList<SKRectI> moving)
    {
        using var a = SKBitmap.Decode(first) ?? throw new InvalidOperationException($"{first} is not an image");
        using var b = SKBitmap.Decode(second) ?? throw new InvalidOperationException($"{second} is not an image");
        if (a.Width != b.Width || a.Height != b.Height)
        {
            return 1;
        }

        var differing = 0L;
        var pixels = a.Pixels;
        var others = b.Pixels;
        for (var i = 0; i < pixels.Length; i++)
        {
            var (p, q) = (pixels[i], others[i]);
            if ((Math.Abs(p.Red - q.Red) > Shade || Math.Abs(p.Green - q.Green) > Shade || Math.Abs(p.Blue - q.Blue) > Shade)
                && !Moving(i % a.Width, i / a.Width))
            {
                differing++;
            }
        }

        return (double)differing / ((long)a.Width * a.Height);

        bool Moving(int x, int y)
        {
            foreach (var box in moving)
            {
                if (box.Contains(x, y))
                {
                    return true;
                }
            }

            return false;
        }
    }
}
