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

    /// <summary>
    /// Without --tz the report counts in the server's zone (Metrics:TimeZone, Asia/Shanghai by default), as
    /// `simulate` and the server do. The directory names queues, agents and campaigns, and bob's own daily
    /// call target (90) comes before --call-target: (80 handled + 10 outbound connected) / 90 = 100.0 %.
    /// </summary>
    [Fact]
    public async Task TheReportTakesTheServersZoneAndTheDirectorysNamesAndTargets()
    {
        (await HandWorkedDay.StoreAsync(_dir)).Dispose();
        var directory = Path.Combine(_dir, "directory.json");
        await File.WriteAllTextAsync(directory, """
            {
              "queues": { "sales": { "name": "Sales line" } },
              "agents": { "bob": { "name": "Bob Li", "dailyCallTarget": 90 } },
              "campaigns": { "winback": { "name": "Win-back" } }
            }
            """);
        var pdf = Path.Combine(_dir, "report.pdf");

        var (exit, _, errors) = await RunAsync(
            "report", "--date", "2026-11-27", "--queues", "sales,support", "--lang", "en", "--call-target", "120", "--directory", directory, "--out", pdf);

        Assert.Equal(0, exit);
        Assert.StartsWith("zone: Asia/Shanghai (Metrics:TimeZone; --tz to change)", errors, StringComparison.Ordinal);
        var all = string.Join('\n', ReportPdf.PageTexts(await File.ReadAllBytesAsync(pdf)));
        Assert.Contains("Queues: Sales line, support", all, StringComparison.Ordinal);
        Assert.Contains("Sales line 200 190 10 0 0 0 0 0", all, StringComparison.Ordinal);
        Assert.Contains("Sales line 200 83.5%", all, StringComparison.Ordinal);
        Assert.Contains("2 Bob Li 80 3:20 6:00 0:00 80.0%", all, StringComparison.Ordinal);
        // Calls against target: Bob Li (80 + 10) / 90 and alice (100 + 20) / 120 both reach it; equal, they go by name (ordinal).
        Assert.Contains("1 Bob Li 1 90 0 90 100.0%", all, StringComparison.Ordinal);
        Assert.Contains("2 alice 1 120 0 120 100.0%", all, StringComparison.Ordinal);
        Assert.Contains("Win-back", all, StringComparison.Ordinal);
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

    /// <summary>A day with nothing stored (a wrong date or zone, history not imported) is an error, not an empty PDF.</summary>
    [Fact]
    public async Task APeriodWithoutDataFailsWithAClearMessageAndWritesNoFile()
    {
        (await HandWorkedDay.StoreAsync(_dir)).Dispose();
        var pdf = Path.Combine(_dir, "empty.pdf");

        var (exit, output, errors) = await RunAsync("report", "--date", "2026-11-20", "--tz", "Asia/Shanghai", "--out", pdf);

        Assert.Equal(ReportCommand.NoDataExitCode, exit);
        Assert.Contains(
            "error: no data for Daily report 2026-11-20 in Asia/Shanghai (all queues): the history store holds no calls, agents or campaigns in that period",
            errors,
            StringComparison.Ordinal);
        Assert.Contains("check --date, --tz and --queues", errors, StringComparison.Ordinal);
        Assert.Empty(output);
        Assert.False(File.Exists(pdf));
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
