using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Wallboard.Hub.Hosting;
using Wallboard.LoadTest;

// Sustained ingest with many screens, all in one process on 127.0.0.1:
//   dotnet run -c Release --project tests/LoadTest -- [--seconds 30] [--clients 500] [--rate 20000] [--cadence 1]
// The same spread over hubs of a cluster (docs/cluster.md), on a running Redis and PostgreSQL (a database of its own is made and dropped):
//   dotnet run -c Release --project tests/LoadTest -- --hubs 2 --redis 127.0.0.1:6379 --postgresql "Host=127.0.0.1;Username=postgres"
var options = LoadOptions.Parse(args);
return await new LoadRun(options).RunAsync().ConfigureAwait(false);

namespace Wallboard.LoadTest
{
    /// <param name="Seconds">How long the load runs.</param>
    /// <param name="Clients">Screens connected.</param>
    /// <param name="Rate">Events posted a second.</param>
    /// <param name="Cadence">The core's tick, in seconds.</param>
    /// <param name="Hubs">1: one server alone; more: hubs of a cluster on <paramref name="Redis"/> and <paramref name="PostgreSql"/>.</param>
    /// <param name="Redis">A StackExchange.Redis configuration string.</param>
    /// <param name="PostgreSql">An Npgsql connection string to the server (a database is made for the run).</param>
    internal sealed record LoadOptions(int Seconds, int Clients, int Rate, double Cadence, int Hubs, string? Redis, string? PostgreSql)
    {
        public bool Cluster => Hubs > 1;

        public static LoadOptions Parse(string[] args)
        {
            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var i = 0; i + 1 < args.Length; i += 2)
            {
                values[args[i].TrimStart('-')] = args[i + 1];
            }

            int Int(string name, int fallback) => values.TryGetValue(name, out var text) ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;
            var cadence = values.TryGetValue("cadence", out var c) ? double.Parse(c, CultureInfo.InvariantCulture) : 1.0;
            var options = new LoadOptions(
                Int("seconds", 30), Int("clients", 500), Int("rate", 20_000), cadence, Int("hubs", 1),
                values.GetValueOrDefault("redis") ?? Environment.GetEnvironmentVariable("WALLBOARD_TEST_REDIS"),
                values.GetValueOrDefault("postgresql") ?? Environment.GetEnvironmentVariable("WALLBOARD_TEST_POSTGRESQL"));
            if (options.Cluster && (string.IsNullOrEmpty(options.Redis) || string.IsNullOrEmpty(options.PostgreSql)))
            {
                throw new ArgumentException("--hubs above 1 needs --redis (host:port) and --postgresql (an Npgsql connection string), or WALLBOARD_TEST_REDIS and WALLBOARD_TEST_POSTGRESQL");
            }

