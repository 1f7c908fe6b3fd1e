using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Wallboard.Metrics.History;

namespace Wallboard.Hub.History;

/// <summary>
/// The embedded history store: one SQLite file, one table per kind keyed by (id, interval start),
/// written with UPSERT so that rewriting an interval replaces it. Used when no InfluxDB is configured.
/// </summary>
/// <remarks>
/// WAL journal mode lets queries run while a write is in progress; writes are serialized here
/// because SQLite allows one writer at a time and would otherwise fail with SQLITE_BUSY.
/// <para>
/// A file deleted or replaced while the server runs is found before each write, asking SQLite
/// whether the file its connection has open is still the one at the path
/// (<c>SQLITE_FCNTL_HAS_MOVED</c>): in WAL mode SQLite itself goes on writing into the deleted file
/// without a word, and after a restart history was empty. The store then says so
/// (<see cref="Problem"/>, shown by /healthz as unhealthy, and the log), closes its connections and
/// opens the file at the path again, creating it when it is gone.
/// </para>
/// </remarks>
internal sealed partial class SqliteHistoryStore : IKpiHistoryStore, IDisposable
{
    private const string WatermarkKey = "written_up_to_ms";

    /// <summary><c>SQLITE_FCNTL_HAS_MOVED</c> from sqlite3.h.</summary>
    private const int FileControlHasMoved = 20;

    private readonly string _connectionString;
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private readonly ILogger _logger;

    /// <summary>Ids already in <c>history_ids</c>, loaded on the first write; only guarded by the write gate.</summary>
    private HashSet<(string Kind, string Id)>? _knownIds;
    private volatile string? _problem;

