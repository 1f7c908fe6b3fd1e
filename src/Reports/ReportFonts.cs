using System.Collections.Concurrent;
using ScottPlot;
using SkiaSharp;

namespace Wallboard.Reports;

/// <summary>
/// The regular and bold faces a report is set in, for its own text and for ScottPlot's. Faces
/// are loaded once per process (a CJK collection is 20 MB) and never disposed.
/// </summary>
internal sealed class ReportFonts
{
    private static readonly ConcurrentDictionary<(string Path, int Index), SKTypeface> Faces = new();
    private static readonly ConcurrentDictionary<string, ReportFonts> ByName = new(StringComparer.Ordinal);
    private static int _resolverAdded;

    private ReportFonts(SKTypeface regular, SKTypeface bold, string chartFontName)
    {
        Regular = regular;
        Bold = bold;
        ChartFontName = chartFontName;
    }

    public SKTypeface Regular { get; }

    public SKTypeface Bold { get; }

    /// <summary>The font name to give ScottPlot; <see cref="ChartFontResolver"/> maps it to these faces.</summary>
    public string ChartFontName { get; }

    /// <exception cref="FileNotFoundException">A font file is missing; the message says which and how to install it.</exception>
    public static ReportFonts Load(ReportOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var name = $"wallboard-report:{options.RegularFontPath}#{options.FontIndex}:{options.BoldFontPath}";
        var fonts = ByName.GetOrAdd(name, _ => new ReportFonts(
            Face(options.RegularFontPath, options.FontIndex),
            Face(options.BoldFontPath, options.FontIndex),
            name));
        if (Interlocked.Exchange(ref _resolverAdded, 1) == 0)
        {
            // ScottPlot's automatic font has no CJK glyphs (empty boxes); ours is found by name.
            Fonts.FontResolvers.Add(new ChartFontResolver());
        }

        return fonts;
    }

    /// <summary>Fails unless the faces can draw <paramref name="sample"/> (CJK text in a Chinese report).</summary>
    public void RequireGlyphs(string sample, ReportOptions options)
    {
        if (!Regular.ContainsGlyphs(sample) || !Bold.ContainsGlyphs(sample))
        {
            throw new InvalidOperationException(
                $"the report font {options.RegularFontPath} (face {options.FontIndex}) has no glyphs for '{sample}': use a CJK font such as Noto Sans CJK SC (apt-get install fonts-noto-cjk)");
        }
    }

    private static SKTypeface Face(string path, int index) => Faces.GetOrAdd((path, index), key =>
    {
        if (!File.Exists(key.Path))
        {
            throw new FileNotFoundException(
                $"report font file {key.Path} not found: install it (apt-get install fonts-noto-cjk) or set the font path in the report options",
                key.Path);
        }

        return SKTypeface.FromFile(key.Path, key.Index)
            ?? throw new InvalidDataException($"report font file {key.Path} has no readable face {key.Index}");
    });

    /// <summary>Gives ScottPlot the report's faces for the names <see cref="Load"/> made.</summary>
    private sealed class ChartFontResolver : IFontResolver
    {
        public SKTypeface? CreateTypeface(string fontName, FontWeight weight, FontSlant slant, FontSpacing spacing) =>
            CreateTypeface(fontName, weight >= FontWeight.SemiBold, slant != FontSlant.Upright);

        public SKTypeface? CreateTypeface(string fontName, bool bold, bool italic) =>
            ByName.TryGetValue(fontName, out var fonts) ? (bold ? fonts.Bold : fonts.Regular) : null;
    }
}
