using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Wallboard.Tests.History;

/// <summary>
/// A private <c>influxd</c> (Debian's InfluxDB 1.6.7) on 127.0.0.1 with random free ports, its
/// own config, data under a temporary folder and reporting disabled. It can be stopped and started
/// again on the same ports and data, which the outage test needs.
/// </summary>
internal sealed class InfluxServer : IAsyncDisposable
{
    public const string Binary = "/usr/bin/influxd";

    private readonly string _folder;
    private readonly string _config;
    private Process? _process;

    private InfluxServer(string folder, int httpPort, int backupPort)
    {
        _folder = folder;
        Url = string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{httpPort}");
        _config = Path.Combine(folder, "influxdb.conf");
        File.WriteAllText(_config, string.Create(CultureInfo.InvariantCulture, $"""
            reporting-disabled = true
            bind-address = "127.0.0.1:{backupPort}"
            [meta]
              dir = "{folder}/meta"
            [data]
              dir = "{folder}/data"
              wal-dir = "{folder}/wal"
              query-log-enabled = false
            [monitor]
              store-enabled = false
            [http]
              enabled = true
              bind-address = "127.0.0.1:{httpPort}"
              log-enabled = false
            [continuous_queries]
              enabled = false
            """));
    }

    public string Url { get; }

    public static async Task<InfluxServer> StartAsync()
    {
        if (!File.Exists(Binary))
        {
            throw new InvalidOperationException(
                $"InfluxDB is needed by the history tests: set WALLBOARD_TEST_INFLUXDB_URL to a running server, or install it (apt-get install -y influxdb) so that {Binary} exists.");
        }

        var server = new InfluxServer(Directory.CreateTempSubdirectory("wallboard-influx-").FullName, FreePort(), FreePort());
        await server.StartAgainAsync();
        return server;
    }

    /// <summary>Starts influxd (again, on the same ports and data) and waits until /ping answers.</summary>
    public async Task StartAgainAsync()
    {
        _process = ExternalProcess.StartServer(Binary, ["-config", _config]);
        await WaitForPingAsync(Url, _process);
    }

    /// <summary>Stops influxd hard, as a crash or an outage would.</summary>
    public async Task StopAsync()
    {
        await ExternalProcess.KillAsync(_process);
        _process = null;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        Directory.Delete(_folder, recursive: true);
    }

    /// <summary>Polls /ping for up to 30 s: the only waiting on time in the tests, for an external process.</summary>
    public static async Task WaitForPingAsync(string url, Process? process = null)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        for (var attempt = 0; attempt < 300; attempt++)
        {
            if (process is { HasExited: true })
            {
                throw new InvalidOperationException($"influxd exited with code {process.ExitCode} before answering /ping");
            }

            try
            {
                using var response = await http.GetAsync(url + "/ping");
                if (response.StatusCode == HttpStatusCode.NoContent)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), TimeProvider.System);
        }

        throw new InvalidOperationException($"InfluxDB at {url} did not answer /ping within 30 s");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>
/// The InfluxDB the history tests share: <c>WALLBOARD_TEST_INFLUXDB_URL</c> when set (CI starts
/// one with .ci/influxdb.sh), else a private influxd. Without either the tests fail, never skip.
/// </summary>
public sealed class InfluxDbFixture : IAsyncLifetime
{
    private InfluxServer? _server;

    public string Url { get; private set; } = string.Empty;

    public async Task InitializeAsync()
    {
        if (Environment.GetEnvironmentVariable("WALLBOARD_TEST_INFLUXDB_URL") is { Length: > 0 } url)
        {
            Url = url.TrimEnd('/');
            await InfluxServer.WaitForPingAsync(Url);
            return;
        }

        _server = await InfluxServer.StartAsync();
        Url = _server.Url;
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class InfluxDbGroup : ICollectionFixture<InfluxDbFixture>
{
    public const string Name = "InfluxDB";
}