    public SqliteHistoryStore(string path, ILogger<SqliteHistoryStore>? logger = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = Path.GetFullPath(path);
        _logger = logger ?? (ILogger)Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
        _connectionString = new SqliteConnectionStringBuilder { DataSource = full, Pooling = true }.ToString();
        FilePath = full;
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            CreateSchema();
        }
        catch (Exception ex) when (ex is SqliteException or UnauthorizedAccessException or IOException)
        {
            // A read-only file or folder: one line that says which file and why, not a stack trace.
            throw new Hosting.SetupException($"{HistoryOptions.SectionName}:SqlitePath: {full} cannot be opened for writing by this user ({Environment.UserName}): {ex.Message}");
        }
    }

    public string FilePath { get; }

    /// <summary>What went wrong with the file since start (it was deleted or replaced while in use); null while all is well.</summary>
    public string? Problem => _problem ?? (File.Exists(FilePath) ? null : $"{FilePath} is missing: it was deleted while the server runs; the next write creates it again");

    /// <summary>The schema, also quoted in docs/storage.md.</summary>
    public static string SchemaSql()
    {
        var sql = new StringBuilder("PRAGMA journal_mode = WAL;\n");
        foreach (var kind in Enum.GetValues<HistoryKind>())
        {
            var table = HistorySchema.TableName(kind);
            var id = HistorySchema.IdName(kind);
            sql.Append(CultureInfo.InvariantCulture, $"CREATE TABLE IF NOT EXISTS {table} (\n  {id} TEXT NOT NULL,\n  interval_start_ms INTEGER NOT NULL,\n");
            foreach (var field in HistorySchema.Fields(kind))
            {
                sql.Append(CultureInfo.InvariantCulture, $"  {field} INTEGER NOT NULL,\n");
            }

            sql.Append(CultureInfo.InvariantCulture, $"  PRIMARY KEY ({id}, interval_start_ms)\n) WITHOUT ROWID;\n");
        }

        // The ids of each kind: a query over all ids seeks the primary key once per id (rows come out
        // sorted, no temporary B-tree) instead of going through a time index with a key lookup per row.
        sql.Append("CREATE TABLE IF NOT EXISTS history_ids (kind TEXT NOT NULL, id TEXT NOT NULL, PRIMARY KEY (kind, id)) WITHOUT ROWID;\n");
        sql.Append("CREATE TABLE IF NOT EXISTS history_meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;\n");
        return sql.ToString();
    }

    /// <summary>
    /// Adds the columns of counters that came after a file was made (e.g. <c>withdrawn</c>), with 0 for the
    /// intervals already stored: nothing was counted under them then.
    /// </summary>
    private static void AddMissingColumns(SqliteConnection connection)
    {
        foreach (var kind in Enum.GetValues<HistoryKind>())
        {
            var table = HistorySchema.TableName(kind);
            var present = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            using (var info = connection.CreateCommand())
            {
                info.CommandText = $"SELECT name FROM pragma_table_info('{table}')";
                using var reader = info.ExecuteReader();
                while (reader.Read())
                {
                    present.Add(reader.GetString(0));
                }
            }

            foreach (var field in HistorySchema.Fields(kind).Where(field => !present.Contains(field)))
            {
                using var alter = connection.CreateCommand();
                alter.CommandText = $"ALTER TABLE {table} ADD COLUMN {field} INTEGER NOT NULL DEFAULT 0";
                alter.ExecuteNonQuery();
            }
        }
    }

    public async Task WriteAsync(IReadOnlyList<HistoryPoint> points, long? writtenUpToMs, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(points);
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var connection = await OpenForWriteAsync().ConfigureAwait(false);
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            var commands = new Dictionary<HistoryKind, (SqliteCommand Command, SqliteParameter[] Parameters)>();
            var newIds = new HashSet<(string Kind, string Id)>();
            _knownIds ??= await LoadIdsAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
            try
            {
                foreach (var point in points)
                {
                    var kindName = HistorySchema.IdName(point.Kind);
                    if (!_knownIds.Contains((kindName, point.Id)))
                    {
                        newIds.Add((kindName, point.Id));
                    }

                    if (!commands.TryGetValue(point.Kind, out var upsert))
                    {
                        upsert = commands[point.Kind] = PrepareUpsert(connection, transaction, point.Kind);
                    }

                    upsert.Parameters[0].Value = point.Id;
                    upsert.Parameters[1].Value = point.IntervalStartMs;
                    for (var i = 0; i < point.Values.Length; i++)
                    {
                        upsert.Parameters[i + 2].Value = point.Values[i];
                    }

                    await upsert.Command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                if (writtenUpToMs is { } watermark)
                {
                    await using var meta = connection.CreateCommand();
                    meta.Transaction = transaction;
                    meta.CommandText = "INSERT INTO history_meta (key, value) VALUES ($key, $value) ON CONFLICT(key) DO UPDATE SET value = max(value, excluded.value)";
                    meta.Parameters.AddWithValue("$key", WatermarkKey);
                    meta.Parameters.AddWithValue("$value", watermark);
                    await meta.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                if (newIds.Count > 0)
                {
                    await using var ids = connection.CreateCommand();
                    ids.Transaction = transaction;
                    ids.CommandText = "INSERT OR IGNORE INTO history_ids (kind, id) VALUES ($kind, $id)";
                    var kind = ids.Parameters.Add("$kind", SqliteType.Text);
                    var id = ids.Parameters.Add("$id", SqliteType.Text);
                    foreach (var (kindName, idValue) in newIds)
                    {
                        kind.Value = kindName;
                        id.Value = idValue;
                        await ids.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                    }
                }

                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                _knownIds.UnionWith(newIds);
            }
            finally
            {
                foreach (var (command, _) in commands.Values)
                {
                    await command.DisposeAsync().ConfigureAwait(false);
                }
            }
        }
        finally
        {
            _writeGate.Release();
        }
    }

    public async Task<IReadOnlyList<HistoryPoint>> QueryAsync(HistoryKind kind, IReadOnlyCollection<string>? ids, long fromMs, long toMs, CancellationToken cancellationToken = default)
    {
        var fields = HistorySchema.Fields(kind);
        var id = HistorySchema.IdName(kind);
        var sql = new StringBuilder(string.Create(CultureInfo.InvariantCulture, $"SELECT {id}, interval_start_ms, {string.Join(", ", fields)} FROM {HistorySchema.TableName(kind)} WHERE interval_start_ms >= $from AND interval_start_ms < $to"));
        var filtered = ids is { Count: > 0 };
        // One parameter holding a JSON array keeps the statement the same for any number of ids.
        sql.Append(filtered ? $" AND {id} IN (SELECT value FROM json_each($ids))" : $" AND {id} IN (SELECT id FROM history_ids WHERE kind = $kind)");

        sql.Append(CultureInfo.InvariantCulture, $" ORDER BY {id}, interval_start_ms");
        await using var connection = Open();
        await using var command = connection.CreateCommand();
        command.CommandText = sql.ToString();
        command.Parameters.AddWithValue("$from", fromMs);
        command.Parameters.AddWithValue("$to", toMs);
        if (filtered)
        {
            command.Parameters.AddWithValue("$ids", JsonSerializer.Serialize(ids));
        }
        else
        {
            command.Parameters.AddWithValue("$kind", id);
        }

        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);

        // SQLite orders text by bytes (BINARY collation), which is ordinal order for UTF-8.
        return await HistoryRows.ReadAsync(reader, kind, cancellationToken).ConfigureAwait(false);
    }

    public async Task<long?> GetWrittenUpToAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = Open();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT value FROM history_meta WHERE key = $key";
        command.Parameters.AddWithValue("$key", WatermarkKey);
        var value = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return value is long ms ? ms : null;
    }

    public void Dispose()
    {
        _writeGate.Dispose();
        // Pooled connections keep the file open; release them so the file can be moved or deleted.
        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
    }

    private static async Task<HashSet<(string Kind, string Id)>> LoadIdsAsync(SqliteConnection connection, SqliteTransaction transaction, CancellationToken cancellationToken)
    {
        var known = new HashSet<(string, string)>();
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT kind, id FROM history_ids";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            known.Add((reader.GetString(0), reader.GetString(1)));
        }

        return known;
    }

    private void CreateSchema()
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = SchemaSql();
        command.ExecuteNonQuery();
        AddMissingColumns(connection);
    }

    /// <summary>A connection to the file at the path; when the file open was deleted or replaced, says so and opens the path again.</summary>
    private async Task<SqliteConnection> OpenForWriteAsync()
    {
        var connection = Open();
        if (!HasMoved(connection))
        {
            return connection;
        }

        var missing = !File.Exists(FilePath);
        _problem = $"{FilePath} was {(missing ? "deleted" : "replaced")} while the server was running; history written before that is not in the file now at that path. Reopened (restart to clear this)";
        Log.FileMoved(_logger, FilePath, missing ? "deleted" : "replaced");
        await connection.DisposeAsync().ConfigureAwait(false);
        using (var pooled = new SqliteConnection(_connectionString))
        {
            // Closes the pooled connections, which still hold the old file open.
            SqliteConnection.ClearPool(pooled);
        }

        // SQLite does not checkpoint a moved file when it closes it, so its journal stays at the path,
        // where SQLite would apply it to the new file (measured: the replaced file came back with the old rows).
        File.Delete(FilePath + "-wal");
        File.Delete(FilePath + "-shm");

        CreateSchema();
        _knownIds = null;
        return Open();
    }

    private static bool HasMoved(SqliteConnection connection)
    {
        var moved = 0;
        return NativeMethods.FileControl(connection.Handle!.DangerousGetHandle(), "main", FileControlHasMoved, ref moved) == 0 && moved != 0;
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using var pragma = connection.CreateCommand();
        // FULL: a write the server was told is stored survives a power cut, so the checkpoint may forget
        // the points it held (NORMAL could lose the last commits); one fsync per write, every few seconds.
        pragma.CommandText = "PRAGMA synchronous = FULL; PRAGMA busy_timeout = 5000;";
        pragma.ExecuteNonQuery();
        return connection;
    }

    private static (SqliteCommand, SqliteParameter[]) PrepareUpsert(SqliteConnection connection, SqliteTransaction transaction, HistoryKind kind)
    {
        var fields = HistorySchema.Fields(kind);
        var id = HistorySchema.IdName(kind);
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        var columns = string.Join(", ", fields);
        var values = string.Join(", ", fields.Select((_, i) => "$v" + i.ToString(CultureInfo.InvariantCulture)));
        var updates = string.Join(", ", fields.Select(field => $"{field} = excluded.{field}"));
        command.CommandText = $"INSERT INTO {HistorySchema.TableName(kind)} ({id}, interval_start_ms, {columns}) VALUES ($id, $start, {values}) ON CONFLICT({id}, interval_start_ms) DO UPDATE SET {updates}";
        var parameters = new SqliteParameter[fields.Count + 2];
        parameters[0] = command.Parameters.Add("$id", SqliteType.Text);
        parameters[1] = command.Parameters.Add("$start", SqliteType.Integer);
        for (var i = 0; i < fields.Count; i++)
        {
            parameters[i + 2] = command.Parameters.Add("$v" + i.ToString(CultureInfo.InvariantCulture), SqliteType.Integer);
        }

        command.Prepare();
        return (command, parameters);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 410, Level = LogLevel.Error, Message = "History file {Path} was {What} while in use; history written before is not in the file now at that path. Reopened.")]
        public static partial void FileMoved(ILogger logger, string path, string what);
    }

    private static partial class NativeMethods
    {
        /// <summary><c>sqlite3_file_control</c> of the SQLite library Microsoft.Data.Sqlite loads (e_sqlite3).</summary>
        [LibraryImport("e_sqlite3", EntryPoint = "sqlite3_file_control", StringMarshalling = StringMarshalling.Utf8)]
        public static partial int FileControl(nint database, string name, int operation, ref int argument);
    }
}
