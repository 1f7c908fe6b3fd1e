using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Wallboard.Hub.Cli;
using Wallboard.Ingest.Json;
using Wallboard.Ingest.Model;
using Wallboard.Ingest.QueueLog;
using Wallboard.Ingest.Simulation;
using Xunit.Abstractions;

namespace Wallboard.Tests.Durability;

/// <summary>
/// The published server as an operator runs it — a separate process, a tailed queue_log, HTTP
/// ingest, the default SQLite history — killed with SIGKILL at seeded random moments (some of them
/// in the middle of writing its checkpoint) and stopped with SIGTERM, restarted each time, while a
/// recorded day is fed in. At the end its history and its live figures must equal
/// <c>wallboard kpi</c> over the same input: nothing lost, nothing counted twice.
/// </summary>
public sealed class CrashTests(ITestOutputHelper output) : IDisposable
{
    private const int Seed = 20261205;
    private const int Lives = 25;
    private static readonly TimeSpan ChunkSpan = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);

    private readonly string _dir = Directory.CreateTempSubdirectory("wallboard-crash-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task AfterKillsAtRandomMomentsHistoryAndLiveEqualKpiOverTheSameInput()
    {
        var day = RecordedDay.Make(TimeProvider.System.GetUtcNow());
        var tailed = Path.Combine(_dir, "queue_log");
        await File.WriteAllTextAsync(tailed, string.Empty);
        var random = new Random(Seed);
        var (appended, posted) = (0, 0);
        var (killed, killedMidWrite, terminated) = (0, 0, 0);

        // The day is spread over the lives, so that every one of them is killed while it is being fed.
        var perLife = (day.Chunks.Count / Lives) + 1;
        for (var life = 0; life < Lives; life++)
        {
            var quota = Math.Min(day.Chunks.Count, posted + perLife);
            // Every fourth life writes its checkpoints with a pause half-way, and is killed inside one.
            var midWrite = life % 4 == 2;
            var stopped = life is 8 or 17;
            await using var server = await ServerProcess.StartAsync(_dir, day.Zone, tailed, midWrite ? 400 : 0, output);
            using var feeding = new CancellationTokenSource();
            var feeder = Task.Run(async () =>
            {
                while (posted < quota && !feeding.IsCancellationRequested)
                {
                    if (appended == posted)
                    {
                        await File.AppendAllTextAsync(tailed, day.Chunks[appended].QueueLog, CancellationToken.None);
                        appended++;
                    }

                    if (await server.PostEventsAsync(day.Chunks[posted].Events, "chunk-" + posted.ToString(CultureInfo.InvariantCulture), feeding.Token))
                    {
                        posted++;
                    }

                    await Task.Delay(TimeSpan.FromMilliseconds(25), TimeProvider.System, CancellationToken.None);
                }
            });

            if (midWrite)
            {
                killedMidWrite += await server.KillWhenWritingCheckpointAsync() ? 1 : 0;
                killed++;
            }
            else
            {
                await Task.Delay(TimeSpan.FromMilliseconds(random.Next(50, 900)), TimeProvider.System);
                if (stopped)
                {
                    Assert.Equal(0, await server.TerminateAsync());
                    terminated++;
                }
                else
                {
                    server.Kill();
                    killed++;
                }
            }

            await feeding.CancelAsync();
            await feeder;
        }

        output.WriteLine($"{killed} kills ({killedMidWrite} while a checkpoint was being written), {terminated} SIGTERM; {posted} of {day.Chunks.Count} chunks fed before the last start");
        Assert.True(killed >= 20, $"{killed} kills");
        Assert.True(killedMidWrite >= 3, $"only {killedMidWrite} kills landed inside a checkpoint write");

        // The last life: the rest of the day, then everything read, applied and written.
        await using (var server = await ServerProcess.StartAsync(_dir, day.Zone, tailed, 0, output))
        {
            while (posted < day.Chunks.Count)
            {
                if (appended == posted)
                {
                    await File.AppendAllTextAsync(tailed, day.Chunks[appended++].QueueLog);
                }

                Assert.True(await server.PostEventsAsync(day.Chunks[posted].Events, "chunk-" + posted.ToString(CultureInfo.InvariantCulture), CancellationToken.None));
                posted++;
            }

            await server.WaitCaughtUpAsync(new FileInfo(tailed).Length);
            await File.WriteAllTextAsync(Path.Combine(_dir, "events.ndjson"), string.Concat(day.Chunks.Select(chunk => chunk.Events)));

            foreach (var by in new[] { "queue", "agent", "campaign" })
            {
                var expected = Rows(await KpiAsync(day.Zone, tailed, "--by", by, "--interval", "15m"), by);
                var actual = Rows(await server.HistoryAsync(by + "s", day), by);
                Assert.True(expected.Count > (by == "campaign" ? 20 : 100), $"{by}: only {expected.Count} rows");
                AssertSameRows(expected, actual, "history by " + by);
            }

            AssertSameRows(
                Rows(await KpiAsync(day.Zone, tailed, "--by", "queue", "--interval", "total"), "queue"),
                await server.LiveTodayAsync("queues", "queue"),
                "live queues today");
            AssertSameRows(
                Rows(await KpiAsync(day.Zone, tailed, "--by", "agent", "--interval", "total"), "agent"),
                await server.LiveTodayAsync("agents", "agent"),
                "live agents today");
            Assert.Equal(0, await server.TerminateAsync());
        }
    }

    private async Task<string> KpiAsync(string zone, string queueLog, params string[] options)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = await WallboardCommandLine.Build()
            .Parse(["kpi", "--queue-log", queueLog, "--events", Path.Combine(_dir, "events.ndjson"), "--tz", zone, "--format", "json", .. options])
            .InvokeAsync(new System.CommandLine.InvocationConfiguration { Output = stdout, Error = stderr });
        Assert.True(exit == 0, stderr.ToString());
        return stdout.ToString();
    }

    /// <summary>Rows by id and interval, each as its fields' JSON text.</summary>
    private static Dictionary<string, Dictionary<string, string>> Rows(string json, string id)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.EnumerateArray().ToDictionary(
            row => row.GetProperty(id).GetString() + "@" + (row.TryGetProperty("interval_start", out var start) ? start.ToString() : string.Empty),
            row => row.EnumerateObject().ToDictionary(field => field.Name, field => field.Value.GetRawText(), StringComparer.Ordinal),
            StringComparer.Ordinal);
    }

    /// <summary>
    /// Every row of <paramref name="expected"/> in <paramref name="actual"/> with the same value in
    /// every field they share, and no other row but empty ones: with two sources read side by side,
    /// an agent's open session can be counted into the next interval before its logout, read from
    /// the other source, takes it back; the interval then holds zeros where kpi, reading in strict
    /// time order, has no row.
    /// </summary>
    private static void AssertSameRows(Dictionary<string, Dictionary<string, string>> expected, Dictionary<string, Dictionary<string, string>> actual, string what)
    {
        var differences = new List<string>();
        var empty = 0;
        foreach (var key in expected.Keys.Union(actual.Keys).Order(StringComparer.Ordinal))
        {
            if (!expected.ContainsKey(key) && IsEmpty(actual[key]))
            {
                empty++;
                continue;
            }

            if (!expected.TryGetValue(key, out var want) || !actual.TryGetValue(key, out var got))
            {
                differences.Add($"{key}: only in {(expected.ContainsKey(key) ? "kpi" : "the server")}");
                continue;
            }

            var shared = want.Keys.Intersect(got.Keys).ToList();
            Assert.True(shared.Count >= 10, $"{what}: only {shared.Count} fields to compare");
            differences.AddRange(shared.Where(field => want[field] != got[field]).Select(field => $"{key} {field}: kpi {want[field]}, server {got[field]}"));
        }

        Assert.True(differences.Count == 0, $"{what}: {differences.Count} differences ({empty} empty rows only in the server), the first: {string.Join("; ", differences.Take(10))}");
    }

    private static bool IsEmpty(Dictionary<string, string> row) =>
        row.Where(field => field.Key is not ("queue" or "agent" or "campaign" or "interval_start" or "queue_name" or "agent_name" or "campaign_name" or "team"))
            .All(field => field.Value is "0" or "null" or "0.0");

    /// <summary>
    /// A day of two contact centres, each fed its own way: one as a queue_log the server tails, the
    /// other as JSON events over HTTP (its names prefixed, so the two never share a queue, agent,
    /// campaign, call or customer). In a time zone where the server's clock reads about 22:45, so the
    /// whole day (00:00 to 22:00) is "today" and every agent has logged off by its end.
    /// </summary>
    private sealed record RecordedDay(string Zone, DateTimeOffset Start, IReadOnlyList<(string QueueLog, string Events)> Chunks)
    {
        public static RecordedDay Make(DateTimeOffset now)
        {
            var offset = (int)Math.Round(22.75 - now.UtcDateTime.TimeOfDay.TotalHours);
            offset = offset > 14 ? offset - 24 : offset;
            var zone = offset switch { 0 => "Etc/GMT", > 0 => $"Etc/GMT-{offset}", _ => $"Etc/GMT+{-offset}" };
            var local = now.ToOffset(TimeSpan.FromHours(offset));
            var start = new DateTimeOffset(local.Date, local.Offset);
            var duration = TimeSpan.FromHours(22);
            var tailed = Events(new SimulationOptions { Seed = Seed, Start = start, Duration = duration, TimeZone = zone });
            var posted = Events(new SimulationOptions { Seed = Seed + 1, Start = start, Duration = duration, TimeZone = zone })
                .Select(e => e with
                {
                    CallId = e.CallId.Length > 0 ? "b-" + e.CallId : e.CallId,
                    Queue = e.Queue.Length > 0 ? "b-" + e.Queue : e.Queue,
                    Agent = e.Agent.Length > 0 ? "b-" + e.Agent : e.Agent,
                    Campaign = e.Campaign is { Length: > 0 } campaign ? "b-" + campaign : e.Campaign,
                    Customer = e.Customer is { Length: > 0 } customer ? "b-" + customer : e.Customer,
                })
                .ToList();

            var chunks = new List<(string, string)>();
            for (var from = start; from < start + duration; from += ChunkSpan)
            {
                var (fromMs, toMs) = (from.ToUnixTimeMilliseconds(), (from + ChunkSpan).ToUnixTimeMilliseconds());
                var queueLog = new StringWriter(CultureInfo.InvariantCulture);
                var writer = new QueueLogWriter(queueLog);
                foreach (var e in tailed.Where(e => e.UnixTimeMs >= fromMs && e.UnixTimeMs < toMs && QueueLogWriter.CanWrite(e.Kind)))
                {
                    writer.Accept(e);
                }

                using var json = new MemoryStream();
                using (var events = new JsonEventWriter(json, leaveOpen: true))
                {
                    foreach (var e in posted.Where(e => e.UnixTimeMs >= fromMs && e.UnixTimeMs < toMs))
                    {
                        events.Accept(e);
                    }
                }

                chunks.Add((queueLog.ToString(), Encoding.UTF8.GetString(json.ToArray())));
            }

            return new RecordedDay(zone, start, chunks);
        }

        private static List<ContactEvent> Events(SimulationOptions options)
        {
            var sink = new ListSink();
            new ContactCentreSimulator(options).Run(sink);
            return sink.Events;
        }
    }

    private sealed class ListSink : IContactEventSink
    {
        public List<ContactEvent> Events { get; } = [];

        public void Accept(in ContactEvent contactEvent) => Events.Add(contactEvent);
    }

    /// <summary>The built server (<c>dotnet wallboard.dll</c>) in its own process, on a free loopback port.</summary>
    private sealed class ServerProcess : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly string _checkpointWrite;
        private readonly HttpClient _http;

        private ServerProcess(Process process, int port, string stateFolder)
        {
            _process = process;
            _checkpointWrite = Path.Combine(stateFolder, "checkpoint.bin.tmp");
            _http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(60) };
        }

        public static async Task<ServerProcess> StartAsync(string folder, string zone, string queueLog, int checkpointPauseMs, ITestOutputHelper log)
        {
            var port = FreePort();
            var state = Path.Combine(folder, "state");
            var start = new ProcessStartInfo("dotnet")
            {
                WorkingDirectory = folder,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var argument in new[]
            {
                Path.Combine(AppContext.BaseDirectory, "wallboard.dll"), "serve",
                "--urls", $"http://127.0.0.1:{port}",
                "--Sources:QueueLogs:0=" + queueLog,
                "--Storage:DataPath=" + state,
                "--Sources:PollSeconds=0.1",
                "--History:SqlitePath=" + Path.Combine(folder, "history.db"),
                "--History:FlushSeconds=1",
                "--Metrics:TimeZone=" + zone,
                "--Durability:CheckpointSeconds=0.5",
                "--Durability:TestWritePauseMilliseconds=" + checkpointPauseMs.ToString(CultureInfo.InvariantCulture),
                "--Dashboards:Path=" + Path.Combine(folder, "dashboards"),
                "--Logging:LogLevel:Default=Warning",
            })
            {
                start.ArgumentList.Add(argument);
            }

            var process = Process.Start(start)!;
            process.OutputDataReceived += (_, line) => Note(log, line.Data);
            process.ErrorDataReceived += (_, line) => Note(log, line.Data);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            var server = new ServerProcess(process, port, state);
            await server.WaitAsync(async () => (await server._http.GetAsync(new Uri("healthz", UriKind.Relative))).IsSuccessStatusCode, ReadyTimeout, "the server to start");
            return server;
        }

        /// <summary>Posts a chunk of JSON events; false when the server went away or could not save it (it is sent again later, with the same key).</summary>
        public async Task<bool> PostEventsAsync(string ndjson, string key, CancellationToken cancellationToken)
        {
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("api/events", UriKind.Relative))
                {
                    Content = new StringContent(ndjson, Encoding.UTF8, "application/x-ndjson"),
                };
                request.Headers.Add("Idempotency-Key", key);
                using var response = await _http.SendAsync(request, cancellationToken);
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

        public async Task<string> HistoryAsync(string kind, RecordedDay day)
        {
            var from = day.Start.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
            var to = day.Start.AddDays(1).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
            return await _http.GetStringAsync(new Uri($"api/history/{kind}?from={Uri.EscapeDataString(from)}&to={Uri.EscapeDataString(to)}&step=15m&tz={day.Zone}&limit=200000", UriKind.Relative));
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

        private async Task WaitAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
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

        private static int FreePort()
        {
            using var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
            listener.Start();
            return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        }

        private static void Note(ITestOutputHelper log, string? line)
        {
            if (line is not null)
            {
                try
                {
                    log.WriteLine(line);
                }
                catch (InvalidOperationException)
                {
                    // The test has finished; a late line of a killed process.
                }
            }
        }
    }
}
