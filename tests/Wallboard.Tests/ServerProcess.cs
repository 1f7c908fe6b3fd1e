using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Xunit.Abstractions;

namespace Wallboard.Tests;

/// <summary>
/// The built server (<c>dotnet wallboard.dll serve</c>) in its own process, on a free loopback port:
/// what the crash test kills and the cluster's failover test kills.
/// </summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly string? _checkpointWrite;
    private readonly HttpClient _http;
    private int _toldToRetry;

    private ServerProcess(Process process, Uri address, string? checkpointWrite)
    {
        _process = process;
        _checkpointWrite = checkpointWrite;
        Address = address;
        _http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(60) };
    }

    /// <summary>The server's address, with a trailing slash.</summary>
    public Uri Address { get; }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Batches the server answered 503 with Retry-After (not saved: send again).</summary>
    public int ToldToRetry => Volatile.Read(ref _toldToRetry);

    /// <summary>
    /// Starts the server in <paramref name="folder"/> with <paramref name="arguments"/> (configuration
    /// as <c>--Key=value</c>) and waits until it answers on /healthz (any status: a hub of a cluster
    /// may start unhealthy). <paramref name="checkpointWrite"/> is the file that exists while a
    /// checkpoint is written, for <see cref="KillWhenWritingCheckpointAsync"/>.
    /// </summary>
    public static async Task<ServerProcess> StartAsync(string folder, IEnumerable<string> arguments, ITestOutputHelper log, string? checkpointWrite = null, string? name = null)
    {
        var address = new Uri($"http://127.0.0.1:{ExternalProcess.FreePort()}/");
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "wallboard.dll"));
        start.ArgumentList.Add("serve");
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(address.GetLeftPart(UriPartial.Authority));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start)!;
        var prefix = name is null ? string.Empty : name + ": ";
        process.OutputDataReceived += (_, line) => Note(log, prefix, line.Data);
        process.ErrorDataReceived += (_, line) => Note(log, prefix, line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new ServerProcess(process, address, checkpointWrite);
        await server.WaitAsync(
            async () =>
            {
                using var response = await server._http.GetAsync(new Uri("healthz", UriKind.Relative));
                return response.IsSuccessStatusCode || response.StatusCode == System.Net.HttpStatusCode.ServiceUnavailable;
            },
            ReadyTimeout,
            "the server to start");
        return server;
    }

    /// <summary>The server's /healthz, whatever its status.</summary>
    public async Task<JsonDocument> HealthAsync()
    {
        using var response = await _http.GetAsync(new Uri("healthz", UriKind.Relative));
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync());
    }

    public Task<string> GetStringAsync(string path) => _http.GetStringAsync(new Uri(path, UriKind.Relative));

    /// <summary>Posts a chunk of JSON events; false when the server went away or could not save it (it is sent again later, with the same key).</summary>
    public Task<bool> PostEventsAsync(string ndjson, string key, CancellationToken cancellationToken) =>
        PostAsync("api/events", ndjson, "application/x-ndjson", key, cancellationToken);

    /// <summary>Posts a chunk of queue_log lines; false when the server went away or could not save it.</summary>
    public Task<bool> PostQueueLogAsync(string lines, string key, CancellationToken cancellationToken) =>
        PostAsync("api/ingest/queue-log", lines, "text/plain", key, cancellationToken);

    private async Task<bool> PostAsync(string path, string body, string mediaType, string key, CancellationToken cancellationToken)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative))
            {
                Content = new StringContent(body, Encoding.UTF8, mediaType),
            };
            request.Headers.Add("Idempotency-Key", key);
            using var response = await _http.SendAsync(request, cancellationToken);
            if (response.StatusCode == System.Net.HttpStatusCode.ServiceUnavailable && response.Headers.RetryAfter is not null)
            {
                Interlocked.Increment(ref _toldToRetry);
            }

            if (!response.IsSuccessStatusCode)
            {
                return false;
            }

            var answer = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
            Assert.Equal(0, answer.GetProperty("rejected").GetInt64());
            return true;
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or IOException)
        {
            return false;
        }
    }

    /// <summary>SIGKILL once a checkpoint is being written (its temporary file exists); true when the kill landed inside the write.</summary>
    public async Task<bool> KillWhenWritingCheckpointAsync()
    {
        ArgumentNullException.ThrowIfNull(_checkpointWrite);
        var deadline = Stopwatch.GetTimestamp() + (long)(10 * Stopwatch.Frequency);
        while (!File.Exists(_checkpointWrite) && Stopwatch.GetTimestamp() < deadline)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(5), TimeProvider.System);
        }

        var inside = File.Exists(_checkpointWrite);
        Kill();
        return inside;
    }

    public void Kill()
    {
        _process.Kill(entireProcessTree: false);
        _process.WaitForExit();
    }

    /// <summary>SIGTERM, as a service manager stops it; the exit code.</summary>
    public async Task<int> TerminateAsync()
    {
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        return _process.ExitCode;
    }

    /// <summary>
    /// Waits until the tail has read the whole file and the core has applied everything, then for
    /// three ticks more (the first takes the changes, a write is due at most a second later) and
    /// nothing left to write to history.
    /// </summary>
    public async Task WaitCaughtUpAsync(long fileLength)
    {
        long ticks = 0;
        await WaitAsync(
            async () =>
            {
                using var health = JsonDocument.Parse(await _http.GetStringAsync(new Uri("healthz", UriKind.Relative)));
                var root = health.RootElement;
                ticks = root.GetProperty("ticks").GetInt64();
                return root.GetProperty("tails")[0].GetProperty("offset").GetInt64() == fileLength && root.GetProperty("channelBacklog").GetInt32() == 0;
            },
            TimeSpan.FromSeconds(60),
            "the server to read everything");
        await WaitAsync(
            async () =>
            {
                using var health = JsonDocument.Parse(await _http.GetStringAsync(new Uri("healthz", UriKind.Relative)));
                var root = health.RootElement;
                return root.GetProperty("ticks").GetInt64() >= ticks + 3 && root.GetProperty("history").GetProperty("pendingPoints").GetInt32() == 0;
            },
            TimeSpan.FromSeconds(60),
            "history to be written");
    }

    /// <summary>The history API's 15-minute rows of the day that starts at <paramref name="start"/> in <paramref name="zone"/>.</summary>
    public async Task<string> HistoryAsync(string kind, DateTimeOffset start, string zone)
    {
        var from = start.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
        var to = start.AddDays(1).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
        return await _http.GetStringAsync(new Uri($"api/history/{kind}?from={Uri.EscapeDataString(from)}&to={Uri.EscapeDataString(to)}&step=15m&tz={zone}&limit=200000", UriKind.Relative));
    }

    /// <summary>The live API's "today" figures, one row per queue or agent, in the shape of kpi's rows.</summary>
    public async Task<Dictionary<string, Dictionary<string, string>>> LiveTodayAsync(string kind, string id)
    {
        using var document = JsonDocument.Parse(await _http.GetStringAsync(new Uri($"api/live/{kind}?limit=10000", UriKind.Relative)));
        return document.RootElement.EnumerateArray().ToDictionary(
            entity => entity.GetProperty(id).GetString() + "@",
            entity => entity.GetProperty("windows").GetProperty("today").EnumerateObject()
                .ToDictionary(field => field.Name, field => field.Value.GetRawText(), StringComparer.Ordinal),
            StringComparer.Ordinal);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            Kill();
        }

        _http.Dispose();
        _process.Dispose();
    }

    /// <summary>Polls <paramref name="condition"/> until it holds, failing the test past <paramref name="timeout"/> or when the server exits.</summary>
    public async Task WaitAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < deadline)
        {
            Assert.False(_process.HasExited, $"the server exited (code {(_process.HasExited ? _process.ExitCode : 0)}) while waiting for {what}");
            try
            {
                if (await condition())
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50), TimeProvider.System);
        }

        Assert.Fail($"timed out after {timeout.TotalSeconds} s waiting for {what}");
    }

    private static void Note(ITestOutputHelper log, string prefix, string? line)
    {
        if (line is not null)
        {
            try
            {
                log.WriteLine(prefix + line);
            }
            catch (InvalidOperationException)
            {
                // The test has finished; a late line of a killed process.
            }
        }
    }
}
