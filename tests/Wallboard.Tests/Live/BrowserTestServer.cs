using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Wallboard.Hub.Hosting;

namespace Wallboard.Tests.Live;

/// <summary>
/// The real server (<see cref="WallboardHost"/>) on Kestrel at 127.0.0.1 on a free port, with no
/// demo simulator, so a browser can reach it over a real socket and the test decides every event.
/// </summary>
internal sealed class BrowserTestServer : IAsyncDisposable
{
    /// <summary>Keys of the test server (16 characters at least, as the server requires).</summary>
    public const string ViewerKey = "viewer-key-browser-test";
    public const string IngestKey = "ingest-key-browser-test";

    private readonly WebApplication _app;
    private bool _stopped;

    private BrowserTestServer(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

    /// <param name="port">0 for any free port; a former server's port to come back where screens look for it.</param>
    /// <param name="configuration">More configuration keys, <c>--Key=value</c>.</param>
    public static async Task<BrowserTestServer> StartAsync(int port = 0, params string[] configuration)
    {
        var app = WallboardHost.Build(
        [
            "--urls", string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}"),
            "--Sources:Demo=false",
            $"--Access:Viewer:0={ViewerKey}",
            $"--Access:Ingest:0={IngestKey}",
            "--Teams:team-support:0=Agent/1001",
            "--Teams:team-support:1=Agent/1002",
            "--Teams:team-sales:0=Agent/2001",
            "--AgentNames:Agent/1001=王芳",
            "--AgentNames:Agent/1002=李娜",
            "--AgentNames:Agent/2001=张伟",
            .. configuration,
        ]);
        await app.StartAsync();
        var bound = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        return new BrowserTestServer(app, new Uri(bound.Replace("[::]", "127.0.0.1", StringComparison.Ordinal)));
    }

    /// <summary>The floor page of a dashboard, in a language, with the viewer key.</summary>
    public Uri FloorPage(string dashboard, string lang, string key = ViewerKey) =>
        new(Address, $"/?dashboard={dashboard}&lang={lang}&key={Uri.EscapeDataString(key)}");

    /// <summary>Posts queue_log lines to <c>/api/ingest/queue-log</c> and checks that all were accepted.</summary>
    public async Task PostQueueLogAsync(params string[] lines)
    {
        using var client = new HttpClient { BaseAddress = Address };
        using var content = new StringContent(string.Join('\n', lines) + "\n", Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("text/plain") { CharSet = "utf-8" };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/ingest/queue-log") { Content = content };
        request.Headers.Add("X-Api-Key", IngestKey);
        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"ingest answered {(int)response.StatusCode}: {body}");
        using var answer = JsonDocument.Parse(body);
        if (answer.RootElement.TryGetProperty("rejected", out var rejected))
        {
            Assert.True(rejected.GetInt32() == 0, $"ingest rejected lines: {body}");
        }
    }

    /// <summary>Stops the server, as when it crashes or is restarted: connected screens lose it.</summary>
    public async Task StopAsync()
    {
        if (!_stopped)
        {
            _stopped = true;
            await _app.StopAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await _app.DisposeAsync();
    }
}