            return options;
        }
    }

    /// <summary>
    /// Latency is measured with probes: every 100 ms one extra call enters the queue "probe", posted
    /// on its own, in order, with the time of posting noted. The dashboard's "probe" tile shows the
    /// calls waiting there, so when a screen receives the value n, probes 1..n have reached it; the
    /// latency of each is its arrival time minus its posting time (posting → ingest → core → tick →
    /// push → client). The bulk load is complete calls (ENTERQUEUE, CONNECT, COMPLETEAGENT) spread
    /// over 20 queues and 200 agents, posted as queue_log lines in batches every 50 ms. With several
    /// hubs, the screens are spread over them evenly, and the load and the probes go to each in
    /// turn: a probe reaches a screen through the partition's Redis stream, its core on one hub, the
    /// figures it publishes and the SignalR backplane.
    /// </summary>
    internal sealed class LoadRun(LoadOptions options)
    {
        private const int ProbeIntervalMs = 100;
        private const int BatchIntervalMs = 50;
        private const int Queues = 20;
        private const int Agents = 200;

        private readonly long[] _probePostedAt = new long[(options.Seconds * 1000 / ProbeIntervalMs) + 16];
        private readonly List<double>[] _latencies = [.. Enumerable.Range(0, options.Clients).Select(_ => new List<double>())];
        private readonly TickClock _ticks = new();
        private readonly List<double> _delivery = [];
        private long _eventsPosted;
        private long _probes;
        private int _disconnected;
        private long _tilesMessages;

        public async Task<int> RunAsync()
        {
            var folder = Path.Combine(Path.GetTempPath(), "wallboard-load-" + Guid.NewGuid().ToString("N"), "dashboards");
            Directory.CreateDirectory(folder);
            await File.WriteAllTextAsync(Path.Combine(folder, "load.json"), Dashboard()).ConfigureAwait(false);
            await using var cluster = options.Cluster ? await LoadCluster.CreateAsync(options.Redis!, options.PostgreSql!).ConfigureAwait(false) : null;
            var hubs = new List<WebApplication>();
            for (var hub = 0; hub < options.Hubs; hub++)
            {
                hubs.Add(await StartHubAsync(hub, folder, cluster).ConfigureAwait(false));
            }

            var baseUris = hubs.Select(hub => new Uri(hub.Urls.First() + "/")).ToList();
            if (cluster is not null)
            {
                await LoadCluster.WaitReadyAsync(hubs).ConfigureAwait(false);
            }

            Console.WriteLine($"{(cluster is null ? "Server" : $"{hubs.Count} hubs")} on {string.Join(", ", baseUris)}; connecting {options.Clients} screens…");

            var connections = await ConnectAllAsync(baseUris).ConfigureAwait(false);
            Console.WriteLine($"{connections.Count} screens joined 'load'; ingesting {options.Rate:N0} events/s for {options.Seconds} s…");

            var process = Process.GetCurrentProcess();
            process.Refresh();
            var cpuBefore = process.TotalProcessorTime;
            var started = Stopwatch.GetTimestamp();
            long peakWorkingSet = process.WorkingSet64;
            long peakManaged = GC.GetTotalMemory(false);
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(options.Seconds), TimeProvider.System);
            var https = baseUris.Select(uri => new HttpClient { BaseAddress = uri }).ToList();
            var load = Enumerable.Range(0, 4).Select(worker => LoadAsync(https[worker % https.Count], worker, 4, stop.Token)).ToList();
            var probe = ProbeAsync(https, stop.Token);
            using (var sampler = new PeriodicTimer(TimeSpan.FromMilliseconds(250), TimeProvider.System))
            {
                try
                {
                    while (await sampler.WaitForNextTickAsync(stop.Token).ConfigureAwait(false))
                    {
                        process.Refresh();
                        peakWorkingSet = Math.Max(peakWorkingSet, process.WorkingSet64);
                        peakManaged = Math.Max(peakManaged, GC.GetTotalMemory(false));
                    }
                }
                catch (OperationCanceledException)
                {
                    // The run is over.
                }
            }

            await Task.WhenAll([.. load, probe]).ConfigureAwait(false);
            var elapsed = Stopwatch.GetElapsedTime(started);

            // Let the last probes arrive: two cadences.
            await Task.Delay(TimeSpan.FromSeconds(2 * options.Cadence), TimeProvider.System).ConfigureAwait(false);
            process.Refresh();
            var cpu = process.TotalProcessorTime - cpuBefore;
            var screens = hubs.Select(hub => hub.Services.GetRequiredService<Wallboard.Hub.Live.Screens.LiveBroadcaster>()).ToList();

            var all = _latencies.SelectMany(list => { lock (list) { return list.ToList(); } }).Order().ToArray();
            var expected = _probes * connections.Count;
            Console.WriteLine();
            Console.WriteLine("| metric | value |");
            Console.WriteLine("| --- | --- |");
            Row("hubs", cluster is null ? "1 (no cluster)" : $"{hubs.Count} (Redis {options.Redis}, PostgreSQL); screens spread evenly, load and probes to each in turn");
            Row("screens connected / disconnected", $"{connections.Count} / {Volatile.Read(ref _disconnected)}");
            Row("cadence", $"{options.Cadence * 1000:0} ms");
            Row("run time", $"{elapsed.TotalSeconds:0.0} s");
            Row("events posted (rate)", $"{_eventsPosted:N0} ({_eventsPosted / elapsed.TotalSeconds:N0}/s)");
            if (cluster is null)
            {
                var channel = hubs[0].Services.GetRequiredService<IngestChannel>();
                Row("events applied by the core", $"{hubs[0].Services.GetRequiredService<MetricsCore>().EventsApplied:N0}");
                Row("channel backlog / dropped at end", $"{channel.Backlog:N0} / {channel.Dropped:N0}");
            }
            else
            {
                Row("events applied by the partition's core", $"{LoadCluster.EventsApplied(hubs):N0}");
            }

            Row("probe deliveries (expected)", $"{all.Length:N0} ({expected:N0})");
            Row("latency p50", $"{Percentile(all, 0.50):0} ms");
            Row("latency p99", $"{Percentile(all, 0.99):0} ms");
            Row("latency max", all.Length == 0 ? "n/a" : $"{all[^1]:0} ms");
            // A cluster's figures take two more trips through Redis (published, then pushed through the backplane).
            var allowance = cluster is null ? 100 : 150;
            Row($"target p99 ≤ cadence + {allowance} ms", Percentile(all, 0.99) <= (options.Cadence * 1000) + allowance ? "met" : "missed");
            var delivery = _delivery.Order().ToArray();
            Row("push → screen (tiles message) p50 / p99 / max", $"{Percentile(delivery, 0.5):0} / {Percentile(delivery, 0.99):0} / {delivery[^1]:0} ms");
            Row("tick start → pushes issued / of which screens compute+send, max", $"{_ticks.MaxCoreMilliseconds:0} / {screens.Max(screen => screen.MaxTickMilliseconds):0} ms");
            Row("tiles messages received", $"{Interlocked.Read(ref _tilesMessages):N0}");
            Row("group pushes / pushed while one was in flight", $"{screens.Sum(screen => screen.Pushes):N0} / {screens.Sum(screen => screen.PushesBehind):N0}");
            Row($"CPU time ({(cluster is null ? "server" : $"{hubs.Count} hubs")} + {options.Clients} clients + load generator)", $"{cpu.TotalSeconds:0.0} s ({cpu.TotalSeconds / elapsed.TotalSeconds / Environment.ProcessorCount * 100:0}% of {Environment.ProcessorCount} cores)");
            Row("peak working set", $"{peakWorkingSet / 1048576.0:0} MiB");
            Row("peak managed heap", $"{peakManaged / 1048576.0:0} MiB");

            foreach (var connection in connections)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }

            foreach (var hub in hubs)
            {
                await hub.StopAsync().ConfigureAwait(false);
                await hub.DisposeAsync().ConfigureAwait(false);
            }

            foreach (var http in https)
            {
                http.Dispose();
            }

            Directory.Delete(Path.GetDirectoryName(folder)!, recursive: true);
            return Volatile.Read(ref _disconnected) == 0 ? 0 : 1;
        }

        /// <summary>A server alone, or hub <paramref name="index"/> of the cluster, on a free port; its folders under <paramref name="dashboards"/>' parent.</summary>
        private async Task<WebApplication> StartHubAsync(int index, string dashboards, LoadCluster? cluster)
        {
            var data = Path.Combine(dashboards, "..", "data-" + index.ToString(CultureInfo.InvariantCulture));
            List<string> args =
            [
                "--urls", "http://127.0.0.1:0",
                "--Sources:Demo=false",
                "--Dashboards:Path=" + dashboards,
                "--Dashboards:BuiltIn=false",
                "--Storage:DataPath=" + data,
                "--Metrics:CadenceSeconds=" + options.Cadence.ToString(CultureInfo.InvariantCulture),
                "--Ingest:MaxBodyBytes=67108864",
                "--Logging:LogLevel:Default=Warning",
            ];
            if (cluster is not null)
            {
                args.AddRange(cluster.Arguments(index));
            }

            var app = WallboardHost.Build([.. args], builder =>
            {
                if (cluster is null)
                {
                    builder.Services.AddSingleton<ICoreTickSubscriber>(_ticks);
                }
            });
            await app.StartAsync().ConfigureAwait(false);
            if (cluster is not null)
            {
                // The hub that pushes the screens does so when a partition's figures arrive: then is its "tick".
                app.Services.GetRequiredService<Wallboard.Hub.Cluster.ClusterView>().Changed += _ticks.Note;
            }

            return app;
        }

        private static void Row(string name, string value) => Console.WriteLine($"| {name} | {value} |");

        private static double Percentile(double[] sorted, double p) =>
            sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];

        private async Task<List<HubConnection>> ConnectAllAsync(List<Uri> baseUris)
        {
            var connections = new HubConnection[options.Clients];
            using var gate = new SemaphoreSlim(32);
            await Task.WhenAll(Enumerable.Range(0, options.Clients).Select(async index =>
            {
                await gate.WaitAsync().ConfigureAwait(false);
                try
                {
                    var connection = new HubConnectionBuilder()
                        .WithUrl(new Uri(baseUris[index % baseUris.Count], "hubs/wallboard"), HttpTransportType.WebSockets, o => o.SkipNegotiation = true)
                        .Build();
                    var latencies = _latencies[index];
                    long seen = 0;
                    connection.On<Wallboard.Hub.Live.Screens.TileValue[]>("tiles", tiles =>
                    {
                        var now = Stopwatch.GetTimestamp();
                        Interlocked.Increment(ref _tilesMessages);
                        var pushed = _ticks.LastTickAt;
                        lock (_delivery)
                        {
                            _delivery.Add(Stopwatch.GetElapsedTime(pushed, now).TotalMilliseconds);
                        }

                        foreach (var tile in tiles)
                        {
                            if (tile.Id == "probe" && tile.Value is { } value)
                            {
                                lock (latencies)
                                {
                                    for (var k = seen + 1; k <= (long)value && k < _probePostedAt.Length; k++)
                                    {
                                        latencies.Add(Stopwatch.GetElapsedTime(Volatile.Read(ref _probePostedAt[k]), now).TotalMilliseconds);
                                    }

                                    seen = Math.Max(seen, (long)value);
                                }
                            }
                        }
                    });
                    connection.Closed += _ =>
                    {
                        Interlocked.Increment(ref _disconnected);
                        return Task.CompletedTask;
                    };
                    await connection.StartAsync().ConfigureAwait(false);
                    await connection.InvokeAsync<Wallboard.Hub.Live.Screens.DashboardState>("JoinDashboard", "load").ConfigureAwait(false);
                    connections[index] = connection;
                }
                finally
                {
                    gate.Release();
                }
            })).ConfigureAwait(false);
            return [.. connections];
        }

        /// <summary>One of the bulk posters: its share of the rate as complete calls, a batch every 50 ms.</summary>
        private async Task LoadAsync(HttpClient http, int worker, int workers, CancellationToken stop)
        {
            // Each batch posts what is due by now at this worker's share of the rate, so a slow
            // post is caught up by the next one instead of lowering the rate.
            var rate = (double)options.Rate / workers;
            var text = new StringBuilder(64 * 1024);
            var started = Stopwatch.GetTimestamp();
            long posted = 0;
            long call = 0;
            using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(BatchIntervalMs), TimeProvider.System);
            try
            {
                while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false))
                {
                    text.Clear();
                    var due = (long)(Stopwatch.GetElapsedTime(started).TotalSeconds * rate) - posted;
                    var now = TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0;
                    var events = 0;
                    for (; events + 3 <= due; events += 3)
                    {
                        call++;
                        var id = string.Create(CultureInfo.InvariantCulture, $"w{worker}-{call}");
                        var queue = string.Create(CultureInfo.InvariantCulture, $"q{call % Queues}");
                        var agent = string.Create(CultureInfo.InvariantCulture, $"Agent/{(call * 7 + worker) % Agents}");
                        var wait = call % 40;
                        text.Append(CultureInfo.InvariantCulture, $"{now - 0.2:0.000}|{id}|{queue}|NONE|ENTERQUEUE||+8613800000000|1\n");
                        text.Append(CultureInfo.InvariantCulture, $"{now - 0.1:0.000}|{id}|{queue}|{agent}|CONNECT|{wait}|b|2\n");
                        text.Append(CultureInfo.InvariantCulture, $"{now:0.000}|{id}|{queue}|{agent}|COMPLETEAGENT|{wait}|30|1\n");
                    }

                    if (events == 0)
                    {
                        continue;
                    }

                    using var content = new StringContent(text.ToString(), Encoding.UTF8, "text/plain");
                    using var response = await http.PostAsync(new Uri("api/ingest/queue-log", UriKind.Relative), content, stop).ConfigureAwait(false);
                    response.EnsureSuccessStatusCode();
                    posted += events;
                    Interlocked.Add(ref _eventsPosted, events);
                }
            }
            catch (OperationCanceledException)
            {
                // The run is over.
            }
        }

        /// <summary>The probes: one call entering queue "probe" every 100 ms, posted alone and in order (to each hub in turn).</summary>
        private async Task ProbeAsync(List<HttpClient> https, CancellationToken stop)
        {
            using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(ProbeIntervalMs), TimeProvider.System);
            try
            {
                while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false) && _probes + 1 < _probePostedAt.Length)
                {
                    var k = _probes + 1;
                    var now = TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0;
                    using var content = new StringContent(
                        string.Create(CultureInfo.InvariantCulture, $"{now:0.000}|probe-{k}|probe|NONE|ENTERQUEUE||+8613800000000|1\n"), Encoding.UTF8, "text/plain");
                    Volatile.Write(ref _probePostedAt[k], Stopwatch.GetTimestamp());
                    using var response = await https[(int)(k % https.Count)].PostAsync(new Uri("api/ingest/queue-log", UriKind.Relative), content, stop).ConfigureAwait(false);
                    response.EnsureSuccessStatusCode();
                    _probes = k;
                    Interlocked.Increment(ref _eventsPosted);
                }
            }
            catch (OperationCanceledException)
            {
                // The run is over.
            }
        }

        private static string Dashboard()
        {
            var queues = string.Join(", ", Enumerable.Range(0, Queues).Select(q => $"\"q{q}\"").Append("\"probe\""));
            return $$"""
                {
                  "id": "load",
                  "name": "Load test",
                  "queues": [{{queues}}],
                  "tiles": [
                    { "id": "probe", "title": "Probes", "kpi": "calls_waiting", "window": "live", "queues": ["probe"] },
                    { "id": "offered", "title": "Offered", "kpi": "offered", "window": "today" },
                    { "id": "sl", "title": "SL", "kpi": "service_level", "window": "last15", "format": "percent", "thresholds": { "direction": "below", "amber": 0.8, "red": 0.7 } },
                    { "id": "asa", "title": "ASA", "kpi": "asa_seconds", "window": "last15", "format": "duration" },
                    { "id": "aht", "title": "AHT", "kpi": "aht_seconds", "window": "today", "format": "duration" },
                    { "id": "agents", "title": "Agents", "kpi": "agents_logged_in", "window": "live" }
                  ],
                  "queueTable": { "window": "today", "kpis": ["calls_waiting", "offered", "service_level", "asa_seconds"] },
                  "agentBoard": { "teams": [], "states": ["available", "ringing", "on_call", "wrap_up", "paused"] }
                }
                """;
        }
    }

    /// <summary>
    /// Notes when each tick's pushes were issued (it runs after the screens' broadcaster) and the
    /// longest time from a tick's start (the snapshot's time) to then.
    /// </summary>
    internal sealed class TickClock : ICoreTickSubscriber
    {
        private long _lastTickAt = Stopwatch.GetTimestamp();

        public long LastTickAt => Interlocked.Read(ref _lastTickAt);

        public double MaxCoreMilliseconds { get; private set; }

        public ValueTask OnTickAsync(Wallboard.Metrics.Live.LiveSnapshot snapshot, IntervalChanges changes, CancellationToken cancellationToken)
        {
            Note(snapshot);
            return ValueTask.CompletedTask;
        }

        public void Note(Wallboard.Metrics.Live.LiveSnapshot snapshot)
        {
            var now = Stopwatch.GetTimestamp();
            Interlocked.Exchange(ref _lastTickAt, now);
            var lag = TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds() - snapshot.AtMs;
            MaxCoreMilliseconds = Math.Max(MaxCoreMilliseconds, lag);
        }
    }
}
