using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Wallboard.Hub.Live.Dashboards;
using static Microsoft.Playwright.Assertions;

namespace Wallboard.Tests.Live;

/// <summary>
/// The floor page (web/) in real headless Chromium against the real server (<see cref="LiveServer"/>:
/// Kestrel on 127.0.0.1, fake clock, ticks driven by the test): queue_log lines posted to ingest
/// reach the tiles with the figures worked out by hand, a tile turns red when it crosses its
/// threshold, the page says it is stale when the server goes away and joins again when it is
/// back, and the board fills a Full HD and a 4K screen without scrolling. Screenshots go to
/// TestResults/screenshots/.
/// </summary>
public sealed partial class FloorPageBrowserTests(ChromiumFixture chromium, Xunit.Abstractions.ITestOutputHelper output) : IClassFixture<ChromiumFixture>, IAsyncLifetime
{
    /// <summary>Generous for a loaded CI machine; Playwright polls, so a pass takes milliseconds.</summary>
    private const float ExpectTimeoutMs = 20_000;

    /// <summary>A caller number the server must never let through to a screen.</summary>
    private const string CallerNumber = "13800138000";

    /// <summary>Keys of the test server (16 characters at least, as the server requires).</summary>
    private const string ViewerKey = "viewer-key-browser-test";
    private const string IngestKey = "ingest-key-browser-test";
    private const string SupervisorKey = "supervisor-key-browser-test";

    private const string Notice = "请注意：15:00 系统维护，高峰时段请暂缓小休。Maintenance at 15:00: please postpone breaks.";

    private static readonly string[] InboundFloor = ["inbound-floor"];

    /// <summary>This test's browser contexts, closed after it so no page keeps reconnecting to a stopped server.</summary>
    private readonly List<IBrowserContext> _contexts = [];

    static FloorPageBrowserTests() => SetDefaultExpectTimeout(ExpectTimeoutMs);

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
        await using var server = await StartServerAsync();
        var page = await OpenAsync(server, "zh-CN", 1920, 1080, clock: true);

        await PostAndTickAsync(server, FloorScenario());

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
        await Expect(wang.Locator(".agent-figures")).ToHaveTextAsync("2");
        var li = page.Locator(".agent[data-agent='Agent/1002']");
        await Expect(li).ToHaveAttributeAsync("data-status", "on_call");
        await Expect(li.Locator(".agent-detail")).ToHaveTextAsync("通话中 · support");
        await Expect(li.Locator(".agent-figures")).ToHaveTextAsync("1");
        // 李娜 has been on c4 for 20 s by the server's clock; the page counts up from there.
        await Expect(li.Locator(".agent-time")).ToHaveTextAsync(new Regex("^0:[2-5][0-9]$"));
        var zhang = page.Locator(".agent[data-agent='Agent/2001']");
        await Expect(zhang).ToHaveAttributeAsync("data-status", "paused");
        await Expect(zhang.Locator(".agent-detail")).ToHaveTextAsync("培训");

        // Four more callers queue: 6 waiting is the red threshold, and the tile flashes.
        await PostAndTickAsync(server, [Enter(0, "c7"), Enter(0, "c8"), Enter(0, "c9"), Enter(0, "c10")]);
        await Expect(waiting.Locator(".tile-value")).ToHaveTextAsync("6");
        await Expect(waiting).ToHaveAttributeAsync("data-state", "red");
        await Expect(waiting).ToHaveClassAsync(FlashClass());
        var waitingCell = page.Locator("tr[data-queue='support'] td[data-kpi='calls_waiting']");
        await Expect(waitingCell).ToHaveTextAsync("6");
        await Expect(waitingCell).ToHaveAttributeAsync("data-state", "red");

        // The callers' numbers were in the ENTERQUEUE lines; they must not reach the screen.
        await Expect(page.Locator("body")).Not.ToContainTextAsync(CallerNumber);
        // The flash is over after three seconds; the picture shows the board, not the flash.
        await Expect(waiting).Not.ToHaveClassAsync(FlashClass());
        await ScreenshotAsync(page, "floor-zh-CN-1920x1080-live.png");

