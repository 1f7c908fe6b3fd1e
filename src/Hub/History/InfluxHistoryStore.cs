using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using NodaTime;
using Wallboard.Metrics.Calendar;
using Wallboard.Metrics.History;

namespace Wallboard.Hub.History;

/// <summary>
/// History in InfluxDB through the 1.x HTTP API (<c>/write</c> with line protocol, <c>/query</c>
/// with InfluxQL), which InfluxDB 1.x serves natively and 2.x/3.x through their v1-compatible API.
/// A point is one line of measurement <c>queue_interval</c>, <c>agent_interval</c> or
/// <c>campaign_interval</c>, tagged with the id, integer fields, timestamped with the interval
/// start in ms: rewriting the same interval overwrites it. Writes that fail for a reason a retry
/// can cure go to a <see cref="HistorySpool"/> and are retried with backoff.
/// </summary>
internal sealed partial class InfluxHistoryStore : IKpiHistoryStore, IHistoryRollupBuilder, IDisposable
{
    private const string WatermarkMeasurement = "history_watermark";
    private const string WatermarkField = "written_up_to_ms";

    /// <summary>Lines per request: a few MB, well under InfluxDB's default body limit of 25 MB.</summary>
    private const int LinesPerWrite = 5000;

    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(60);

    private const int TimeColumn = -2;
    private const int IdColumn = -3;
    private const long MinTimeMs = -9_223_372_036_854L;
    private const long MaxTimeMs = 9_223_372_036_854L;

    private readonly HttpClient _http;
    private readonly string _database;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly SemaphoreSlim _spoolSignal = new(0, 1);
    private volatile bool _databaseReady;

    /// <param name="options">The server, database, credentials and spool.</param>
    /// <param name="time">Clock of the retry backoff.</param>
    /// <param name="logger">Where failures and the spool's state are logged.</param>
    /// <param name="rollups">The roll-ups to keep (none when null); those the database holds but not listed are no longer kept up to date, so they are marked incomplete and never read.</param>
    public InfluxHistoryStore(HistoryOptions options, TimeProvider time, ILogger<InfluxHistoryStore> logger, StoredRollups? rollups = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        Rollups = rollups ?? StoredRollups.None;
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        _database = options.Database;
        _time = time;
        _logger = logger;
        Spool = new HistorySpool(options.SpoolPath, options.SpoolMaxBytes);
        _http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
        {
            BaseAddress = new Uri(options.InfluxUrl!.TrimEnd('/') + "/"),
            Timeout = TimeSpan.FromSeconds(options.RequestTimeoutSeconds),
        };
        if (!string.IsNullOrEmpty(options.Token))
        {
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Token", options.Token);
        }
        else if (!string.IsNullOrEmpty(options.Username))
        {
            var credentials = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{options.Username}:{options.Password}"));
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", credentials);
        }
    }

    public HistorySpool Spool { get; }

    public string DatabaseName => _database;

    /// <summary>The delay before retry number <paramref name="failures"/> + 1: 1 s, doubling, at most a minute.</summary>
    public static TimeSpan Backoff(int failures) =>
        TimeSpan.FromSeconds(Math.Min(MaxBackoff.TotalSeconds, Math.Pow(2, Math.Min(failures, 16))));

