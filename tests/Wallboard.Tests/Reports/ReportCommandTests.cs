using System.CommandLine;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Time.Testing;
using Wallboard.Hub.Cli;

namespace Wallboard.Tests.Reports;

/// <summary><c>wallboard report</c> against a SQLite store holding <see cref="HandWorkedDay"/>.</summary>
public sealed class ReportCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("wallboard-report-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task ReportWritesTheDailyPdfFromTheConfiguredStore()
    {
        (await HandWorkedDay.StoreAsync(_dir)).Dispose();
        var pdf = Path.Combine(_dir, "report.pdf");

        var (exit, output, errors) = await RunAsync(
            "report", "--period", "daily", "--date", "2026-11-27", "--tz", "Asia/Shanghai", "--queues", "sales,support", "--lang", "en", "--out", pdf);

        Assert.Equal(0, exit);
        Assert.Equal("zone: Asia/Shanghai (--tz)\n", errors);
        Assert.Contains("Daily report 2026-11-27", output, StringComparison.Ordinal);
        var first = ReportPdf.PageTexts(await File.ReadAllBytesAsync(pdf))[0];
        Assert.Contains("Queues: sales, support", first, StringComparison.Ordinal);
        Assert.Contains("+25.0% vs previous", first, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AReportOfAPeriodNotYetWrittenWarnsThatItIsIncomplete()
    {
        (await HandWorkedDay.StoreAsync(_dir)).Dispose();

        var (exit, _, errors) = await RunAsync("report", "--period", "weekly", "--date", "2026-11-27", "--tz", "Asia/Shanghai", "--out", Path.Combine(_dir, "week.pdf"));

        Assert.Equal(0, exit);
        Assert.Contains("warning: the data is incomplete", errors, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(_dir, "week.pdf")));
    }

    [Theory]
    [InlineData("--date", "27/11/2026", "is not a date")]
    [InlineData("--tz", "Mars/Olympus", "Mars/Olympus")]
    [InlineData("--period", "hourly", "hourly")]
    [InlineData("--lang", "fr", "fr")]
    public async Task BadArgumentsAreNamed(string option, string value, string expected)
    {
        var args = new List<string> { "report", "--date", "2026-11-27", "--tz", "Asia/Shanghai", "--out", Path.Combine(_dir, "x.pdf") };
        var index = args.IndexOf(option);
        if (index >= 0)
        {
            args[index + 1] = value;
        }
        else
        {
            args.AddRange([option, value]);
        }

        var (exit, _, errors) = await RunAsync([.. args]);

        Assert.NotEqual(0, exit);
        Assert.Contains(expected, errors, StringComparison.Ordinal);
    }

    private async Task<(int Exit, string Output, string Errors)> RunAsync(params string[] args)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["History:SqlitePath"] = Path.Combine(_dir, "history.db") })
            .Build();
        var output = new StringWriter();
        var errors = new StringWriter();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 27, 23, 0, 0, TimeSpan.Zero));
        var exit = await new RootCommand { new ReportCommand(configuration, time) }.Parse(args)
            .InvokeAsync(new InvocationConfiguration { Output = output, Error = errors });
        return (exit, output.ToString(), errors.ToString());
    }
}