        await server.App.StopAsync();
        await Expect(page.Locator("body")).ToHaveAttributeAsync("data-connection", "reconnecting");
        await Expect(page.Locator("#stale-banner")).ToBeVisibleAsync();
        await Expect(page.Locator("#stale-banner")).ToContainTextAsync("数据已过时");
        await Expect(page.Locator("#connection")).ToHaveTextAsync("正在重新连接…");
        // The last figures stay on screen (greyed out), rather than a blank board, and the board says
        // since when: the server's clock stood at 10:00 (Asia/Shanghai) when it went.
        await Expect(waiting.Locator(".tile-value")).ToHaveTextAsync("6");
        await Expect(page.Locator("#stale-since")).ToContainTextAsync(new Regex("^最后更新 10:00:[0-5][0-9]（"));
        // Time in state stops counting: after the tick that froze it, five more seconds on the page's
        // clock change nothing but the "ago".
        await page.Clock.RunForAsync(1000);
        var frozen = await li.Locator(".agent-time").TextContentAsync();
        await page.Clock.RunForAsync(5000);
        await Expect(page.Locator("#stale-since")).ToContainTextAsync(new Regex("（[5-9] 秒前）"));
        Assert.Equal(frozen, await li.Locator(".agent-time").TextContentAsync());
        await ScreenshotAsync(page, "floor-zh-CN-1920x1080-stale.png");
    }

    [Fact]
    public async Task PageComesBackWithTheFullStateWhenTheServerReturns()
    {
        IPage page;
        int port;
        await using (var server = await StartServerAsync())
        {
            port = server.BaseAddress.Port;
            await PostAndTickAsync(server, FloorScenario());
            page = await OpenAsync(server, "en", 1920, 1080);
            await Expect(Tile(page, "waiting").Locator(".tile-value")).ToHaveTextAsync("2");
        }

        await Expect(page.Locator("body")).ToHaveAttributeAsync("data-connection", "reconnecting");
        await Expect(page.Locator("#stale-banner")).ToContainTextAsync("figures are stale");

        // A restarted server knows nothing yet: after the reconnection the page joins again and
        // shows the new server's full state (no calls waiting, no agents), not the old figures.
        await using var restarted = await StartServerAsync(port);
        await Expect(page.Locator("#connection")).ToHaveAttributeAsync("data-state", "live");
        await Expect(page.Locator("#stale-banner")).ToBeHiddenAsync();
        await Expect(Tile(page, "waiting").Locator(".tile-value")).ToHaveTextAsync("0");
        await Expect(page.Locator(".agent")).ToHaveCountAsync(0);

        // And it is in the dashboard's group again: pushes arrive.
        await PostAndTickAsync(restarted, [Enter(0, "n1")]);
        await Expect(Tile(page, "waiting").Locator(".tile-value")).ToHaveTextAsync("1");
    }

    [Fact]
    public async Task BroadcastScrollsAlongTheBottomUntilItExpires()
    {
        await using var server = await StartServerAsync();
        var page = await OpenAsync(server, "zh-CN", 1920, 1080);
        var ticker = page.Locator("#ticker");
        await Expect(ticker).ToBeHiddenAsync();

        await BroadcastAsync(server, minutes: 10);
        await server.TickAsync();
        await Expect(ticker).ToBeVisibleAsync();
        await Expect(ticker).ToHaveAttributeAsync("data-severity", "warning");
        await Expect(page.Locator("#ticker-text")).ToHaveTextAsync(Notice);

        // Ten minutes on the server's clock it expires, and the server withdraws it.
        server.Time.Advance(TimeSpan.FromMinutes(10));
        await server.TickAsync();
        await Expect(ticker).ToBeHiddenAsync();
    }

    [Fact]
    public async Task PageWithAWrongKeySaysSoAndShowsNothing()
    {
        await using var server = await StartServerAsync();
        var page = await NewPageAsync("en", 1920, 1080);
        await page.GotoAsync(FloorPage(server, "en", "not-the-viewer-key-at-all"));
        await Expect(page.Locator("body")).ToHaveAttributeAsync("data-connection", "unauthorized");
        await Expect(page.Locator("#stale-banner")).ToContainTextAsync("refused this screen’s key");
        await Expect(page.Locator(".tile")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task PageRedrawsWhenTheDashboardFileChanges()
    {
        await using var server = await StartServerAsync();
        var page = await OpenAsync(server, "zh-CN", 1920, 1080);
        await Expect(page.Locator("#board-name")).ToHaveTextAsync("呼入服务大厅");
        await Expect(page.Locator(".tile")).ToHaveCountAsync(8);

        // The night shift drops the "offered today" tile and renames the board.
        var changed = JsonSerializer.SerializeToNode(JsonDocument.Parse(RepositoryDashboard("inbound-floor")).RootElement)!.AsObject();
        changed["name"]!["zh-CN"] = "呼入服务大厅（夜班）";
        var tiles = changed["tiles"]!.AsArray();
        tiles.Remove(tiles.Single(tile => (string?)tile!["id"] == "offered-today"));
        await File.WriteAllTextAsync(Path.Combine(server.DashboardFolder, "inbound-floor.json"), changed.ToJsonString());
        Assert.True(server.Service<DashboardCatalog>().Refresh());
        await server.TickAsync();

        await Expect(page.Locator("#board-name")).ToHaveTextAsync("呼入服务大厅（夜班）");
        await Expect(page.Locator(".tile")).ToHaveCountAsync(7);
        await Expect(Tile(page, "offered-today")).ToHaveCountAsync(0);
        await Expect(Tile(page, "waiting").Locator(".tile-value")).ToHaveTextAsync("0");
    }

    [Theory]
    [InlineData(1920, 1080, "en")]
    [InlineData(3840, 2160, "zh-CN")]
    public async Task BoardFillsTheScreenWithoutScrolling(int width, int height, string lang)
    {
        await using var server = await StartServerAsync();
        await PostAndTickAsync(server, FloorScenario());
        await BroadcastAsync(server, minutes: 30);
        await server.TickAsync();
        var page = await OpenAsync(server, lang, width, height);
        await Expect(Tile(page, "offered-today").Locator(".tile-value")).ToHaveTextAsync("4");
        await Expect(page.Locator("#ticker")).ToBeVisibleAsync();
        await Expect(page.Locator(".agent")).ToHaveCountAsync(3);
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", lang);
        await Expect(page.Locator(".waiting-call")).ToHaveCountAsync(2);

        // No scrolling; every tile, panel and agent card on the screen in full, no text under 18 px at 1080p.
        await ExpectFitsTheScreenAsync(page);
        var smallest = (await FontSizesAsync(page)).MinBy(text => text.Size)!;
        Assert.True(smallest.Size >= 18 * height / 1080.0, $"'{smallest.Text}' ({smallest.Class}) is {smallest.Size} px");

        await ScreenshotAsync(page, string.Create(CultureInfo.InvariantCulture, $"floor-{lang}-{width}x{height}.png"));
    }

    /// <summary>
    /// The real server with the repository's inbound floor and web/, keys for viewers and ingest,
    /// and names and teams for three agents.
    /// </summary>
    /// <param name="port">0 for any free port; a former server's port to come back where screens look for it.</param>
    private static Task<LiveServer> StartServerAsync(int port = 0)
    {
        var settings = new Dictionary<string, string>
        {
            ["Web:Path"] = Path.Combine(RepositoryPaths.RepositoryRoot, "web"),
            ["Access:Viewer:0"] = ViewerKey,
            ["Access:Ingest:0"] = IngestKey,
            ["Access:Supervisor:0"] = SupervisorKey,
            ["Teams:team-support:0"] = "Agent/1001",
            ["Teams:team-support:1"] = "Agent/1002",
            ["Teams:team-sales:0"] = "Agent/2001",
            ["AgentNames:Agent/1001"] = "王芳",
            ["AgentNames:Agent/1002"] = "李娜",
            ["AgentNames:Agent/2001"] = "张伟",
        };
        if (port != 0)
        {
            settings["urls"] = string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}");
        }

        return LiveServer.StartAsync(settings, ("inbound-floor.json", RepositoryDashboard("inbound-floor")));
    }

    private static string RepositoryDashboard(string id) =>
        File.ReadAllText(Path.Combine(RepositoryPaths.RepositoryRoot, "dashboards", id + ".json"));

    /// <summary>Posts lines to ingest (with the ingest key), then runs one tick: the push screens get.</summary>
    private static async Task PostAndTickAsync(LiveServer server, string[] lines)
    {
        var answer = await server.PostQueueLogAsync(LiveServer.Lines(lines), IngestKey);
        Assert.Equal((lines.Length, 0L), (answer.Accepted, answer.Rejected));
        await server.TickAsync();
    }

    /// <summary>A supervisor's warning to the inbound floor.</summary>
    private static async Task BroadcastAsync(LiveServer server, int minutes)
    {
        using var http = server.Http(SupervisorKey);
        using var response = await http.PostAsJsonAsync(
            new Uri("api/broadcasts", UriKind.Relative),
            new { text = Notice, dashboards = InboundFloor, expiresInMinutes = minutes, severity = "warning" });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    private static string FloorPage(LiveServer server, string lang, string key = ViewerKey, string dashboard = "inbound-floor") =>
        new Uri(server.BaseAddress, $"?dashboard={dashboard}&lang={lang}&key={Uri.EscapeDataString(key)}").ToString();

    /// <param name="lang">The browser's language.</param>
    /// <param name="width">Viewport width.</param>
    /// <param name="height">Viewport height.</param>
    /// <param name="clock">Whether the page runs on Playwright's clock, which a test moves on (pages, rotations, stale timers) without waiting.</param>
    /// <param name="frozen">
    /// Whether that clock stands still from the start, moved only by the test: the server's clock is
    /// fake too, so every time the page shows (times in state, waits, which agents are nearest a
    /// threshold) is the same in every run, however long a busy machine takes to get there.
    /// </param>
    private async Task<IPage> NewPageAsync(string lang, int width, int height, bool clock = false, bool frozen = false)
    {
        var context = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = width, Height = height },
            Locale = lang,
            TimezoneId = "Asia/Shanghai",
        });
        _contexts.Add(context);
        if (clock)
        {
            // Starts at the real time and runs with it; RunForAsync jumps ahead, firing the timers due.
            await context.Clock.InstallAsync();
            if (frozen)
            {
                await context.Clock.PauseAtAsync(DateTime.UtcNow.AddSeconds(1));
            }
        }

        return await context.NewPageAsync();
    }

    private async Task<IPage> OpenAsync(LiveServer server, string lang, int width, int height, string dashboard = "inbound-floor", bool clock = false, bool frozen = false)
    {
        var page = await NewPageAsync(lang, width, height, clock, frozen);
        await page.GotoAsync(FloorPage(server, lang, dashboard: dashboard));
        await Expect(page.Locator("#connection")).ToHaveAttributeAsync("data-state", "live");
        return page;
    }

    private static ILocator Tile(IPage page, string id) => page.Locator($"[data-tile='{id}']");

    /// <summary>Takes a picture of the page as TestResults/screenshots/<paramref name="name"/>; one that README shows must be the same (<see cref="ReadmeScreenshots"/>).</summary>
    private static async Task ScreenshotAsync(IPage page, string name)
    {
        // Freeze the pulses so the picture shows the board, not motion, and put the broadcast at
        // the left edge of its track, where a viewer reads it, rather than wherever it scrolled to.
        await page.AddStyleTagAsync(new PageAddStyleTagOptions { Content = "*, *::before { animation-play-state: paused !important; transition: none !important; }" });
        await page.EvaluateAsync("""
            () => {
              const text = document.querySelector('#ticker-text');
              const track = text?.parentElement;
              if (!track || track.offsetParent === null) return;
              text.style.animation = 'none';
              text.style.transform = `translateX(${-track.clientWidth}px)`;
            }
            """);
        var path = Path.Combine(ReadmeScreenshots.Taken, name);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path });
        // What runs with the page's clock (the time, times in state, waits) moves on by a second or
        // two from one run to the next; the rest of the picture does not.
        var moving = await page.EvaluateAsync<int[][]>("""
            () => [...document.querySelectorAll('#clock, .agent-time, .waiting-wait, #stale-since')].map((el) => {
              const r = el.getBoundingClientRect();
              return [Math.floor(r.left) - 2, Math.floor(r.top) - 2, Math.ceil(r.right) + 2, Math.ceil(r.bottom) + 2];
            })
            """);
        ReadmeScreenshots.AssertCurrent(path, [.. moving.Select(box => new SkiaSharp.SKRectI(box[0], box[1], box[2], box[3]))]);
    }

    /// <summary>
    /// Three agents logged in an hour ago. In support, four calls are answered after 5, 10, 15 and
    /// 40 s: 王芳 (Agent/1001) takes c1 and c3 and completes both, 李娜 (Agent/1002) completes c2
    /// and has been on c4 for 20 s; two more callers (c5, c6) are waiting. 张伟 (Agent/2001, sales)
    /// is paused for training. Lines go out in time order, as a PBX writes them.
    /// </summary>
    private static string[] FloorScenario()
    {
        string[][] lines =
        [
            [Member(3600, "support", "Agent/1001")],
            [Member(3600, "support", "Agent/1002")],
            [Member(3600, "sales", "Agent/2001")],
            [LiveServer.QueueLog(300, "NONE", "sales", "Agent/2001", "PAUSE", "培训")],
            Answered(70, "c1", "Agent/1001", wait: 5, talk: 5),
            Answered(70, "c2", "Agent/1002", wait: 10, talk: 10),
            Answered(60, "c3", "Agent/1001", wait: 15, talk: 10),
            Answered(60, "c4", "Agent/1002", wait: 40, talk: null),
            [Enter(10, "c5")],
            [Enter(10, "c6")],
        ];
        return [.. lines.SelectMany(call => call).OrderBy(TimeOf)];
    }

    private static long TimeOf(string line) =>
        long.Parse(line.AsSpan(0, line.IndexOf('|', StringComparison.Ordinal)), CultureInfo.InvariantCulture);

    private static string Member(int secondsAgo, string queue, string agent) =>
        LiveServer.QueueLog(secondsAgo, "NONE", queue, agent, "ADDMEMBER", "");

    /// <summary>A caller entering support (Asterisk queue_log data: url, caller id, position).</summary>
    private static string Enter(int secondsAgo, string call, string queue = "support") =>
        LiveServer.QueueLog(secondsAgo, call, queue, "NONE", "ENTERQUEUE", "", CallerNumber, 1);

    /// <summary>A call that enters <paramref name="secondsAgo"/>, is answered after <paramref name="wait"/> seconds and, with a talk time, completes.</summary>
    private static string[] Answered(int secondsAgo, string call, string agent, int wait, int? talk, string queue = "support") =>
    [
        Enter(secondsAgo, call, queue),
        LiveServer.QueueLog(secondsAgo - wait, call, queue, agent, "CONNECT", wait, call + ".1", 3),
        .. talk is { } t
            ? [LiveServer.QueueLog(secondsAgo - wait - t, call, queue, agent, "COMPLETECALLER", wait, t, 1)]
            : Array.Empty<string>(),
    ];

    [GeneratedRegex(@"\bflash\b")]
    private static partial Regex FlashClass();
}