    public async Task WriteAsync(IReadOnlyList<HistoryPoint> points, long? writtenUpToMs, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(points);
        var bodies = new List<(string Body, int Lines, List<(HistoryKind, string, long)> Keys)>();
        var text = new StringBuilder();
        var keys = new List<(HistoryKind, string, long)>();
        foreach (var point in points)
        {
            AppendLine(text, point);
            keys.Add((point.Kind, point.Id, point.IntervalStartMs));
            if (keys.Count == LinesPerWrite)
            {
                bodies.Add((text.ToString(), keys.Count, keys));
                text.Clear();
                keys = [];
            }
        }

        if (writtenUpToMs is { } watermark)
        {
            // The watermark is its own timestamp, so max() over the measurement is the latest ever written.
            text.Append(CultureInfo.InvariantCulture, $"{WatermarkMeasurement} {WatermarkField}={watermark}i {watermark}\n");
        }

        if (text.Length > 0)
        {
            bodies.Add((text.ToString(), keys.Count, keys));
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var reachable = Spool.IsEmpty && await TryEnsureRollupStateAsync(cancellationToken).ConfigureAwait(false);
            foreach (var (body, count, bodyKeys) in bodies)
            {
                // Behind a backlog, a direct write would land before older spooled versions of the same
                // intervals and then be overwritten by them: keep the order by spooling too. A write whose
                // roll-ups could not be rebuilt is spooled as well, so that sending it again rebuilds them.
                if (reachable && Spool.IsEmpty
                    && await TrySendAsync(body, cancellationToken).ConfigureAwait(false)
                    && await TryRebuildRollupsAsync(bodyKeys, cancellationToken).ConfigureAwait(false))
                {
                    continue;
                }

                var dropped = Spool.Append(body, count);
                Log.Spooled(_logger, count, Spool.BacklogPoints);
                if (dropped > 0)
                {
                    Log.SpoolFull(_logger, dropped, Spool.DroppedPoints);
                }

                // Under the gate nothing else releases the signal, so this never overfills it.
                if (_spoolSignal.CurrentCount == 0)
                {
                    _spoolSignal.Release();
                }
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Sends spooled writes oldest first, each followed by the rebuild of its roll-ups, until the spool is empty (true) or a send fails (false).</summary>
    public async Task<bool> TryDrainSpoolAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!Spool.IsEmpty && !await TryEnsureRollupStateAsync(cancellationToken).ConfigureAwait(false))
            {
                return false;
            }

            var sent = 0L;
            while (Spool.TryPeekOldest(out var sequence, out var body, out var points))
            {
                try
                {
                    if (!await TrySendAsync(body, cancellationToken).ConfigureAwait(false)
                        || !await TryRebuildRollupsAsync(KeysOf(body), cancellationToken).ConfigureAwait(false))
                    {
                        return false;
                    }
                }
                catch (InfluxException ex)
                {
                    // A body InfluxDB rejects now will be rejected on every retry; keeping it would block everything behind it.
                    Spool.Reject(sequence);
                    Log.SpoolRejected(_logger, points, ex.Message);
                    continue;
                }

                Spool.Remove(sequence);
                sent += points;
            }

            if (sent > 0)
            {
                Log.SpoolDrained(_logger, sent);
            }

            return true;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Retries the spool while it holds anything, waiting 1 s, 2 s, 4 s … (at most a minute) on the
    /// <see cref="TimeProvider"/> between failed attempts; idles while the spool is empty. The host
    /// runs it for its lifetime (<see cref="HistorySpoolRetryHost"/>).
    /// </summary>
    public async Task RunSpoolRetryAsync(CancellationToken cancellationToken)
    {
        var failures = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            if (Spool.IsEmpty)
            {
                failures = 0;
                await _spoolSignal.WaitAsync(cancellationToken).ConfigureAwait(false);
                continue;
            }

            await Task.Delay(Backoff(failures), _time, cancellationToken).ConfigureAwait(false);
            bool drained;
            try
            {
                drained = await TryDrainSpoolAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // The spool folder itself failed (disk full, permissions): retry later like an outage.
                Log.SpoolUnreadable(_logger, ex.Message);
                drained = false;
            }

            if (drained)
            {
                failures = 0;
            }
            else
            {
                failures++;
                Log.RetryFailed(_logger, failures, Spool.BacklogPoints, Backoff(failures));
            }
        }
    }

    public Task<IReadOnlyList<HistoryPoint>> QueryAsync(HistoryKind kind, IReadOnlyCollection<string>? ids, long fromMs, long toMs, CancellationToken cancellationToken = default) =>
        ReadPointsAsync(kind, HistorySchema.TableName(kind), ids, fromMs, toMs, cancellationToken);

    public async Task<IReadOnlyList<HistoryPoint>> QueryForStepsAsync(
        HistoryKind kind, IReadOnlyCollection<string>? ids, long fromMs, long toMs, IntervalLength stepLength, DateTimeZone zone, CancellationToken cancellationToken = default)
    {
        if (Rollups.All.Count == 0)
        {
            return await QueryAsync(kind, ids, fromMs, toMs, cancellationToken).ConfigureAwait(false);
        }

        await EnsureRollupStateAsync(cancellationToken).ConfigureAwait(false);
        var complete = _completeRollups;
        var rollup = Rollups.Serving(stepLength, zone, fromMs, toMs, rollup => complete?.Contains(rollup.Name) == true);
        return await ReadPointsAsync(kind, rollup is null ? HistorySchema.TableName(kind) : Measurement(kind, rollup), ids, fromMs, toMs, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The points of a kind's measurement (its 15-minute intervals or one of its roll-ups), ordered by id and start.</summary>
    private async Task<IReadOnlyList<HistoryPoint>> ReadPointsAsync(HistoryKind kind, string measurement, IReadOnlyCollection<string>? ids, long fromMs, long toMs, CancellationToken cancellationToken)
    {
        var fields = HistorySchema.Fields(kind);
        var tag = HistorySchema.IdName(kind);
        // InfluxDB keeps nanoseconds in an int64 (years 1677–2262); wider bounds mean "everything".
        fromMs = Math.Max(fromMs, MinTimeMs);
        toMs = Math.Min(toMs, MaxTimeMs);
        var query = new StringBuilder(string.Create(CultureInfo.InvariantCulture,
            $"SELECT \"{tag}\", {string.Join(", ", fields.Select(field => $"\"{field}\""))} FROM {QuoteIdentifier(measurement)} WHERE time >= {fromMs}ms AND time < {toMs}ms"));
        if (ids is { Count: > 0 })
        {
            query.Append(" AND (");
            query.AppendJoin(" OR ", ids.Select(id => $"\"{tag}\" = {QuoteString(id)}"));
            query.Append(')');
        }

        var points = new List<HistoryPoint>();
        await QueryRowsAsync(query.ToString(), columns =>
        {
            // Where each column goes, worked out once per series rather than per cell.
            var targets = columns.Select(name => name == "time" ? TimeColumn : name == tag ? IdColumn : IndexOf(fields, name)).ToArray();
            return row =>
            {
                var values = new long[fields.Count];
                var id = string.Empty;
                var time = 0L;
                var c = 0;
                foreach (var cell in row.EnumerateArray())
                {
                    var target = c < targets.Length ? targets[c] : -1;
                    c++;
                    if (target >= 0)
                    {
                        values[target] = cell.ValueKind == JsonValueKind.Number ? cell.GetInt64() : 0;
                    }
                    else if (target == TimeColumn)
                    {
                        time = cell.GetInt64();
                    }
                    else if (target == IdColumn && cell.ValueKind == JsonValueKind.String)
                    {
                        id = cell.GetString()!;
                    }
                }

                points.Add(new HistoryPoint(kind, id, time, values));
            };
        }, cancellationToken).ConfigureAwait(false);

        points.Sort(static (a, b) =>
        {
            var byId = string.CompareOrdinal(a.Id, b.Id);
            return byId != 0 ? byId : a.IntervalStartMs.CompareTo(b.IntervalStartMs);
        });
        return points;
    }

    public async Task<long?> GetWrittenUpToAsync(CancellationToken cancellationToken = default)
    {
        long? watermark = null;
        await QueryRowsAsync($"SELECT max(\"{WatermarkField}\") FROM \"{WatermarkMeasurement}\"", columns =>
        {
            var index = Array.IndexOf(columns, "max");
            return row =>
            {
                if (index >= 0 && row[index].ValueKind == JsonValueKind.Number)
                {
                    watermark = row[index].GetInt64();
                }
            };
        }, cancellationToken).ConfigureAwait(false);
        return watermark;
    }

    /// <summary>Creates the database if it does not exist (InfluxDB treats that as a no-op).</summary>
    public async Task EnsureDatabaseAsync(CancellationToken cancellationToken = default)
    {
        await CommandAsync($"CREATE DATABASE {QuoteIdentifier(_database)}", cancellationToken).ConfigureAwait(false);
        _databaseReady = true;
    }

    public async Task DropDatabaseAsync(CancellationToken cancellationToken = default)
    {
        await CommandAsync($"DROP DATABASE {QuoteIdentifier(_database)}", cancellationToken).ConfigureAwait(false);
        _databaseReady = false;
        _completeRollups = null;
    }

    /// <summary>Loads the roll-up list (<see cref="EnsureRollupStateAsync"/>); false when InfluxDB cannot be reached now.</summary>
    private Task<bool> TryEnsureRollupStateAsync(CancellationToken cancellationToken) => WhenReachableAsync(async () =>
    {
        await EnsureRollupStateAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }, cancellationToken);

    public void Dispose()
    {
        _http.Dispose();
        _gate.Dispose();
        _spoolSignal.Dispose();
        _rollupStateGate.Dispose();
    }

    /// <summary>One line of line protocol: measurement, id tag, integer fields, timestamp in ms.</summary>
    internal static void AppendLine(StringBuilder text, in HistoryPoint point)
    {
        text.Append(HistorySchema.TableName(point.Kind));
        if (point.Id.Length > 0)
        {
            // An empty tag value is not allowed in line protocol; a point without the tag reads back as id "".
            text.Append(',').Append(HistorySchema.IdName(point.Kind)).Append('=');
            AppendEscapedTag(text, point.Id);
        }

        var fields = HistorySchema.Fields(point.Kind);
        for (var i = 0; i < fields.Count; i++)
        {
            text.Append(i == 0 ? ' ' : ',').Append(fields[i]).Append('=').Append(point.Values[i].ToString(CultureInfo.InvariantCulture)).Append('i');
        }

        text.Append(' ').Append(point.IntervalStartMs.ToString(CultureInfo.InvariantCulture)).Append('\n');
    }

    private static void AppendEscapedTag(StringBuilder text, string value)
    {
        foreach (var c in value)
        {
            switch (c)
            {
                case ',' or '=' or ' ':
                    text.Append('\\').Append(c);
                    break;
                case '\n' or '\r':
                    // Line protocol has no escape for a line break; ids come from line-based logs and never hold one.
                    text.Append(' ');
                    break;
                default:
                    text.Append(c);
                    break;
            }
        }
    }

    private static string QuoteString(string value) => "'" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal) + "'";

    private static string QuoteIdentifier(string value) => "\"" + value.Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    private static int IndexOf(IReadOnlyList<string> fields, string name)
    {
        for (var i = 0; i < fields.Count; i++)
        {
            if (fields[i] == name)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Posts one body; false for failures a retry can cure (server down, slow, 5xx), throws for a body the server rejects.</summary>
    private Task<bool> TrySendAsync(string body, CancellationToken cancellationToken) => WhenReachableAsync(async () =>
    {
        if (!_databaseReady)
        {
            await EnsureDatabaseAsync(cancellationToken).ConfigureAwait(false);
        }

        using var content = new StringContent(body, Encoding.UTF8, "text/plain");
        using var response = await _http.PostAsync($"write?db={Uri.EscapeDataString(_database)}&precision=ms", content, cancellationToken).ConfigureAwait(false);
        if (response.IsSuccessStatusCode)
        {
            return true;
        }

        var message = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            // The database was dropped under us: create it again on the next attempt.
            _databaseReady = false;
            return false;
        }

        if (response.StatusCode == HttpStatusCode.BadRequest)
        {
            throw new InfluxException($"InfluxDB rejected a write: {message}");
        }

        Log.WriteFailed(_logger, (int)response.StatusCode, message);
        return false;
    }, cancellationToken);

    /// <summary>
    /// Runs <paramref name="attempt"/>; false, logged, when InfluxDB cannot be reached, is too slow or
    /// answers 5xx: what a later retry may cure.
    /// </summary>
    private async Task<bool> WhenReachableAsync(Func<Task<bool>> attempt, CancellationToken cancellationToken)
    {
        try
        {
            return await attempt().ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            Log.Unreachable(_logger, ex.Message);
            return false;
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            Log.Unreachable(_logger, "request timed out");
            return false;
        }
        catch (InfluxException ex) when (ex.Transient)
        {
            Log.Unreachable(_logger, ex.Message);
            return false;
        }
    }

    private async Task CommandAsync(string statement, CancellationToken cancellationToken)
    {
        using var content = new FormUrlEncodedContent([new("q", statement)]);
        using var response = await _http.PostAsync("query", content, cancellationToken).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new InfluxException($"InfluxDB answered {(int)response.StatusCode} to {statement}: {text}", transient: (int)response.StatusCode >= 500);
        }

        using var document = JsonDocument.Parse(text);
        ThrowOnError(document.RootElement);
    }

    /// <summary>Runs a query with chunked results: <paramref name="onSeries"/> gets each series' columns and returns what to do with each of its rows.</summary>
    private async Task QueryRowsAsync(string query, Func<string[], Action<JsonElement>> onSeries, CancellationToken cancellationToken)
    {
        // POSTed as a form: a filter on hundreds of ids would make a very long URL.
        using var request = new HttpRequestMessage(HttpMethod.Post, "query")
        {
            Content = new FormUrlEncodedContent(
            [
                new("db", _database), new("epoch", "ms"), new("chunked", "true"), new("chunk_size", "10000"), new("q", query),
            ]),
        };
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            throw new InfluxException($"InfluxDB answered {(int)response.StatusCode} to a query: {text}");
        }

        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), Encoding.UTF8);
        // A chunked answer is one JSON document per line.
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            using var document = JsonDocument.Parse(line);
            ThrowOnError(document.RootElement);
            if (!document.RootElement.TryGetProperty("results", out var results))
            {
                continue;
            }

            foreach (var result in results.EnumerateArray())
            {
                if (!result.TryGetProperty("series", out var series))
                {
                    continue;
                }

                foreach (var serie in series.EnumerateArray())
                {
                    var columns = serie.GetProperty("columns").EnumerateArray().Select(column => column.GetString() ?? string.Empty).ToArray();
                    if (!serie.TryGetProperty("values", out var values))
                    {
                        continue;
                    }

                    var onRow = onSeries(columns);
                    foreach (var row in values.EnumerateArray())
                    {
                        onRow(row);
                    }
                }
            }
        }
    }

    /// <summary>InfluxDB reports statement errors with HTTP 200 and an <c>error</c> inside <c>results</c>.</summary>
    private static void ThrowOnError(JsonElement root)
    {
        if (root.TryGetProperty("error", out var error))
        {
            throw new InfluxException($"InfluxDB: {error.GetString()}");
        }

        if (root.TryGetProperty("results", out var results))
        {
            foreach (var result in results.EnumerateArray())
            {
                if (result.TryGetProperty("error", out var statementError))
                {
                    throw new InfluxException($"InfluxDB: {statementError.GetString()}");
                }
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 4101, Level = LogLevel.Warning, Message = "InfluxDB write of {Points} points spooled; backlog {Backlog} points")]
        public static partial void Spooled(ILogger logger, int points, long backlog);

        [LoggerMessage(EventId = 4102, Level = LogLevel.Warning, Message = "History spool full: dropped {Dropped} oldest points ({Total} since start)")]
        public static partial void SpoolFull(ILogger logger, long dropped, long total);

        [LoggerMessage(EventId = 4103, Level = LogLevel.Information, Message = "History spool drained: {Points} points sent to InfluxDB")]
        public static partial void SpoolDrained(ILogger logger, long points);

        [LoggerMessage(EventId = 4104, Level = LogLevel.Warning, Message = "InfluxDB still unavailable after {Failures} retries; backlog {Backlog} points, next retry in {Delay}")]
        public static partial void RetryFailed(ILogger logger, int failures, long backlog, TimeSpan delay);

        [LoggerMessage(EventId = 4105, Level = LogLevel.Warning, Message = "InfluxDB write failed with HTTP {Status}: {Message}")]
        public static partial void WriteFailed(ILogger logger, int status, string message);

        [LoggerMessage(EventId = 4106, Level = LogLevel.Warning, Message = "InfluxDB unreachable: {Reason}")]
        public static partial void Unreachable(ILogger logger, string reason);

        [LoggerMessage(EventId = 4107, Level = LogLevel.Error, Message = "InfluxDB rejected a spooled write of {Points} points; dropped: {Reason}")]
        public static partial void SpoolRejected(ILogger logger, int points, string reason);

        [LoggerMessage(EventId = 4108, Level = LogLevel.Error, Message = "History spool unreadable: {Reason}")]
        public static partial void SpoolUnreadable(ILogger logger, string reason);

        [LoggerMessage(EventId = 4109, Level = LogLevel.Information, Message = "History roll-up {Rollup} built over the intervals stored in InfluxDB database {Database}")]
        public static partial void RollupBuilt(ILogger logger, string rollup, string database);

        [LoggerMessage(EventId = 4110, Level = LogLevel.Error, Message = "InfluxDB refused to rebuild history roll-ups; they are marked incomplete and queries read the 15-minute points until they are built again: {Reason}")]
        public static partial void RollupFailed(ILogger logger, string reason);
    }
}

/// <summary>An error InfluxDB reported (HTTP status or an <c>error</c> in its JSON answer).</summary>
internal sealed class InfluxException : Exception
{
    public InfluxException(string message, bool transient = false)
        : base(message)
    {
        Transient = transient;
    }

    public InfluxException()
    {
    }

    public InfluxException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Whether a later retry may succeed (the server answered 5xx).</summary>
    public bool Transient { get; }
}
