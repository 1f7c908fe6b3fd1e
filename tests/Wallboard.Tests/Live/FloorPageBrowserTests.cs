using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Wallboard.Tests.Live;

/// <summary>
/// The floor page (web/) in real headless Chromium against the real server: queue_log lines
/// posted to ingest reach the tiles with the figures worked out by hand, a tile turns red when it
/// crosses its threshold, the page says it is stale when the server goes away, and the board
/// fills a Full HD and a 4K screen without scrolling. Screenshots go to TestResults/screenshots/.
/// </summary>
public sealed partial class FloorPageBrowserTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>, IAsyncLifetime
{
    /// <summary>The pushes come every second; a loaded CI machine may take a few.</summary>
    private const float ExpectTimeoutMs = 20_000;

    private static readonly string ScreenshotFolder = Path.Combine(RepositoryPaths.RepositoryRoot, "TestResults", "screenshots");

    /// <summary>A caller number the server must never let through to a screen.</summary>
    private const string CallerNumber = "13800138000";

    static FloorPageBrowserTests() => SetDefaultExpectTimeout(ExpectTimeoutMs);

    /// <summary>This test's browser contexts, closed after it so no page keeps reconnecting to a stopped server.</summary>
    private readonly List<IBrowserContext> _contexts = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var context in _contexts)
        {
            await context.CloseAsync();
        }
    }

    [Fact]
    public async Task TilesShowPostedCallsTurnRedOverThresholdAndGoStaleWhenTheServerStops()
    {
        await using var server = await BrowserTestServer.StartAsync();
        var page = await OpenAsync(server, "inbound-floor", "zh-CN", 1920, 1080);

        await server.PostQueueLogAsync(FloorScenario(Now()));

        // Offered today 4; service level today 3 / 4 = 75 % (amber: at most 80 %, above 70 %);
        // ASA (5 + 10 + 15 + 40) / 4 = 17.5 s, shown 0:18; calls waiting 2 (green: below 3);
        // agents available 1 (amber: at most 2).
        var waiting = Tile(page, "waiting");
        await Expect(waiting.Locator(".tile-value")).ToHaveTextAsync("2");
        await Expect(waiting).ToHaveAttributeAsync("data-state", "green");
        var serviceLevel = Tile(page, "sl-today");
        await Expect(serviceLevel.Locator(".tile-value")).ToHaveTextAsync("75%");
        await Expect(serviceLevel).ToHaveAttributeAsync("data-state", "amber");
        await Expect(serviceLevel.Locator(".target-text")).ToHaveTextAsync("目标 80%");
        await Expect(Tile(page, "offered-today").Locator(".tile-value")).ToHaveTextAsync("4");
        await Expect(Tile(page, "asa-today").Locator(".tile-value")).ToHaveTextAsync("0:18");
        await Expect(page.Locator("tr[data-queue='support'] td[data-kpi='asa_seconds']")).ToHaveTextAsync("0:18");
        await Expect(Tile(page, "agents-available")).ToHaveAttributeAsync("data-state", "amber");

        // The agent board: 王芳 answered c1 and c3 and is free again; 李娜 finished c2 and is on c4.
        var wang = page.Locator(".agent[data-agent='Agent/1001']");
        await Expect(wang).ToHaveAttributeAsync("data-status", "available");
        await Expect(wang.Locator(".agent-name")).ToHaveTextAsync("王芳");
        await Expect(wang.Locator(".agent-handled")).ToHaveTextAsync("2 通");
        var li = page.Locator(".agent[data-agent='Agent/1002']");
        await Expect(li).ToHaveAttributeAsync("data-status", "on_call");
        await Expect(li.Locator(".agent-status")).ToHaveTextAsync("通话中");
        await Expect(li.Locator(".agent-handled")).ToHaveTextAsync("1 通");
        // Time in state counts up in the browser between pushes (李娜 has been on c4 for 20 s).
        await Expect(li.Locator(".agent-time")).ToHaveTextAsync(new Regex("^0:[2-5][0-9]$"));

        // Four more callers queue: 6 waiting is the red threshold, and the tile flashes.
        await server.PostQueueLogAsync([Enter(Now(), "c7"), Enter(Now(), "c8"), Enter(Now(), "c9"), Enter(Now(), "c10")]);
        await Expect(waiting.Locator(".tile-value")).ToHaveTextAsync("6");
        await Expect(waiting).ToHaveAttributeAsync("data-state", "red");
        await Expect(waiting).ToHaveClassAsync(FlashClass());
        await Expect(page.Locator("tr[data-queue='support'] td[data-kpi='calls_waiting']")).ToHaveTextAsync("6");
        await Expect(page.Locator("tr[data-queue='support'] td[data-kpi='calls_waiting']")).ToHaveAttributeAsync("data-state", "red");

        // The callers' numbers were in the ENTERQUEUE lines; they must not reach the screen.
        await Expect(page.Locator("body")).Not.ToContainTextAsync(CallerNumber);
        // The flash is over after three seconds; the picture shows the board, not the flash.
        await Expect(waiting).Not.ToHaveClassAsync(FlashClass());
        await ScreenshotAsync(page, "floor-zh-CN-1920x1080-live.png");

        await server.StopAsync();
        await Expect(page.Locator("body")).ToHaveAttributeAsync("data-connection", "reconnecting");
        await Expect(page.Locator("#stale-banner")).ToBeVisibleAsync();
        await Expect(page.Locator("#stale-banner")).ToContainTextAsync("数据已过时");
        await Expect(page.Locator("#connection")).ToHaveTextAsync("正在重新连接…");
        // The last figures stay on screen (greyed out), rather than a blank board.
        await Expect(waiting.Locator(".tile-value")).ToHaveTextAsync("6");
        await ScreenshotAsync(page, "floor-zh-CN-1920x1080-stale.png");
    }

    [Fact]
    public async Task PageComesBackWithTheFullStateWhenTheServerReturns()
    {
        var server = await BrowserTestServer.StartAsync();
        var port = server.Address.Port;
        IPage page;
        try
        {
            await server.PostQueueLogAsync(FloorScenario(Now()));
            page = await OpenAsync(server, "inbound-floor", "en", 1920, 1080);
            await Expect(Tile(page, "waiting").Locator(".tile-value")).ToHaveTextAsync("2");
        }
        finally
        {
            await server.DisposeAsync();
        }

        await Expect(page.Locator("body")).ToHaveAttributeAsync("data-connection", "reconnecting");
        await Expect(page.Locator("#stale-banner")).ToContainTextAsync("figures are stale");

        // A restarted server knows nothing yet: after the reconnection the page joins again and
        // shows the new server's full state (no calls waiting), not the figures from before.
        await using var restarted = await BrowserTestServer.StartAsync(port);
        await Expect(page.Locator("#connection")).ToHaveAttributeAsync("data-state", "live");
        await Expect(page.Locator("#stale-banner")).ToBeHiddenAsync();
        await Expect(Tile(page, "waiting").Locator(".tile-value")).ToHaveTextAsync("0");
        await Expect(page.Locator(".agent")).ToHaveCountAsync(0);

        // And it is in the dashboard's group again: pushes arrive.
        await restarted.PostQueueLogAsync([Enter(Now(), "n1")]);
        await Expect(Tile(page, "waiting").Locator(".tile-value")).ToHaveTextAsync("1");
    }

    [Fact]
    public async Task PageWithAWrongKeySaysSoAndShowsNothing()
    {
        await using var server = await BrowserTestServer.StartAsync();
        var page = await NewPageAsync("en", 1920, 1080);
        await page.GotoAsync(server.FloorPage("inbound-floor", "en", key: "not-the-viewer-key-at-all").ToString());
        await Expect(page.Locator("body")).ToHaveAttributeAsync("data-connection", "unauthorized");
        await Expect(page.Locator("#stale-banner")).ToContainTextAsync("refused this screen's key");
        await Expect(page.Locator(".tile")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task PageRedrawsWhenTheDashboardFileChanges()
    {
        var folder = Directory.CreateTempSubdirectory("wallboard-dashboards-");
        try
        {
            var file = Path.Combine(folder.FullName, "inbound-floor.json");
            var original = await File.ReadAllTextAsync(Path.Combine(RepositoryPaths.RepositoryRoot, "dashboards", "inbound-floor.json"));
            await File.WriteAllTextAsync(file, original);
            await using var server = await BrowserTestServer.StartAsync(0, $"--Dashboards:Path={folder.FullName}", "--Dashboards:PollSeconds=0.2");
            var page = await OpenAsync(server, "inbound-floor", "zh-CN", 1920, 1080);
            await Expect(page.Locator("#board-name")).ToHaveTextAsync("呼入服务大厅");
            await Expect(page.Locator(".tile")).ToHaveCountAsync(8);

            // The night shift drops the "offered today" tile and renames the board.
            using var layout = JsonDocument.Parse(original);
            var changed = JsonSerializer.SerializeToNode(layout.RootElement)!.AsObject();
            changed["name"]!["zh-CN"] = "呼入服务大厅（夜班）";
            var tiles = changed["tiles"]!.AsArray();
            tiles.Remove(tiles.Single(tile => (string?)tile!["id"] == "offered-today"));
            await File.WriteAllTextAsync(file, changed.ToJsonString());

            await Expect(page.Locator("#board-name")).ToHaveTextAsync("呼入服务大厅（夜班）");
            await Expect(page.Locator(".tile")).ToHaveCountAsync(7);
            await Expect(Tile(page, "offered-today")).ToHaveCountAsync(0);
            await Expect(Tile(page, "waiting").Locator(".tile-value")).ToHaveTextAsync("0");
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Theory]
    [InlineData(1920, 1080)]
    [InlineData(3840, 2160)]
    public async Task BoardFillsTheScreenWithoutScrolling(int width, int height)
    {
        await using var server = await BrowserTestServer.StartAsync();
        await server.PostQueueLogAsync(FloorScenario(Now()));
        var page = await OpenAsync(server, "inbound-floor", "zh-CN", width, height);
        await Expect(Tile(page, "offered-today").Locator(".tile-value")).ToHaveTextAsync("4");
        await Expect(page.Locator(".agent")).ToHaveCountAsync(3);
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "zh-CN");

        var fit = await page.EvaluateAsync<int[]>(
            "() => [document.scrollingElement.scrollHeight, window.innerHeight, document.scrollingElement.scrollWidth, window.innerWidth]");
        Assert.True(fit[0] <= fit[1], $"the page scrolls vertically: {fit[0]} > {fit[1]}");
        Assert.True(fit[2] <= fit[3], $"the page scrolls horizontally: {fit[2]} > {fit[3]}");

        // Every tile and agent card lies on the screen in full.
        foreach (var element in await page.Locator(".tile, .agent").AllAsync())
        {
            var box = await element.BoundingBoxAsync();
            Assert.NotNull(box);
            Assert.True(box.Y + box.Height <= height && box.X + box.Width <= width, "an element lies outside the screen");
        }

        await ScreenshotAsync(page, string.Create(CultureInfo.InvariantCulture, $"floor-zh-CN-{width}x{height}.png"));
    }

    /// <summary>
    /// Three agents log in an hour ago. In support, four calls are answered after 5, 10, 15 and
    /// 40 s: 王芳 (Agent/1001) takes c1 and c3 and completes both, 李娜 (Agent/1002) completes c2
    /// and is still on c4; two more callers (c5, c6) are waiting. 张伟 (Agent/2001, sales) is
    /// paused for training. Lines go out in time order, as a PBX writes them.
    /// </summary>
    private static string[] FloorScenario(long now)
    {
        string[][] lines =
        [
            [Member(now - 3600, "support", "Agent/1001")],
            [Member(now - 3600, "support", "Agent/1002")],
            [Member(now - 3600, "sales", "Agent/2001")],
            Answered(now - 70, "c1", "Agent/1001", wait: 5, talk: 5),
            Answered(now - 70, "c2", "Agent/1002", wait: 10, talk: 10),
            Answered(now - 60, "c3", "Agent/1001", wait: 15, talk: 10),
            Answered(now - 60, "c4", "Agent/1002", wait: 40, talk: null),
            [Enter(now - 10, "c5")],
            [Enter(now - 10, "c6")],
            [string.Create(CultureInfo.InvariantCulture, $"{now - 300}|NONE|sales|Agent/2001|PAUSE|培训")],
        ];
        return [.. lines.SelectMany(call => call).OrderBy(TimeOf)];
    }

    private static long TimeOf(string line) =>
        long.Parse(line.AsSpan(0, line.IndexOf('|', StringComparison.Ordinal)), CultureInfo.InvariantCulture);

    private async Task<IPage> NewPageAsync(string lang, int width, int height)
    {
        var context = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = width, Height = height },
            Locale = lang,
            TimezoneId = "Asia/Shanghai",
        });
        _contexts.Add(context);
        return await context.NewPageAsync();
    }

    private async Task<IPage> OpenAsync(BrowserTestServer server, string dashboard, string lang, int width, int height)
    {
        var page = await NewPageAsync(lang, width, height);
        await page.GotoAsync(server.FloorPage(dashboard, lang).ToString());
        await Expect(page.Locator("#connection")).ToHaveAttributeAsync("data-state", "live");
        return page;
    }

    private static ILocator Tile(IPage page, string id) => page.Locator($"[data-tile='{id}']");

    private static async Task ScreenshotAsync(IPage page, string name)
    {
        Directory.CreateDirectory(ScreenshotFolder);
        // Stop the ticker and the flash mid-way so the picture shows the board, not motion blur.
        await page.AddStyleTagAsync(new PageAddStyleTagOptions { Content = "*, *::before { animation-play-state: paused !important; }" });
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotFolder, name) });
    }

    private static long Now() => DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    private static string Member(long at, string queue, string agent) =>
        string.Create(CultureInfo.InvariantCulture, $"{at}|NONE|{queue}|{agent}|ADDMEMBER|");

    /// <summary>A caller entering a queue (Asterisk queue_log: url, caller id, position).</summary>
    private static string Enter(long at, string call, string queue = "support") =>
        string.Create(CultureInfo.InvariantCulture, $"{at}|{call}|{queue}|NONE|ENTERQUEUE||{CallerNumber}|1");

    /// <summary>A call that enters at <paramref name="at"/>, is answered after <paramref name="wait"/> seconds and, with a talk time, completes.</summary>
    private static string[] Answered(long at, string call, string agent, int wait, int? talk, string queue = "support") =>
    [
        Enter(at, call, queue),
        string.Create(CultureInfo.InvariantCulture, $"{at + wait}|{call}|{queue}|{agent}|CONNECT|{wait}|{call}.1|3"),
        .. talk is { } t
            ? [string.Create(CultureInfo.InvariantCulture, $"{at + wait + t}|{call}|{queue}|{agent}|COMPLETECALLER|{wait}|{t}|1")]
            : Array.Empty<string>(),
    ];

    [GeneratedRegex(@"\bflash\b")]
    private static partial Regex FlashClass();
}
