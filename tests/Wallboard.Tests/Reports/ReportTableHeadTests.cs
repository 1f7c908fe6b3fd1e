using Microsoft.Extensions.Time.Testing;
using Wallboard.Metrics;
using Wallboard.Metrics.Names;
using Wallboard.Reports;
using Wallboard.Reports.Layout;

namespace Wallboard.Tests.Reports;

/// <summary>Every table head of the Chinese reports, wrapped as the page wraps it: no line of one lone ideograph.</summary>
public sealed class ReportTableHeadTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("wallboard-report-heads-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData(ReportPeriod.Daily)]
    [InlineData(ReportPeriod.Weekly)]
    public async Task NoChineseTableHeadBreaksOffASingleCharacter(ReportPeriod period)
    {
        using var store = await HandWorkedDay.StoreAsync(_dir);
        var options = new ReportOptions { Kpi = new KpiOptions { TimeZone = HandWorkedDay.Zone }, AgentCallTargetPerDay = 120, AsaTargetSeconds = 20 };
        var range = ReportRange.For(period, HandWorkedDay.Day, HandWorkedDay.Zone);
        var data = await ReportData.LoadAsync(store, options, NameDirectory.Empty, range, null, CancellationToken.None);
        var content = new ReportContent(
            data, options, ReportText.SimplifiedChinese, ReportFonts.Load(options), "日报", "全部队列", new FakeTimeProvider().GetUtcNow(), null);
        var width = new PageSetup().Frame(1, 1).Content.Width;

        var tables = ReportDocument.BlocksOf(content).OfType<TableBlock>().ToList();
        var heads = tables.SelectMany(table => table.HeaderLines(width)).ToList();

        Assert.True(tables.Count >= 8, $"only {tables.Count} tables");
        Assert.All(heads, lines => Assert.False(
            lines.Count > 1 && lines[^1].Length == 1 && char.IsLetter(lines[^1][0]) && lines[^1][0] > '\u2E80',
            $"'{string.Concat(lines)}' ends on a lone '{lines[^1]}'"));
        Assert.Contains(heads, lines => string.Concat(lines) == "平均应答速度");
    }
}
