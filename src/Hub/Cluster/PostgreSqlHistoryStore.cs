using System.Globalization;
using System.Text;
using Npgsql;
using NpgsqlTypes;
using Wallboard.Metrics.History;

namespace Wallboard.Hub.Cluster;

/// <summary>
/// History in PostgreSQL, for a cluster without InfluxDB: every hub reads it, the hub that runs a
/// partition's core writes that partition's intervals. One table per kind keyed by (id, interval
/// start), written with UPSERT so that rewriting an interval replaces it — the behaviour of the
/// SQLite and InfluxDB stores, checked by the same contract tests, roll-ups included
/// (<c>PostgreSqlHistoryStore.Rollups.cs</c>).
/// </summary>
/// <remarks>
/// A write is one statement per kind whatever the number of points: the points go as one array
/// per column and <c>unnest</c> turns them into rows, so a 20,000-point import batch is one round
/// trip. Ids are compared with the "C" collation, byte order of UTF-8, which is the ordinal order the
/// contract asks for. The schema is made on first use (the server may start before the database).
/// </remarks>
internal sealed partial class PostgreSqlHistoryStore : IKpiHistoryStore, IAsyncDisposable, IDisposable
{
    private const string WatermarkKey = "written_up_to_ms";

    private readonly NpgsqlDataSource _data;
    private readonly bool _ownsData;
    private readonly string _schema;
    private readonly string _schemaName;
    private readonly SemaphoreSlim _schemaGate = new(1, 1);
    private volatile bool _schemaReady;
    private volatile string? _problem;

    /// <param name="data">The database.</param>
    /// <param name="schema">The schema of the tables (made when missing): <c>wallboard</c> in a cluster, one per test in the contract tests.</param>
    /// <param name="ownsData">Whether disposing the store disposes <paramref name="data"/>.</param>
    /// <param name="rollups">The roll-ups kept (<c>History:RollupZones</c>); none by default.</param>
    public PostgreSqlHistoryStore(NpgsqlDataSource data, string schema, bool ownsData = false, StoredRollups? rollups = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (!ClusterOptions.SafeName().IsMatch(schema))
        {
            throw new ArgumentException($"schema '{schema}' must be letters, digits, '-' or '_'", nameof(schema));
        }

        _data = data;
        _schemaName = schema;
        _schema = "\"" + schema + "\"";
        _ownsData = ownsData;
        Rollups = rollups ?? StoredRollups.None;
    }

    /// <summary>The last failure to reach the database, for /healthz; null once a query succeeds again.</summary>
    public string? Problem => _problem;

    /// <summary>The schema, also quoted in docs/cluster.md.</summary>
    public static string SchemaSql(string schema)
    {
        var sql = new StringBuilder();
        sql.Append(CultureInfo.InvariantCulture, $"CREATE SCHEMA IF NOT EXISTS {schema};\n");
        foreach (var kind in Enum.GetValues<HistoryKind>())
        {
            var id = HistorySchema.IdName(kind);
            AppendCountersTable(sql, kind, $"{schema}.{HistorySchema.TableName(kind)}", $"{id} text COLLATE \"C\" NOT NULL,\n  interval_start_ms bigint NOT NULL", $"{id}, interval_start_ms");
            AppendCountersTable(sql, kind, $"{schema}.{RollupTable(kind)}", $"rollup text COLLATE \"C\" NOT NULL,\n  {id} text COLLATE \"C\" NOT NULL,\n  start_ms bigint NOT NULL", $"rollup, {id}, start_ms");
        }

        sql.Append(CultureInfo.InvariantCulture, $"CREATE TABLE IF NOT EXISTS {schema}.history_meta (key text PRIMARY KEY, value bigint NOT NULL);\n");
        sql.Append(CultureInfo.InvariantCulture, $"CREATE TABLE IF NOT EXISTS {schema}.history_rollups (name text COLLATE \"C\" PRIMARY KEY, complete boolean NOT NULL);\n");
        return sql.ToString();
    }

