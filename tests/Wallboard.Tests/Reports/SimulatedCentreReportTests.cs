using System.CommandLine;
using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Time.Testing;
using Wallboard.Hub.Cli;

namespace Wallboard.Tests.Reports;

/// <summary>
/// The daily report of a simulated centre of 120 agents as README shows it, made with README's
/// commands: <c>wallboard simulate</c> (ten days from Tue 24 Nov 2026, seed 1, scale 4),
/// <c>wallboard import</c>, <c>wallboard report --date 2026-12-02</c>. The figures are the
/// simulation's, not worked by hand, so this test checks what must hold of any day a manager
/// reads: the worst hours first by what they cost, outcomes that add up, the summary agreeing with
/// the table, teams with subtotals, long durations in hours. Its first page is README's picture.
/// </summary>
public sealed partial class SimulatedCentreReportTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("wallboard-simulated-report-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task TheDailyReportOfASimulatedCentreRanksItsCostliestHoursFirstAndAddsUp()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["History:SqlitePath"] = Path.Combine(_dir, "history.db") })
            .Build();
        var centre = Path.Combine(_dir, "centre");
        await RunAsync(WallboardCommandLine.Build(configuration), "simulate", "--out", centre, "--start", "2026-11-24", "--days", "10", "--scale", "4");
        var directory = Path.Combine(centre, "directory.json");
        await RunAsync(
            WallboardCommandLine.Build(configuration),
            "import", "--queue-log", Path.Combine(centre, "queue_log"), "--cdr", Path.Combine(centre, "Master.csv"), "--outbound-context", "outbound",
            "--events", Path.Combine(centre, "events.ndjson"), "--directory", directory);
        // Produced at 07:00 on Sun 6 Dec in Shanghai, so that README's picture stays the same from run to run.
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 5, 23, 0, 0, TimeSpan.Zero));
        var pdf = Path.Combine(_dir, "report.pdf");
        await RunAsync(new RootCommand { new ReportCommand(configuration, time) }, "report", "--date", "2026-12-02", "--call-target", "100", "--directory", directory, "--out", pdf);

        var bytes = await File.ReadAllBytesAsync(pdf);
        var pages = ReportPdf.PageTexts(bytes);
        var all = string.Join("\n", pages);
        Assert.DoesNotContain("Incomplete data", all, StringComparison.Ordinal);

        // The hours below target, each with the calls it failed beside its percentage, the costliest first.
        var missed = MissedHour().Matches(all).Select(match => (Hour: match.Groups[1].Value, Offered: Count(match.Groups[2]), NotInTime: Count(match.Groups[3]), Level: match.Groups[4].Value)).ToList();
        Assert.True(missed.Count >= 5, $"only {missed.Count} hours below target were read");
        for (var i = 1; i < missed.Count; i++)
        {
            Assert.True(missed[i].NotInTime <= missed[i - 1].NotInTime, $"{missed[i].Hour} ({missed[i].NotInTime} not in time) comes after {missed[i - 1].Hour} ({missed[i - 1].NotInTime})");
        }

        // The costliest is a busy daytime hour, not a night hour of a few calls at 0 %; page 1 names it with its counts.
        var worst = missed[0];
        Assert.True(worst.Offered >= 100, $"the costliest hour {worst.Hour} has only {worst.Offered} calls");
        Assert.Contains(missed, hour => hour.Offered < worst.NotInTime && hour.Level == "0.0%");
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"the costliest {worst.Hour} ({worst.Offered:N0} offered, {worst.NotInTime:N0} not answered within 20 s)"), pages[0].Replace("\n", " ", StringComparison.Ordinal), StringComparison.Ordinal);

        // Where calls ended: every queue's outcomes, and the total's, add up to its offered.
        var outcomes = OutcomeRow().Matches(all).Select(match => match.Groups[2].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(value => long.Parse(value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture)).ToList()).ToList();
        Assert.Equal(4, outcomes.Count); // 销售热线, 客服热线, VIP 专线 and the total
        Assert.All(outcomes, row => Assert.Equal(row[0], row.Skip(1).Sum()));
        Assert.Equal(outcomes[^1][0], outcomes.SkipLast(1).Sum(row => row[0]));

        // Agents in their teams (the directory's), each team closed by its subtotal; the day's logins of 120 agents are hours, not a clock.
        Assert.Contains("Team 销售组 (", all, StringComparison.Ordinal);
        Assert.Contains("Team 客服组 (", all, StringComparison.Ordinal);
        Assert.Matches(@"All agents \(\d+\) [\d,]+ \d+:\d\d [\d,]+\.\d h", all);
        // The outbound team dials: its agents are ranked by conversions, not listed among queue agents with nothing handled.
        var queueAgents = AgentIds(Between(all, "Agents: queue calls", "Agents: outbound"));
        var diallers = AgentIds(Between(all, "Agents: outbound", "Call volume against target"));
        Assert.True(diallers.Count >= 20 && queueAgents.Count >= 60, $"{queueAgents.Count} queue agents and {diallers.Count} diallers");
        Assert.Empty(queueAgents.Intersect(diallers));

        var picture = Path.Combine(ReadmeScreenshots.Taken, "report-daily-en.png");
        // Page 1 at 110 dpi: 910 pixels across, as README shows it.
        await ReportPdf.PdftoppmAsync("-png", "-r", "110", "-f", "1", "-l", "1", "-singlefile", pdf, picture[..^".png".Length]);
        ReadmeScreenshots.AssertCurrent(picture);
    }

    private static async Task RunAsync(RootCommand command, params string[] args)
    {
        var errors = new StringWriter();
        var exit = await command.Parse(args).InvokeAsync(new InvocationConfiguration { Output = TextWriter.Null, Error = errors });
        Assert.True(exit == 0, $"wallboard {args[0]} exited {exit}: {errors}");
    }

    private static string Between(string text, string start, string end)
    {
        var from = text.IndexOf(start, StringComparison.Ordinal);
        var to = text.IndexOf(end, from + start.Length, StringComparison.Ordinal);
        Assert.True(from >= 0 && to > from, $"'{start}' is not followed by '{end}'");
        return text[from..to];
    }

    private static HashSet<string> AgentIds(string text) => [.. AgentId().Matches(text).Select(match => match.Value)];

    private static long Count(Group group) => long.Parse(group.Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture);

    /// <summary>A row of the missed hours: hour, offered, not answered in time, service level.</summary>
    [GeneratedRegex(@"(\d\d:00-\d\d:00) ([\d,]+) ([\d,]+) (\d+\.\d%) ")]
    private static partial Regex MissedHour();

    /// <summary>The simulated centre's agents are named by the directory by their ids (the live demo gives them people's names).</summary>
    [GeneratedRegex(@"Agent/\d+")]
    private static partial Regex AgentId();

    /// <summary>A row of "where calls ended": a queue or Total, then offered and the seven outcomes, all counts.</summary>
    [GeneratedRegex(@"(销售热线|客服热线|VIP 专线|Total)((?: [\d,]+){8})(?![\d.,%])")]
    private static partial Regex OutcomeRow();
}
