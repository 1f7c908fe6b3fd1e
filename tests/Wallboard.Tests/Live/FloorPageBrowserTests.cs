using System.Globalization;
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
public sealed partial class FloorPageBrowserTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>
{
    /// <summary>The pushes come every second; a loaded CI machine may take a few.</summary>
    private const float ExpectTimeoutMs = 20_000;

    private static readonly string ScreenshotFolder = Path.Combine(RepositoryPaths.RepositoryRoot, "TestResults", "screenshots");

    /// <summary>A caller number the server must never let through to a screen.</summary>
    private const string CallerNumber = "13800138000";

    static FloorPageBrowserTests() => SetDefaultExpectTimeout(ExpectTimeoutMs);

    [Fact]
    public async Task TilesShowPostedCallsTurnRedOverThresholdAndGoStaleWhenTheServerStops()
    {
        await using var server = await BrowserTestServer.StartAsync();
        var page = await OpenAsync(server, "inbound-floor", "zh-CN", 1920, 1080);

        // Four calls answered in the support queue after waits of 5, 10, 15 and 40 s (service
        // level threshold 20 s), and two calls still waiting:
        //   offered today = 4; service level today = 3 / 4 = 75 % (amber: at most 80 %, above 70 %);
        //   calls waiting = 2 (green: below 3).
        var now = Now();
        await server.PostQueueLogAsync(
        [
            .. Answered(now - 60, "c1", "Agent/1001", wait: 5),
            .. Answered(now - 60, "c2", "Agent/1002", wait: 10),
            .. Answered(now - 60, "c3", "Agent/1001", wait: 15),
            .. Answered(now - 60, "c4", "Agent/1002", wait: 40),
            Enter(now - 10, "c5"),
            Enter(now - 10, "c6"),
        ]);

        var waiting = Tile(page, "waiting");
        await Expect(waiting.Locator(".tile-value")).ToHaveTextAsync("2");
        await Expect(waiting).ToHaveAttributeAsync("data-state", "green");
        var serviceLevel = Tile(page, "sl-today");
        await Expect(serviceLevel.Locator(".tile-value")).ToHaveTextAsync("75%");
        await Expect(serviceLevel).ToHaveAttributeAsync("data-state", "amber");
        await Expect(serviceLevel.Locator(".target-text")).ToHaveTextAsync("目标 80%");
        await Expect(Tile(page, "offered-today").Locator(".tile-value")).ToHaveTextAsync("4");

        // Four more callers queue: 6 waiting is the red threshold, and the tile flashes.
        await server.PostQueueLogAsync([Enter(now, "c7"), Enter(now, "c8"), Enter(now, "c9"), Enter(now, "c10")]);
        await Expect(waiting.Locator(".tile-value")).ToHaveTextAsync("6");
        await Expect(waiting).ToHaveAttributeAsync("data-state", "red");
        await Expect(waiting).ToHaveClassAsync(FlashClass());
        await Expect(page.Locator("tr[data-queue='support'] td[data-kpi='calls_waiting']")).ToHaveTextAsync("6");

        // The callers' numbers were in the ENTERQUEUE lines; they must not reach the screen.
        await Expect(page.Locator("body")).Not.ToContainTextAsync(CallerNumber);
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

    [Theory]
    [InlineData(1920, 1080)]
    [InlineData(3840, 2160)]
    public async Task BoardFillsTheScreenWithoutScrolling(int width, int height)
    {
        await using var server = await BrowserTestServer.StartAsync();
        var now = Now();
        await server.PostQueueLogAsync(
        [
            .. Answered(now - 120, "c1", "Agent/1001", wait: 8),
            .. Answered(now - 100, "c2", "Agent/2001", wait: 12, queue: "sales"),
            Enter(now - 30, "c3"),
            $"{now - 50}|NONE|support|Agent/1002|PAUSE|培训",
        ]);
        var page = await OpenAsync(server, "inbound-floor", "zh-CN", width, height);
        await Expect(Tile(page, "offered-today").Locator(".tile-value")).ToHaveTextAsync("2");
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "zh-CN");

        var fit = await page.EvaluateAsync<int[]>(
            "() => [document.scrollingElement.scrollHeight, window.innerHeight, document.scrollingElement.scrollWidth, window.innerWidth]");
        Assert.True(fit[0] <= fit[1], $"the page scrolls vertically: {fit[0]} > {fit[1]}");
        Assert.True(fit[2] <= fit[3], $"the page scrolls horizontally: {fit[2]} > {fit[3]}");

        // Every tile value is on screen in full: nothing clipped by a too-small box.
        foreach (var tile in await page.Locator(".tile").AllAsync())
        {
            var box = await tile.BoundingBoxAsync();
            Assert.NotNull(box);
            Assert.True(box.Y + box.Height <= height && box.X + box.Width <= width, "a tile lies outside the screen");
        }

        await ScreenshotAsync(page, string.Create(CultureInfo.InvariantCulture, $"floor-zh-CN-{width}x{height}.png"));
    }

    private async Task<IPage> OpenAsync(BrowserTestServer server, string dashboard, string lang, int width, int height)
    {
        var context = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = width, Height = height },
            Locale = lang,
            TimezoneId = "Asia/Shanghai",
        });
        var page = await context.NewPageAsync();
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

    /// <summary>A caller entering the support queue (Asterisk queue_log: url, caller id, position).</summary>
    private static string Enter(long at, string call, string queue = "support") =>
        string.Create(CultureInfo.InvariantCulture, $"{at}|{call}|{queue}|NONE|ENTERQUEUE||{CallerNumber}|1");

    /// <summary>A call that entered at <paramref name="at"/> and was answered after <paramref name="wait"/> seconds.</summary>
    private static string[] Answered(long at, string call, string agent, int wait, string queue = "support") =>
    [
        Enter(at, call, queue),
        string.Create(CultureInfo.InvariantCulture, $"{at + wait}|{call}|{queue}|{agent}|CONNECT|{wait}|{call}.1|3"),
    ];

    [GeneratedRegex(@"\bflash\b")]
    private static partial Regex FlashClass();
}
