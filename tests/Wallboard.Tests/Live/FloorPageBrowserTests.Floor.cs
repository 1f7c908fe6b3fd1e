using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Wallboard.Hub.Live.Screens;
using static Microsoft.Playwright.Assertions;

namespace Wallboard.Tests.Live;

/// <summary>
/// The floor screens as a floor manager reads them from five metres: 210 agents on a 1080p screen
/// with no text under 18 px and the key figures over 72 px, the same board twice the size at 4K,
/// exceptions first, pages by team, the waiting calls, colours only where a threshold is near or
/// crossed, the outbound board of the demo, and a rotation.
/// </summary>
public sealed partial class FloorPageBrowserTests
{
    /// <summary>Everything on the board that shows text: figures, labels, names, times.</summary>
    private const string TextSelectors =
        ".tile-name, .tile-window, .tile-figure, .target-text, .panel-title, .queue-table th, .queue-table td, "
        + ".waiting-position, .waiting-queue, .waiting-wait, .waiting-more, .agent-count-label, .agent-count-value, .agent-page, .agent-key, "
        + ".agent-name, .agent-time, .agent-detail, .agent-figures, #connection, #clock, #board-name";

    /// <summary>The neutral background of a tile inside its target, and the red of one past its threshold (web/css/wallboard.css).</summary>
    private const string NeutralTile = "rgb(26, 36, 56)";
    private const string RedTile = "rgb(220, 38, 38)";

