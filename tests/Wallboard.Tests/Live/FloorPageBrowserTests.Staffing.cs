using Wallboard.Metrics.Counters;
using Wallboard.Metrics.History;
using static Microsoft.Playwright.Assertions;

namespace Wallboard.Tests.Live;

/// <summary>The supervisor overview's staffing: the tiles, the queue table's columns, the "next hours" strip and adherence on the agent cards.</summary>
public sealed partial class FloorPageBrowserTests
{
    /// <summary>
    /// The floor scenario on the repository's supervisor overview, with 王芳 (Agent/1001) on the rota
    /// 09:00–17:00 and the support queue's Monday a week ago busy at 10:30 (60 calls of 240 s), so
    /// the strip's 10:30 step needs more agents than the one on the rota: red.
    /// </summary>
    [Fact]
    public async Task SupervisorOverviewShowsAgentsNeededTheGapTheNextHoursAndAdherence()
    {
        var dir = Directory.CreateTempSubdirectory("wallboard-supervisor-").FullName;
        try
        {
            var rota = Path.Combine(dir, "rota.csv");
            await File.WriteAllTextAsync(rota, "agent,date,start,end,activity\nAgent/1001,2026-05-04,09:00,17:00,work\n");
            await using var server = await LiveServer.StartAsync(
                new Dictionary<string, string>
                {
                    ["Web:Path"] = Path.Combine(RepositoryPaths.RepositoryRoot, "web"),
                    ["Access:Viewer:0"] = ViewerKey,
                    ["Access:Ingest:0"] = IngestKey,
                    ["AgentNames:Agent/1001"] = "王芳",
                    ["AgentNames:Agent/1002"] = "李娜",
                    ["Staffing:RotaFile"] = rota,
                },
                ("supervisor-overview.json", RepositoryDashboard("supervisor-overview")));
            var halfPast = LiveServer.Now.AddMinutes(30).ToUnixTimeMilliseconds() - (7 * 86_400_000L);
            await server.Service<IKpiHistoryStore>().WriteAsync(
                [HistoryPoint.Queue("support", halfPast, new QueueCounters { Offered = 60, Answered = 60, Handled = 60, TalkMs = 60 * 240_000 })], null);
            await server.Service<Wallboard.Hub.Staffing.ForecastStrip>().RefreshAsync(CancellationToken.None);
            await PostAndTickAsync(server, FloorScenario());

            var page = await NewPageAsync("en", 1920, 1080);
            await page.GotoAsync(new Uri(server.BaseAddress, $"?dashboard=supervisor-overview&lang=en&key={ViewerKey}").ToString());
            await Expect(page.Locator("#connection")).ToHaveAttributeAsync("data-state", "live");

            // Support: six calls in the window, AHT known; two agents staffed (张伟 is paused, in sales).
            await Expect(Tile(page, "agents-required").Locator(".tile-value")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^[0-9]+$"));
            await Expect(page.Locator("tr[data-queue='support'] td[data-kpi='agents_staffed']")).ToHaveTextAsync("2");
            await Expect(page.Locator("#next-hours")).ToBeVisibleAsync();
            var cells = page.Locator(".next-hours-cell");
            await Expect(cells).ToHaveCountAsync(8);
            await Expect(cells.Nth(1).Locator(".next-hours-time")).ToHaveTextAsync("10:30");
            await Expect(cells.Nth(1).Locator(".next-hours-calls")).ToHaveTextAsync("60 calls");
            await Expect(cells.Nth(1)).ToHaveAttributeAsync("data-state", "red");
            await Expect(page.Locator(".agent[data-agent='Agent/1001'] .agent-figures")).ToContainTextAsync("%");
            // Twelve tiles, the strip and thirteen columns, and still no text under 18 px.
            var smallest = (await FontSizesAsync(page)).MinBy(text => text.Size)!;
            Assert.True(smallest.Size >= 18, $"'{smallest.Text}' ({smallest.Class}) is {smallest.Size} px");
            await ExpectFitsTheScreenAsync(page);
            await ScreenshotAsync(page, "supervisor-en-1920x1080.png");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
