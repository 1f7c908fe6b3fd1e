using System.Text;
using SkiaSharp;

namespace Wallboard.Reports.Layout;

/// <summary>
/// Breaks text into lines that fit a width. Latin text breaks at spaces; CJK text may break
/// between any two ideographs, except before closing punctuation (，。）and the like), which
/// stays on the line it closes, and after opening punctuation (（《), which goes down with what it
/// opens — the simplest rules of Chinese line breaking (禁则).
/// </summary>
internal static class TextWrapper
{
    private const string NoLineStart = "，。、；：！？）》」』】〕,.;:!?)]}%…";

    private const string NoLineEnd = "（《「『【〔([{“‘";

    private static readonly System.Buffers.SearchValues<char> ClosingPunctuation = System.Buffers.SearchValues.Create(NoLineStart);

    public static List<string> Wrap(string text, SKFont font, float width)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(font);
        var lines = new List<string>();
        foreach (var paragraph in text.Split('\n'))
        {
            WrapParagraph(paragraph, font, width, lines);
        }

        return lines;
    }

    /// <summary>The text cut to fit <paramref name="width"/>, ending in an ellipsis when cut.</summary>
    public static string Ellipsize(string text, SKFont font, float width)
    {
        if (font.MeasureText(text) <= width)
        {
            return text;
        }

        var cut = text.Length;
        while (cut > 0 && font.MeasureText(string.Concat(text.AsSpan(0, cut), "…")) > width)
        {
            cut--;
        }

        return string.Concat(text.AsSpan(0, cut).TrimEnd(), "…");
    }

    private static void WrapParagraph(string paragraph, SKFont font, float width, List<string> lines)
    {
        var first = lines.Count;
        var line = new StringBuilder();
        foreach (var token in Tokens(paragraph))
        {
            var candidate = line + token;
            if (font.MeasureText(candidate.TrimEnd()) <= width || line.Length == 0 && !string.IsNullOrWhiteSpace(token) && FitsAlone(token))
            {
                line.Append(token);
                continue;
            }

            if (line.ToString().Trim().Length > 0)
            {
                lines.Add(line.ToString().TrimEnd());
            }

            line.Clear();
            if (string.IsNullOrWhiteSpace(token))
            {
                continue;
            }

            // A word wider than the line is cut wherever it must be.
            var rest = token;
            while (font.MeasureText(rest) > width && rest.Length > 1)
            {
                var cut = rest.Length - 1;
                while (cut > 1 && font.MeasureText(rest.AsSpan(0, cut)) > width)
                {
                    cut--;
                }

                lines.Add(rest[..cut]);
                rest = rest[cut..];
            }

            line.Append(rest);
        }

        if (line.ToString().Trim().Length > 0 || lines.Count == 0)
        {
            lines.Add(line.ToString().TrimEnd());
        }

        KeepIdeographCompany(lines, first, font, width);

        bool FitsAlone(string token) => font.MeasureText(token) <= width;
    }

    /// <summary>
    /// A paragraph never ends on a line of one lone ideograph (平均应答速 / 度 in a narrow table
    /// head): the ideograph before it moves down with it (平均应答 / 速度), when the two fit.
    /// </summary>
    private static void KeepIdeographCompany(List<string> lines, int first, SKFont font, float width)
    {
        if (lines.Count - first < 2)
        {
            return;
        }

        var last = lines[^1];
        var before = lines[^2];
        var lone = last.Length >= 1 && !char.IsSurrogate(last[0]) && IsCjk(last, 0) && last.AsSpan(1).IndexOfAnyExcept(ClosingPunctuation) < 0;
        if (!lone || before.Length < 2 || char.IsSurrogate(before[^1]) || !IsCjk(before, before.Length - 1))
        {
            return;
        }

        var together = before[^1] + last;
        if (font.MeasureText(together) <= width)
        {
            lines[^2] = before[..^1];
            lines[^1] = together;
        }
    }

    /// <summary>Runs of spaces, runs of non-CJK letters, and single CJK characters, each with any closing punctuation that follows.</summary>
    internal static IEnumerable<string> Tokens(string text)
    {
        var i = 0;
        while (i < text.Length)
        {
            var start = i;
            // Opening punctuation never ends a line: it goes with what it opens (低于目标（ / 未达标） would not do).
            while (i < text.Length - 1 && NoLineEnd.Contains(text[i], StringComparison.Ordinal))
            {
                i++;
            }

            if (char.IsWhiteSpace(text[i]))
            {
                while (i < text.Length && char.IsWhiteSpace(text[i]))
                {
                    i++;
                }
            }
            else if (IsCjk(text, i))
            {
                i += char.IsSurrogatePair(text, i) ? 2 : 1;
            }
            else
            {
                while (i < text.Length && !char.IsWhiteSpace(text[i]) && !IsCjk(text, i))
                {
                    i++;
                }
            }

            while (i < text.Length && NoLineStart.Contains(text[i], StringComparison.Ordinal) && !char.IsWhiteSpace(text[start]))
            {
                i++;
            }

            yield return text[start..i];
        }
    }

    private static bool IsCjk(string text, int index)
    {
        if (NoLineStart.Contains(text[index], StringComparison.Ordinal))
        {
            return false;
        }

        var rune = Rune.GetRuneAt(text, index).Value;
        return rune is >= 0x2E80 and <= 0x9FFF     // CJK radicals, punctuation, kana, ideographs
            or >= 0xF900 and <= 0xFAFF              // compatibility ideographs
            or >= 0xFF00 and <= 0xFFEF              // full-width forms
            or >= 0x20000 and <= 0x3FFFF;           // extension ideographs
    }
}
