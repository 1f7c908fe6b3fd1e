using SkiaSharp;
using Wallboard.Reports;
using Wallboard.Reports.Layout;

namespace Wallboard.Tests.Reports;

/// <summary>The hand-written layout layer: wrapping, pagination, tables across pages, page N of M.</summary>
public sealed class LayoutTests
{
    private static readonly SKTypeface Face = SKTypeface.FromFile(ReportOptions.DefaultRegularFont, ReportOptions.DefaultFontIndex);
    private static readonly TextStyle Body = new(Face, 10, SKColors.Black);

    [Fact]
    public void LatinTextBreaksAtSpacesAndEveryLineFits()
    {
        using var font = Body.CreateFont();
        var text = "Service level is the share of calls answered within the threshold, counted over offered calls.";

        var lines = TextWrapper.Wrap(text, font, 120);

        Assert.True(lines.Count > 1);
        Assert.All(lines, line => Assert.True(font.MeasureText(line) <= 120, $"'{line}' is wider than 120"));
        Assert.Equal(text, string.Join(" ", lines));
    }

    [Fact]
    public void ChineseBreaksBetweenIdeographsButNeverBeforeClosingPunctuation()
    {
        using var font = Body.CreateFont();
        var text = "服务水平是在阈值内接通的来电占呼入量的比例，等待不足五秒的放弃为短放弃，不计入。";

        var lines = TextWrapper.Wrap(text, font, 75);

        Assert.True(lines.Count > 2);
        Assert.Equal(text, string.Concat(lines));
        Assert.All(lines, line => Assert.DoesNotMatch("^[，。]", line));
        Assert.All(lines, line => Assert.True(font.MeasureText(line) <= 75 + font.MeasureText("，"), $"'{line}' overflows"));
    }

    /// <summary>A narrow table head never leaves one ideograph alone on its last line (平均应答速 / 度).</summary>
    [Fact]
    public void ALoneIdeographTakesTheOneBeforeItDown()
    {
        using var font = new TextStyle(Face, 7.5f, SKColors.Black).CreateFont();
        var fiveFit = font.MeasureText("平均应答速") + 0.5f;

        Assert.Equal(["平均应答", "速度"], TextWrapper.Wrap("平均应答速度", font, fiveFit));
        Assert.Equal(["放弃（不含短", "放弃）"], TextWrapper.Wrap("放弃（不含短放弃）", font, font.MeasureText("放弃（不含短") + 0.5f));
    }

    [Fact]
    public void OpeningPunctuationGoesDownWithWhatItOpens()
    {
        using var font = new TextStyle(Face, 10, SKColors.Black).CreateFont();
        var text = "低于目标（未达标）";

        var lines = TextWrapper.Wrap(text, font, font.MeasureText("低于目标（") + 0.5f);

        Assert.Equal(["低于目标", "（未达标）"], lines);
    }

    [Fact]
    public void AWordWiderThanTheLineIsCut()
    {
        using var font = Body.CreateFont();

        var lines = TextWrapper.Wrap("SIP/agent-with-a-very-long-device-name-0001", font, 60);

        Assert.True(lines.Count > 1);
        Assert.Equal("SIP/agent-with-a-very-long-device-name-0001", string.Concat(lines));
    }

    [Fact]
    public void EllipsizeCutsAndMarksTheCut()
    {
        using var font = Body.CreateFont();

        var cut = TextWrapper.Ellipsize("Answered within 3 rings of 5 seconds", font, 60);

        Assert.EndsWith("…", cut, StringComparison.Ordinal);
        Assert.True(font.MeasureText(cut) <= 60);
    }

    [Fact]
    public void ATableLongerThanAPageContinuesOnTheNextWithItsHeader()
    {
        var style = new TableStyle(Body, Body, SKColors.Gray, SKColors.LightGray, SKColors.Gray);
        var rows = Enumerable.Range(1, 100).Select(i => (IReadOnlyList<string>)[$"row {i}", i.ToString(System.Globalization.CultureInfo.InvariantCulture)]).ToList();
        var table = new TableBlock([new("Name", 2), new("Value", 1, TextAlignment.Right)], rows, style);
        var setup = new PageSetup();

        var pages = PageLayout.Paginate([table], setup);

        // Each row is 10 × 1.3 + 4 = 17 pt; a page has 841.89 − 2 × 36 − 24 − 40 − 20 = 685.89 pt:
        // the header and 39 rows (17 × 40 = 680) fit, so 100 rows take 3 pages (39, 39, 22).
        Assert.Equal(3, pages.Count);
        Assert.Equal([680f, 680f, 17f * 23], pages.Select(page => page.Sum(placed => placed.Height)));
    }

    [Fact]
    public void AHeadingAtTheFootOfAPageMovesWithWhatItHeads()
    {
        var setup = new PageSetup();
        var content = setup.Frame(1, 1).Content.Height;
        var filler = new FixedBlock(content - 30, (_, _) => { });
        var heading = new TextBlock("Agents", Body) { KeepWithNext = 60 };

        var pages = PageLayout.Paginate([filler, heading, new FixedBlock(100, (_, _) => { })], setup);

        Assert.Equal(2, pages.Count);
        Assert.Single(pages[0]);
        Assert.Equal(0, pages[1][0].Top);
    }

    [Fact]
    public void ABlockTallerThanAPageIsPlacedAnywayRatherThanLoopingForever()
    {
        var pages = PageLayout.Paginate([new FixedBlock(2000, (_, _) => { }), new TextBlock("after", Body)], new PageSetup());

        Assert.Equal(2, pages.Count);
    }

    [Fact]
    public void EveryPageKnowsTheTotalCountWhenItIsDrawn()
    {
        var blocks = Enumerable.Range(0, 5).Select(_ => (Block)new FixedBlock(500, (_, _) => { }));
        var frames = new List<PageFrame>();

        var pdf = PageLayout.RenderPdf(blocks, new PageSetup(), (_, frame) => frames.Add(frame), new SKDocumentPdfMetadata { Title = "t" });

        Assert.Equal([(1, 5), (2, 5), (3, 5), (4, 5), (5, 5)], frames.Select(frame => (frame.Number, frame.Count)));
        Assert.StartsWith("%PDF", System.Text.Encoding.ASCII.GetString(pdf, 0, 4), StringComparison.Ordinal);
    }
}