    [Fact]
    public async Task TwoHundredAgentsFitA1080pScreenWithNoTextUnder18PixelsAndTwiceTheSizeAt4K()
    {
        var folder = Directory.CreateTempSubdirectory("wallboard-big-floor-").FullName;
        try
        {
            await using var server = await StartBigFloorAsync(folder, ("inbound-floor.json", RepositoryDashboard("inbound-floor")));
            var hd = await OpenAsync(server, "zh-CN", 1920, 1080, clock: true, frozen: true);
            var uhd = await OpenAsync(server, "zh-CN", 3840, 2160);

            foreach (var page in (IPage[])[hd, uhd])
            {
                // Every agent is counted in the header, whatever the page shows.
                await ExpectCountsAsync(page, ("ringing", 4), ("on_call", 100), ("wrap_up", 10), ("paused", 30), ("available", 66));
                await ExpectFitsTheScreenAsync(page);
            }

            // No text under 18 px at 1080p; the three key figures over 72 px.
            var sizes = await FontSizesAsync(hd);
            var smallest = sizes.MinBy(text => text.Size)!;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"1080p: {sizes.Count} texts, smallest {smallest.Size} px ({smallest.Class} '{smallest.Text}')"));
            Assert.True(smallest.Size >= 18, $"'{smallest.Text}' ({smallest.Class}) is {smallest.Size} px");
            var agentTexts = sizes.Where(text => text.Class.StartsWith("agent-", StringComparison.Ordinal)).ToList();
            Assert.True(agentTexts.Count > 100, "the agent board shows too few texts");
            var keyFigures = (string[])["waiting", "longest-wait", "sl-last30"];
            var keySizes = new List<double>();
            foreach (var id in keyFigures)
            {
                var size = await FontSizeAsync(Tile(hd, id).Locator(".tile-figure"));
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"1080p: key figure {id} {size} px"));
                Assert.True(size >= 72, $"key figure {id} is {size} px");
                keySizes.Add(size);
            }

            // And they are the largest: every other figure of the board is smaller than the smallest of them.
            var otherFigures = await hd.Locator(".tile" + string.Concat(keyFigures.Select(id => $":not([data-tile='{id}'])")) + " .tile-figure")
                .EvaluateAllAsync<double[]>("figures => figures.map(f => parseFloat(getComputedStyle(f).fontSize))");
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"1080p: other figures {string.Join(", ", otherFigures)} px"));
            Assert.True(otherFigures.Length >= 4, "the board lost its other tiles");
            Assert.All(otherFigures, size => Assert.True(size < keySizes.Min(), $"a figure of {size} px is as large as a key figure ({keySizes.Min()} px)"));

            // Exceptions first, red before amber: 6 red (two long calls, a long wrap-up, two long breaks,
            // a phone ringing 40 s), then 8 amber; then the agents nearest a threshold, uncoloured; the
            // panel beside the queues does not page: its last cell counts the agents it leaves out.
            var levels = await hd.Locator("#agent-board .agent[data-agent]").EvaluateAllAsync<string[]>("cells => cells.map(c => c.dataset.level)");
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"1080p: {levels.Length} agent cells and a count of the others"));
            Assert.Equal([.. Enumerable.Repeat("red", 6), .. Enumerable.Repeat("amber", 8)], levels.Take(14));
            Assert.All(levels.Skip(14), level => Assert.Equal("none", level));
            // Their order holds from one second to the next (three on a call since 09:48 among them), so a
            // manager who found one finds it in the same place a second later.
            var pinned = await hd.Locator("#agent-board .agent[data-agent]").EvaluateAllAsync<string[]>("cells => cells.slice(0, 14).map(c => c.dataset.agent)");
            for (var second = 0; second < 3; second++)
            {
                await hd.Clock.RunForAsync(1000);
                Assert.Equal(pinned, await hd.Locator("#agent-board .agent[data-agent]").EvaluateAllAsync<string[]>("cells => cells.slice(0, 14).map(c => c.dataset.agent)"));
            }

            await Expect(hd.Locator("#agent-board .agent-more")).ToHaveTextAsync($"另有 {BigFloor.Agents - levels.Length} 名坐席");
            // Next after the exceptions: the two on "培训" (5 min of 60) come after pauses nearer their 10
            // minutes; the first uncoloured agent is the one nearest its amber: a 5-second ring (of 15 s).
            await Expect(hd.Locator("#agent-board .agent[data-agent]").Nth(14)).ToHaveAttributeAsync("data-status", "ringing");
            // Names from the directory, whole (not cut), with the time in state.
            var first = hd.Locator("#agent-board .agent").First;
            await Expect(first.Locator(".agent-name")).ToHaveTextAsync(new Regex("^[\u4e00-\u9fff]{2,3}$"));
            Assert.True(await hd.Locator(".agent-name").EvaluateAllAsync<bool>("names => names.every(n => n.scrollWidth <= n.clientWidth)"), "an agent's name is cut");

            // The waiting calls, longest first, with their position in their queue; waits coloured by
            // the longest-wait bands (amber from 30 s, red from 60 s); no caller number anywhere.
            var calls = hd.Locator(".waiting-call");
            await Expect(calls).ToHaveCountAsync(4);
            await Expect(calls.Nth(0)).ToHaveAttributeAsync("data-state", "red");
            await Expect(calls.Nth(0).Locator(".waiting-queue")).ToHaveTextAsync("客服热线");
            await Expect(calls.Nth(0).Locator(".waiting-position")).ToHaveTextAsync("第1位");
            await Expect(calls.Nth(1)).ToHaveAttributeAsync("data-state", "amber");
            await Expect(calls.Nth(2)).ToHaveAttributeAsync("data-state", "none");
            await Expect(calls.Nth(3).Locator(".waiting-queue")).ToHaveTextAsync("销售热线");
            await Expect(hd.Locator("#waiting-title")).ToContainTextAsync("4");
            await Expect(hd.Locator("body")).Not.ToContainTextAsync(BigFloor.CallerNumber);

            // Each table cell by its own bands: support's longest wait (70 s) red by the default bands,
            // its calls waiting (3) amber by the tile's; figures without bands stay plain.
            await Expect(Cell(hd, "support", "longest_wait_seconds")).ToHaveAttributeAsync("data-state", "red");
            await Expect(Cell(hd, "support", "calls_waiting")).ToHaveAttributeAsync("data-state", "amber");
            await Expect(Cell(hd, "support", "agents_staffed")).ToHaveTextAsync(new Regex("^[0-9]+$"));
            await Expect(Cell(hd, "support", "agents_staffed")).ToHaveAttributeAsync("data-state", "none");

            // Calm: a tile inside its target is neutral; only the tile past its threshold is red.
            await Expect(Tile(hd, "abandon-rate-60")).ToHaveAttributeAsync("data-state", "green");
            await Expect(Tile(hd, "abandon-rate-60")).ToHaveCSSAsync("background-color", NeutralTile);
            await Expect(Tile(hd, "longest-wait")).ToHaveCSSAsync("background-color", RedTile);

            await ExpectGlossaryLabelsAsync(hd);
            await ExpectNoHeaderBreaksOffOneCharacterAsync(hd);
            await ScreenshotAsync(hd, "floor-zh-CN-1920x1080-210-agents.png");

            // 4K is the same board at twice the size: as many agents, every text twice as large.
            var uhdSizes = await FontSizesAsync(uhd);
            await Expect(uhd.Locator("#agent-board .agent[data-agent]")).ToHaveCountAsync(levels.Length);
            foreach (var selector in (string[])[".agent-name", ".tile-figure", ".queue-table td", ".waiting-wait"])
            {
                var ratio = uhdSizes.Where(text => Matches(text, selector)).Max(text => text.Size) / sizes.Where(text => Matches(text, selector)).Max(text => text.Size);
                Assert.InRange(ratio, 1.95, 2.05);
            }

            await ScreenshotAsync(uhd, "floor-zh-CN-3840x2160-210-agents.png");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task TheAgentsPageShowsTwoHundredAgentsATeamAtATimeAsRows()
    {
        var folder = Directory.CreateTempSubdirectory("wallboard-big-floor-").FullName;
        try
        {
            var agentsPage = RepositoryDashboard("floor-agents").Replace("\"team-outbound\"", "\"team-vip\"", StringComparison.Ordinal);
            await using var server = await StartBigFloorAsync(folder, ("floor-agents.json", agentsPage));
            var page = await OpenAsync(server, "en", 1920, 1080, dashboard: "floor-agents", clock: true, frozen: true);
            await ExpectCountsAsync(page, ("ringing", 4), ("on_call", 100), ("wrap_up", 10), ("paused", 30), ("available", 66));
            await ExpectFitsTheScreenAsync(page);

            // All 210 do not fit even as rows; the teams come in the layout's order, sales first.
            await Expect(page.Locator("#agent-board")).ToHaveAttributeAsync("data-density", "row");
            await Expect(page.Locator(".agent-page")).ToHaveTextAsync(new Regex("^销售组 · 1/[23]$"));
            var state = server.Service<LiveBroadcaster>().StateOf("floor-agents")!;
            var salesAgents = state.Agents.Count(agent => agent.Team == "team-sales");
            var cells = await page.Locator("#agent-board .agent").CountAsync();
            // The 14 exceptions (of all teams), then the sales team's other agents.
            var salesExceptions = await page.Locator("#agent-board .agent:not([data-level='none'])").EvaluateAllAsync<int>(
                "cells => cells.length");
            Assert.Equal(14, salesExceptions);
            Assert.InRange(cells, 14 + 50, 14 + salesAgents);

            var sizes = await FontSizesAsync(page);
            var smallest = sizes.MinBy(text => text.Size)!;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"agents page 1080p: {cells} cells, smallest text {smallest.Size} px ({smallest.Class})"));
            Assert.True(smallest.Size >= 18, $"'{smallest.Text}' ({smallest.Class}) is {smallest.Size} px");
            await ScreenshotAsync(page, "agents-en-1920x1080-210-agents.png");

            // Ten seconds on, the next team (with VIP too, when both fit on a page).
            await page.Clock.RunForAsync(10_000);
            await Expect(page.Locator(".agent-page")).ToHaveTextAsync(new Regex("^客服组(、VIP 组)? · 2/[23]$"));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>
    /// The demo as <c>dotnet run --project src/Hub</c> starts it (the simulated centre from 09:30, its
    /// directory), run for twenty minutes of the test's clock.
    /// </summary>
    [Fact]
    public async Task TheOutboundBoardShowsItsAgentsWithAttemptsConnectsAndConversionsInTheDemo()
    {
        await using var server = await LiveServer.StartAsync(
            new Dictionary<string, string> { ["Web:Path"] = Path.Combine(RepositoryPaths.RepositoryRoot, "web"), ["Sources:Demo"] = "true" },
            ("outbound-sales.json", RepositoryDashboard("outbound-sales")),
            ("inbound-floor.json", RepositoryDashboard("inbound-floor")));
        var broadcaster = server.Service<LiveBroadcaster>();
        // The demo releases each event when the (fake) clock reaches it. Once it runs (its first agents
        // have logged in), twenty minutes on, the events of those minutes come as fast as the core
        // takes them; tick until the outbound team has dialled.
        await WhenAsync(server, () => server.Service<Wallboard.Hub.Hosting.MetricsCore>().Latest.Agents.Count > 0);
        server.Time.Advance(TimeSpan.FromMinutes(20));
        await WhenAsync(server, () => broadcaster.StateOf("outbound-sales")!.Agents.Sum(agent => agent.Attempts) > 20);
        var agents = broadcaster.StateOf("outbound-sales")!.Agents;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"demo outbound board: {agents.Count} agents, {agents.Sum(a => a.Attempts)} attempts, {agents.Sum(a => a.Connected)} connected, {agents.Sum(a => a.Conversions)} conversions"));
        Assert.All(agents, agent => Assert.Equal("team-outbound", agent.Team));

        var page = await OpenAsync(server, "zh-CN", 1920, 1080, dashboard: "outbound-sales");
        var cells = page.Locator("#agent-board .agent");
        await Expect(cells).ToHaveCountAsync(agents.Count);
        Assert.True(agents.Count >= 10, $"only {agents.Count} outbound agents on the board");
        // Each agent by name, with today's attempts · connected · conversions, as the header says.
        await Expect(page.Locator(".agent-key")).ToHaveTextAsync("今日：外呼次数 · 接通数 · 转化数");
        var busiest = agents.MaxBy(agent => agent.Attempts)!;
        var cell = page.Locator($".agent[data-agent='{busiest.Agent}']");
        await Expect(cell.Locator(".agent-name")).ToHaveTextAsync(busiest.Name);
        Assert.DoesNotContain("/", busiest.Name, StringComparison.Ordinal);
        await Expect(cell.Locator(".agent-figures")).ToHaveTextAsync($"{busiest.Attempts} · {busiest.Connected} · {busiest.Conversions}");
        await ExpectFitsTheScreenAsync(page);
        await ScreenshotAsync(page, "outbound-zh-CN-1920x1080-demo.png");

        var floor = await OpenAsync(server, "zh-CN", 1920, 1080);
        await Expect(floor.Locator("#agent-board .agent").First).ToBeVisibleAsync();
        await ExpectFitsTheScreenAsync(floor);
        await ScreenshotAsync(floor, "floor-zh-CN-1920x1080-demo.png");
    }

    [Fact]
    public async Task ARotationShowsItsPagesInTurn()
    {
        const string Wall = """{ "id": "wall", "name": "Wall", "rotation": { "seconds": 5, "pages": ["inbound-floor", "gone", "outbound-sales"] } }""";
        await using var server = await LiveServer.StartAsync(
            new Dictionary<string, string> { ["Web:Path"] = Path.Combine(RepositoryPaths.RepositoryRoot, "web") },
            ("wall.json", Wall),
            ("inbound-floor.json", RepositoryDashboard("inbound-floor")),
            ("outbound-sales.json", RepositoryDashboard("outbound-sales")));
        var page = await NewPageAsync("en", 1920, 1080, clock: true);
        await page.GotoAsync(new Uri(server.BaseAddress, "?dashboard=wall&lang=en").ToString());

        var name = page.Locator("#board-name");
        var dots = page.Locator(".rotation-dot");
        await Expect(name).ToHaveTextAsync("Inbound service floor");
        await Expect(dots).ToHaveCountAsync(3);
        await Expect(dots.Nth(0)).ToHaveAttributeAsync("aria-current", "page");

        // Five seconds on: the page that is no dashboard is skipped, the outbound floor follows.
        await page.Clock.RunForAsync(5000);
        await Expect(name).ToHaveTextAsync("Outbound sales floor");
        await Expect(dots.Nth(2)).ToHaveAttributeAsync("aria-current", "page");
        await Expect(page.Locator(".tile")).ToHaveCountAsync(8);
        await Expect(page.Locator("body")).ToHaveAttributeAsync("data-connection", "live");

        // And round again, the rotation read anew on the way.
        await page.Clock.RunForAsync(5000);
        await Expect(name).ToHaveTextAsync("Inbound service floor");
        await Expect(page.Locator("#queues-panel")).ToBeVisibleAsync();
    }

    private static Task<LiveServer> StartBigFloorAsync(string folder, params (string File, string Json)[] dashboards)
    {
        var directory = Path.Combine(folder, "directory.json");
        File.WriteAllText(directory, BigFloor.Directory());
        return StartAndPostAsync();

        async Task<LiveServer> StartAndPostAsync()
        {
            var server = await LiveServer.StartAsync(
                new Dictionary<string, string>
                {
                    ["Web:Path"] = Path.Combine(RepositoryPaths.RepositoryRoot, "web"),
                    ["Access:Viewer:0"] = ViewerKey,
                    ["Access:Ingest:0"] = IngestKey,
                    ["Directory:Path"] = directory,
                },
                dashboards);
            await BigFloor.PostAsync(server, IngestKey);
            return server;
        }
    }

    /// <summary>Ticks the server until <paramref name="condition"/> holds (a background feed has caught up), for at most the expect timeout.</summary>
    private static async Task WhenAsync(LiveServer server, Func<bool> condition)
    {
        var started = TimeProvider.System.GetTimestamp();
        while (true)
        {
            await server.TickAsync();
            if (condition())
            {
                return;
            }

            Assert.True(TimeProvider.System.GetElapsedTime(started).TotalMilliseconds < ExpectTimeoutMs, "the condition did not come true in time: " + server.Service<Wallboard.Hub.Hosting.MetricsCore>().Latest.Agents.Count + " agents, " + server.Service<Wallboard.Hub.Hosting.MetricsCore>().Latest.Campaigns.Count + " campaigns");
            await Task.Delay(TimeSpan.FromMilliseconds(50), TimeProvider.System);
        }
    }

    private static ILocator Cell(IPage page, string queue, string kpi) => page.Locator($"tr[data-queue='{queue}'] td[data-kpi='{kpi}']");

    private static async Task ExpectCountsAsync(IPage page, params (string Status, int Count)[] counts)
    {
        foreach (var (status, count) in counts)
        {
            await Expect(page.Locator($".agent-count[data-status='{status}'] .agent-count-value")).ToHaveTextAsync(count.ToString(CultureInfo.InvariantCulture));
        }
    }

    /// <summary>No scrolling, and every tile, panel and agent cell wholly on the screen.</summary>
    private static async Task ExpectFitsTheScreenAsync(IPage page)
    {
        var fit = await page.EvaluateAsync<int[]>(
            "() => [document.scrollingElement.scrollHeight, window.innerHeight, document.scrollingElement.scrollWidth, window.innerWidth]");
        Assert.True(fit[0] <= fit[1], $"the page scrolls vertically: {fit[0]} > {fit[1]}");
        Assert.True(fit[2] <= fit[3], $"the page scrolls horizontally: {fit[2]} > {fit[3]}");
        var outside = await page.EvaluateAsync<string[]>("""
            () => {
              const board = document.querySelector('#agent-board').getBoundingClientRect();
              const bad = [];
              for (const el of document.querySelectorAll('.tile, .panel, .agent, .waiting-call')) {
                const r = el.getBoundingClientRect();
                if (r.bottom > innerHeight + 0.5 || r.right > innerWidth + 0.5) bad.push(el.className + ' off the screen');
                if (el.classList.contains('agent') && (r.bottom > board.bottom + 0.5 || r.right > board.right + 0.5)) bad.push('agent ' + el.dataset.agent + ' outside the board');
              }
              // A tile's figure and title stay inside it (a long figure shrinks, it never pushes the title out).
              for (const tile of document.querySelectorAll('.tile')) {
                if (tile.scrollWidth > tile.clientWidth + 1) bad.push('tile ' + tile.dataset.tile + ' overflows');
              }
              for (const list of document.querySelectorAll('.waiting-list, .queue-table-wrap')) {
                if (list.scrollHeight > list.clientHeight + 1 || list.scrollWidth > list.clientWidth + 1) bad.push(list.className + ' overflows');
              }
              return bad;
            }
            """);
        Assert.Empty(outside);
    }

    private sealed record TextSize(string Class, string Text, double Size);

    private static async Task<List<TextSize>> FontSizesAsync(IPage page)
    {
        var json = await page.EvaluateAsync<JsonElement>("""
            (selectors) => [...document.querySelectorAll(selectors)]
              .filter((el) => el.checkVisibility() && el.textContent.trim() !== '')
              .map((el) => ({ class: el.className || el.id || el.tagName, text: el.textContent.trim().slice(0, 40), size: parseFloat(getComputedStyle(el).fontSize) }))
            """, TextSelectors);
        return [.. json.EnumerateArray().Select(text => new TextSize(text.GetProperty("class").GetString()!, text.GetProperty("text").GetString()!, text.GetProperty("size").GetDouble()))];
    }

    private static Task<double> FontSizeAsync(ILocator locator) =>
        locator.EvaluateAsync<double>("el => parseFloat(getComputedStyle(el).fontSize)");

    private static bool Matches(TextSize text, string selector) => selector switch
    {
        ".queue-table td" => text.Class.Length == 0 || text.Class == "TD",
        _ => text.Class.Split(' ').Contains(selector.TrimStart('.')),
    };

    /// <summary>The page's own labels in Chinese are the glossary's words, not words of its own.</summary>
    private static async Task ExpectGlossaryLabelsAsync(IPage page)
    {
        var glossary = Wallboard.Reports.Glossary.Product;
        var words = glossary.Keys.Select(key => glossary.Text(key, "zh-CN")).ToHashSet(StringComparer.Ordinal);
        var labels = await page.Locator(".queue-table thead th, .tile-name, .tile-window, .agent-count-label, #queues-title, #agents-title, #connection")
            .EvaluateAllAsync<string[]>("els => els.map(el => el.textContent.trim())");
        Assert.True(labels.Length > 20);
        Assert.All(labels, label => Assert.True(words.Contains(label), $"'{label}' is not a glossary entry"));
    }

    /// <summary>A header that wraps never leaves one Chinese character on a line of its own (平均应答速/度).</summary>
    private static async Task ExpectNoHeaderBreaksOffOneCharacterAsync(IPage page)
    {
        var orphans = await page.EvaluateAsync<string[]>("""
            () => {
              const orphans = [];
              for (const th of document.querySelectorAll('.queue-table thead th')) {
                const text = th.firstChild;
                if (!text || text.length < 2) continue;
                const lines = new Map();
                for (let i = 0; i < text.length; i++) {
                  const range = document.createRange();
                  range.setStart(text, i);
                  range.setEnd(text, i + 1);
                  const top = Math.round(range.getBoundingClientRect().top);
                  lines.set(top, (lines.get(top) ?? '') + text.data[i]);
                }
                for (const line of lines.values()) if (line.trim().length === 1) orphans.push(th.textContent);
              }
              return orphans;
            }
            """);
        Assert.Empty(orphans);
    }
}