    /// <summary>A table of <paramref name="kind"/>'s counters under <paramref name="keys"/>.</summary>
    private static void AppendCountersTable(StringBuilder sql, HistoryKind kind, string table, string keys, string primaryKey)
    {
        sql.Append(CultureInfo.InvariantCulture, $"CREATE TABLE IF NOT EXISTS {table} (\n  {keys},\n  PRIMARY KEY ({primaryKey})\n);\n");

        // Counters added after a table was made (e.g. withdrawn) come in with 0 for the rows already stored.
        foreach (var field in HistorySchema.Fields(kind))
        {
            sql.Append(CultureInfo.InvariantCulture, $"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS {field} bigint NOT NULL DEFAULT 0;\n");
        }
    }

    public async Task WriteAsync(IReadOnlyList<HistoryPoint> points, long? writtenUpToMs, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(points);
        await RunAsync(async connection =>
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            foreach (var kind in Enum.GetValues<HistoryKind>())
            {
                // One row per key in a statement (ON CONFLICT may not touch a row twice): the last point of a key wins, as a later write would.
                var latest = new Dictionary<(string, long), HistoryPoint>();
                foreach (var point in points)
                {
                    if (point.Kind == kind)
                    {
                        latest[(point.Id, point.IntervalStartMs)] = point;
                    }
                }

                if (latest.Count > 0)
                {
                    List<HistoryPoint> written = [.. latest.Values];
                    await UpsertAsync(connection, kind, written, cancellationToken).ConfigureAwait(false);
                    await RebuildTouchedAsync(connection, kind, written, cancellationToken).ConfigureAwait(false);
                }
            }

            if (writtenUpToMs is { } watermark)
            {
                await using var meta = new NpgsqlCommand(
                    $"INSERT INTO {_schema}.history_meta (key, value) VALUES (@key, @value) ON CONFLICT (key) DO UPDATE SET value = GREATEST(history_meta.value, excluded.value)",
                    connection);
                meta.Parameters.AddWithValue("key", WatermarkKey);
                meta.Parameters.AddWithValue("value", watermark);
                await meta.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }, cancellationToken).ConfigureAwait(false);
    }

    public Task<IReadOnlyList<HistoryPoint>> QueryAsync(HistoryKind kind, IReadOnlyCollection<string>? ids, long fromMs, long toMs, CancellationToken cancellationToken = default) =>
        RunAsync(connection => ReadRowsAsync(connection, kind, null, ids, fromMs, toMs, cancellationToken), cancellationToken);

    /// <summary>The 15-minute rows (<paramref name="rollup"/> null) or the buckets of a roll-up, ordered by id and start.</summary>
    private async Task<IReadOnlyList<HistoryPoint>> ReadRowsAsync(
        NpgsqlConnection connection, HistoryKind kind, StoredRollup? rollup, IReadOnlyCollection<string>? ids, long fromMs, long toMs, CancellationToken cancellationToken)
    {
        var fields = HistorySchema.Fields(kind);
        var id = HistorySchema.IdName(kind);
        var (table, start) = rollup is null ? (HistorySchema.TableName(kind), "interval_start_ms") : (RollupTable(kind), "start_ms");
        var filtered = ids is { Count: > 0 };
        await using var command = new NpgsqlCommand(
            $"SELECT {id}, {start}, {string.Join(", ", fields)} FROM {_schema}.{table} "
            + $"WHERE {(rollup is null ? string.Empty : "rollup = @rollup AND ")}{start} >= @from AND {start} < @to{(filtered ? $" AND {id} = ANY(@ids)" : string.Empty)} ORDER BY {id}, {start}",
            connection);
        command.Parameters.AddWithValue("from", fromMs);
        command.Parameters.AddWithValue("to", toMs);
        if (rollup is not null)
        {
            command.Parameters.AddWithValue("rollup", rollup.Name);
        }

        if (filtered)
        {
            command.Parameters.AddWithValue("ids", ids!.ToArray());
        }

        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await History.HistoryRows.ReadAsync(reader, kind, cancellationToken).ConfigureAwait(false);
    }

