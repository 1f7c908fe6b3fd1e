using Wallboard.Reports;

namespace Wallboard.Tests.Reports;

public sealed class ReportEmailTests
{
    [Fact]
    public void ChineseReportGetsAChineseBody()
    {
        var html = ReportEmail.SummaryHtml("zh-CN", "日报", "2026-11-27", null, [new("接通", "3", "–"), new("服务水平", "66.7%", "50.0%")]);
        Assert.Contains("<html lang=\"zh-CN\">", html, StringComparison.Ordinal);
        Assert.Contains("<p>统计周期：2026-11-27 · 队列：全部队列</p>", html, StringComparison.Ordinal);
        Assert.Contains("<th align=\"left\">指标</th><th align=\"right\">本期</th><th align=\"right\">上期</th>", html, StringComparison.Ordinal);
        Assert.Contains("<tr><td>服务水平</td><td align=\"right\">66.7%</td><td align=\"right\">50.0%</td></tr>", html, StringComparison.Ordinal);
        Assert.Contains("完整报告见附件 PDF。", html, StringComparison.Ordinal);
        Assert.DoesNotContain("This period", html, StringComparison.Ordinal);
    }

    [Fact]
    public void TargetsGoInTheirOwnColumnColouredByWhetherTheyAreMet()
    {
        var html = ReportEmail.SummaryHtml("en", "Daily report", "2026-12-02", null,
        [
            new("Offered", "250", "240") { WeekAgo = "260" },
            new("Abandon rate", "9.2%", "4.0%") { WeekAgo = "5.1%", Target = "5.0% · above target (worse)", TargetMet = false },
            new("ASA", "0:10", "0:12") { WeekAgo = "0:09", Target = "0:20 · below target (better)", TargetMet = true },
        ], "Wed 2 Dec 2026: 250 calls offered.");

        Assert.Contains("<p><b>Wed 2 Dec 2026: 250 calls offered.</b></p>", html, StringComparison.Ordinal);
        Assert.Contains("<th align=\"right\">Previous</th><th align=\"right\">Same day last week</th><th align=\"left\">Target</th>", html, StringComparison.Ordinal);
        Assert.Contains("<tr><td>Offered</td><td align=\"right\">250</td><td align=\"right\">240</td><td align=\"right\">260</td><td></td></tr>", html, StringComparison.Ordinal);
        Assert.Contains("<td style=\"color:#C0392B\">5.0% &#183; above target (worse)</td>", html, StringComparison.Ordinal);
        Assert.Contains("<td style=\"color:#1E8449\">0:20 &#183; below target (better)</td>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void EnglishBodyNamesTheQueuesAndEncodesText()
    {
        var html = ReportEmail.SummaryHtml("en", "Daily report <sales>", "2026-W48", ["sales", "support"], []);
        Assert.Contains("<h2>Daily report &lt;sales&gt;</h2>", html, StringComparison.Ordinal);
        Assert.Contains("<p>Period: 2026-W48 · Queues: sales, support</p>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<table", html, StringComparison.Ordinal);
        Assert.Contains("The full report is attached as a PDF.", html, StringComparison.Ordinal);
    }
}