    public Task<long?> GetWrittenUpToAsync(CancellationToken cancellationToken = default) =>
        RunAsync(async connection =>
        {
            await using var command = new NpgsqlCommand($"SELECT value FROM {_schema}.history_meta WHERE key = @key", connection);
            command.Parameters.AddWithValue("key", WatermarkKey);
            return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long ms ? ms : (long?)null;
        }, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        _schemaGate.Dispose();
        if (_ownsData)
        {
            await _data.DisposeAsync().ConfigureAwait(false);
        }
    }

    public void Dispose()
    {
        _schemaGate.Dispose();
        if (_ownsData)
        {
            _data.Dispose();
        }
    }

    private async Task UpsertAsync(NpgsqlConnection connection, HistoryKind kind, List<HistoryPoint> points, CancellationToken cancellationToken)
    {
        var fields = HistorySchema.Fields(kind);
        var id = HistorySchema.IdName(kind);
        var columns = string.Join(", ", fields);
        var arrays = string.Join(", ", fields.Select((_, i) => "@v" + i.ToString(CultureInfo.InvariantCulture)));
        var updates = string.Join(", ", fields.Select(field => $"{field} = excluded.{field}"));
        await using var command = new NpgsqlCommand(
            $"INSERT INTO {_schema}.{HistorySchema.TableName(kind)} ({id}, interval_start_ms, {columns}) "
            + $"SELECT * FROM unnest(@ids, @starts, {arrays}) ON CONFLICT ({id}, interval_start_ms) DO UPDATE SET {updates}",
            connection);
        command.Parameters.Add(new NpgsqlParameter<string[]>("ids", NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = [.. points.Select(point => point.Id)] });
        command.Parameters.Add(new NpgsqlParameter<long[]>("starts", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { TypedValue = [.. points.Select(point => point.IntervalStartMs)] });
        for (var f = 0; f < fields.Count; f++)
        {
            var column = new long[points.Count];
            for (var p = 0; p < column.Length; p++)
            {
                column[p] = points[p].Values[f];
            }

            command.Parameters.Add(new NpgsqlParameter<long[]>("v" + f.ToString(CultureInfo.InvariantCulture), NpgsqlDbType.Array | NpgsqlDbType.Bigint) { TypedValue = column });
        }

        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs <paramref name="work"/> on a connection, the schema made first; a failure is kept for /healthz and thrown.</summary>
    private async Task<T> RunAsync<T>(Func<NpgsqlConnection, Task<T>> work, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await _data.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await EnsureSchemaAsync(connection, cancellationToken).ConfigureAwait(false);
            var result = await work(connection).ConfigureAwait(false);
            _problem = null;
            return result;
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            _problem = "PostgreSQL: " + ex.Message;
            throw;
        }
    }

    private async Task EnsureSchemaAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        if (_schemaReady)
        {
            return;
        }

        await _schemaGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_schemaReady)
            {
                return;
            }

            // Hubs starting together would race on CREATE … IF NOT EXISTS (it is not safe against a
            // concurrent create); a transaction-scoped advisory lock makes them take turns.
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (var lockSchema = new NpgsqlCommand("SELECT pg_advisory_xact_lock(@key)", connection))
            {
                lockSchema.Parameters.AddWithValue("key", ClusterKeys.LockKey("schema", _schemaName));
                await lockSchema.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await using (var create = new NpgsqlCommand(SchemaSql(_schema), connection))
            {
                await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await SyncRollupsAsync(connection, cancellationToken).ConfigureAwait(false);

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            _schemaReady = true;
        }
        finally
        {
            _schemaGate.Release();
        }
    }
}
