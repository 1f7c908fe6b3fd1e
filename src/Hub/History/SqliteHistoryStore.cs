using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using NodaTime;
using Wallboard.Metrics.Calendar;
using Wallboard.Metrics.History;

namespace Wallboard.Hub.History;

/// <summary>
/// The embedded history store: one SQLite file, one table per kind keyed by (id, interval start),
/// written with UPSERT so that rewriting an interval replaces it, and one roll-up table per kind
/// (hours, local days: <see cref="StoredRollups"/>) whose buckets each write rebuilds from the
/// 15-minute rows it touched. Used when no InfluxDB is configured.
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
internal sealed partial class SqliteHistoryStore : IKpiHistoryStore, IHistoryRollupBuilder, IDisposable
{
    private const string WatermarkKey = "written_up_to_ms";

    private const string JournalSql = "PRAGMA journal_mode = WAL;\n";

    /// <summary><c>SQLITE_FCNTL_HAS_MOVED</c> from sqlite3.h.</summary>
    private const int FileControlHasMoved = 20;

    private readonly string _connectionString;
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private readonly ILogger _logger;

    /// <summary>Ids already in <c>history_ids</c>, loaded on the first write; only guarded by the write gate.</summary>
    private HashSet<(string Kind, string Id)>? _knownIds;
    private volatile string? _problem;

    /// <summary>Written by one import into a file no one else has open yet: no journal, no syncs (<see cref="ForBulkImport"/>).</summary>
    private bool _bulk;

    /// <param name="path">The file; created with its folder when missing.</param>
    /// <param name="rollups">The roll-ups to keep (none when null); those the file holds but not listed are no longer kept up to date, so they are marked incomplete and never read.</param>
    /// <param name="logger">Where problems with the file are logged.</param>
    public SqliteHistoryStore(string path, StoredRollups? rollups = null, ILogger<SqliteHistoryStore>? logger = null)
        : this(path, rollups, logger, bulk: false)
    {
    }

    private SqliteHistoryStore(string path, StoredRollups? rollups, ILogger<SqliteHistoryStore>? logger, bool bulk)
    {
        _bulk = bulk;
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = Path.GetFullPath(path);
        _logger = logger ?? (ILogger)Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
        Rollups = rollups ?? StoredRollups.None;
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

    /// <summary>
    /// A store for one import into a new file that no other connection opens until
    /// <see cref="EndBulkImport"/>: written without a journal or syncs, its lock held throughout
    /// (<c>SqliteNewFileImport</c> writes it beside the path and moves it there once complete, so a
    /// crash part-way leaves a stray temporary file, never a broken history file).
    /// </summary>
    internal static SqliteHistoryStore ForBulkImport(string path, StoredRollups rollups) => new(path, rollups, null, bulk: true);

    /// <summary>
    /// Ends <see cref="ForBulkImport"/>'s mode: the file becomes a WAL file like any other, written
    /// to disk (its pages synced) before this returns; the store is closed.
    /// </summary>
    internal void EndBulkImport()
    {
        if (!_bulk)
        {
            throw new InvalidOperationException("not a bulk import store");
        }

        _writeGate.Wait();
        try
        {
            using (var connection = Open())
            using (var wal = connection.CreateCommand())
            {
                // Written with synchronous = FULL: the change of journal syncs the file.
                wal.CommandText = "PRAGMA synchronous = FULL; " + JournalSql;
                wal.ExecuteNonQuery();
            }

            _bulk = false;
        }
        finally
        {
            _writeGate.Release();
        }

        using var pooled = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(pooled);
    }

    /// <summary>What went wrong with the file since start (it was deleted or replaced while in use); null while all is well.</summary>
    public string? Problem => _problem ?? (File.Exists(FilePath) ? null : $"{FilePath} is missing: it was deleted while the server runs; the next write creates it again");

    /// <summary>The schema, also quoted in docs/storage.md.</summary>
    public static string SchemaSql() => JournalSql + TablesSql();

    private static string TablesSql()
    {
        var sql = new StringBuilder();
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

        foreach (var kind in Enum.GetValues<HistoryKind>())
        {
            var id = HistorySchema.IdName(kind);
            sql.Append(CultureInfo.InvariantCulture, $"CREATE TABLE IF NOT EXISTS {RollupTable(kind)} (\n  rollup INTEGER NOT NULL,\n  {id} TEXT NOT NULL,\n  start_ms INTEGER NOT NULL,\n");
            foreach (var field in HistorySchema.Fields(kind))
            {
                sql.Append(CultureInfo.InvariantCulture, $"  {field} INTEGER NOT NULL,\n");
            }

            sql.Append(CultureInfo.InvariantCulture, $"  PRIMARY KEY (rollup, {id}, start_ms)\n) WITHOUT ROWID;\n");
        }

        // Which roll-ups the file holds, and whether each is complete (built over every stored interval).
        sql.Append("CREATE TABLE IF NOT EXISTS history_rollups (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, complete INTEGER NOT NULL);\n");

        // The ids of each kind: a query over all ids seeks the primary key once per id (rows come out
        // sorted, no temporary B-tree) instead of going through a time index with a key lookup per row.
        sql.Append("CREATE TABLE IF NOT EXISTS history_ids (kind TEXT NOT NULL, id TEXT NOT NULL, PRIMARY KEY (kind, id)) WITHOUT ROWID;\n");
        sql.Append("CREATE TABLE IF NOT EXISTS history_meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;\n");
        return sql.ToString();
    }

    /// <summary>The roll-up table of a kind: <c>queue_rollup</c>, …</summary>
    private static string RollupTable(HistoryKind kind) => HistorySchema.IdName(kind) + "_rollup";

    /// <summary>
    /// Adds the columns of counters that came after a file was made (e.g. <c>withdrawn</c>), with 0 for the
    /// intervals and roll-up buckets already stored: nothing was counted under them then.
    /// </summary>
    private static void AddMissingColumns(SqliteConnection connection)
    {
        foreach (var (kind, table) in Enum.GetValues<HistoryKind>().SelectMany(kind => new[] { (kind, HistorySchema.TableName(kind)), (kind, RollupTable(kind)) }))
        {
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

    public Task WriteAsync(IReadOnlyList<HistoryPoint> points, long? writtenUpToMs, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(points);
        var order = KeyOrder(points);
        var intervals = new List<KeyedRows>();
        for (var first = 0; first < order.Length;)
        {
            var kind = points[order[first]].Kind;
            var end = first;
            while (end < order.Length && points[order[end]].Kind == kind)
            {
                end++;
            }

            var rows = new KeyedRows(kind);
            rows.Add(points, order.AsSpan(first, end - first));
            intervals.Add(rows);
            first = end;
        }

        return WriteAsync(intervals, writtenUpToMs, cancellationToken);
    }

    /// <summary>
    /// Writes 15-minute rows, each block of one kind in key order (id ordinal, then start, each key
    /// once: <see cref="KeyedRows.AddInKeyOrder"/>), in one transaction with their roll-ups: what
    /// <see cref="WriteAsync(IReadOnlyList{HistoryPoint}, long?, CancellationToken)"/> does, without a
    /// point per interval (<c>wallboard import</c>).
    /// </summary>
    /// <exception cref="ArgumentException">A block out of key order.</exception>
    public async Task WriteAsync(IReadOnlyList<KeyedRows> intervals, long? writtenUpToMs, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(intervals);
        foreach (var rows in intervals)
        {
            ThrowIfNotInKeyOrder(rows);
        }

        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var connection = await OpenForWriteAsync().ConfigureAwait(false);
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            _knownIds ??= await LoadIdsAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
            var newIds = new HashSet<(string Kind, string Id)>();

            foreach (var rows in intervals.Where(rows => rows.Count > 0))
            {
                var kindName = HistorySchema.IdName(rows.Kind);

                // The roll-ups are worked out before the intervals are written, from the rows stored before them.
                using var rollups = new RollupWork(connection, rows.Kind, Rollups.All, _rollupState);
                for (var first = 0; first < rows.Count;)
                {
                    var id = rows.Id(first);
                    var end = first + 1;
                    while (end < rows.Count && string.Equals(rows.Id(end), id, StringComparison.Ordinal))
                    {
                        end++;
                    }

                    if (!_knownIds.Contains((kindName, id)))
                    {
                        newIds.Add((kindName, id));
                    }

                    rollups.Add(id, rows, first, end - first);
                    first = end;
                }

                WriteIntervals(connection, rows);
                rollups.Write();
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
                using var ids = new SqliteStatement(connection, "INSERT OR IGNORE INTO history_ids (kind, id) VALUES (?1, ?2)");
                foreach (var (kindName, idValue) in newIds)
                {
                    ids.Bind(1, kindName);
                    ids.Bind(2, idValue);
                    ids.Run();
                }
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            _knownIds.UnionWith(newIds);
        }
        finally
        {
            _writeGate.Release();
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ThrowIfNotInKeyOrder(KeyedRows rows)
    {
        for (var row = 1; row < rows.Count; row++)
        {
            var byId = string.CompareOrdinal(rows.Id(row - 1), rows.Id(row));
            if (byId > 0 || (byId == 0 && rows.Start(row - 1) >= rows.Start(row)))
            {
                throw new ArgumentException($"{rows.Kind} rows out of key order at row {row}: ({rows.Id(row - 1)}, {rows.Start(row - 1)}) before ({rows.Id(row)}, {rows.Start(row)})", nameof(rows));
            }
        }
    }

    /// <summary>
    /// The indices of <paramref name="points"/> by kind, id (ordinal, as SQLite's BINARY collation
    /// orders UTF-8) and interval start, the last of any repeated key only (as if written in turn):
    /// each id's intervals go to one place in the table, and its roll-up buckets come out in runs.
    /// </summary>
    private static int[] KeyOrder(IReadOnlyList<HistoryPoint> points)
    {
        var order = new int[points.Count];
        var sorted = true;
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
            sorted &= i == 0 || Compare(points[i - 1], points[i]) < 0;
        }

        if (sorted)
        {
            return order;
        }

        Array.Sort(order, (a, b) => Compare(points[a], points[b]) is var byKey and not 0 ? byKey : a.CompareTo(b));
        var kept = 0;
        for (var i = 0; i < order.Length; i++)
        {
            if (i + 1 < order.Length && Compare(points[order[i]], points[order[i + 1]]) == 0)
            {
                continue;
            }

            order[kept++] = order[i];
        }

        return order[..kept];

        static int Compare(HistoryPoint a, HistoryPoint b)
        {
            if (a.Kind != b.Kind)
            {
                return a.Kind.CompareTo(b.Kind);
            }

            var byId = string.CompareOrdinal(a.Id, b.Id);
            return byId != 0 ? byId : a.IntervalStartMs.CompareTo(b.IntervalStartMs);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void WriteIntervals(SqliteConnection connection, KeyedRows rows)
    {
        using var upsert = new SqliteUpsert(connection, HistorySchema.TableName(rows.Kind), HistorySchema.IdName(rows.Kind), "interval_start_ms", HistorySchema.Fields(rows.Kind));
        for (var row = 0; row < rows.Count; row++)
        {
            upsert.Add(0, rows.Id(row), rows.Start(row), rows.Values(row));
        }

        upsert.Flush();
    }

    public Task<IReadOnlyList<HistoryPoint>> QueryAsync(HistoryKind kind, IReadOnlyCollection<string>? ids, long fromMs, long toMs, CancellationToken cancellationToken = default) =>
        ReadPointsAsync(kind, null, ids, fromMs, toMs, cancellationToken);

    public Task<IReadOnlyList<HistoryPoint>> QueryForStepsAsync(
        HistoryKind kind, IReadOnlyCollection<string>? ids, long fromMs, long toMs, IntervalLength stepLength, DateTimeZone zone, CancellationToken cancellationToken = default)
    {
        var complete = _rollupState;
        var rollup = Rollups.Serving(stepLength, zone, fromMs, toMs, complete.IsComplete);
        return ReadPointsAsync(kind, rollup is null ? null : complete.IdOf(rollup), ids, fromMs, toMs, cancellationToken);
    }

    /// <summary>The 15-minute points (<paramref name="rollupId"/> null) or the buckets of a roll-up, ordered by id and start.</summary>
    private async Task<IReadOnlyList<HistoryPoint>> ReadPointsAsync(HistoryKind kind, long? rollupId, IReadOnlyCollection<string>? ids, long fromMs, long toMs, CancellationToken cancellationToken)
    {
        var fields = HistorySchema.Fields(kind);
        var id = HistorySchema.IdName(kind);
        var (table, start) = rollupId is null ? (HistorySchema.TableName(kind), "interval_start_ms") : (RollupTable(kind), "start_ms");
        var sql = new StringBuilder(string.Create(CultureInfo.InvariantCulture, $"SELECT {id}, {start}, {string.Join(", ", fields)} FROM {table} WHERE {start} >= $from AND {start} < $to"));
        if (rollupId is not null)
        {
            sql.Append(" AND rollup = $rollup");
        }

        var filtered = ids is { Count: > 0 };
        // One parameter holding a JSON array keeps the statement the same for any number of ids.
        sql.Append(filtered ? $" AND {id} IN (SELECT value FROM json_each($ids))" : $" AND {id} IN (SELECT id FROM history_ids WHERE kind = $kind)");

        sql.Append(CultureInfo.InvariantCulture, $" ORDER BY {id}, {start}");
        await using var connection = Open();
        await using var command = connection.CreateCommand();
        command.CommandText = sql.ToString();
        command.Parameters.AddWithValue("$from", fromMs);
        command.Parameters.AddWithValue("$to", toMs);
        if (rollupId is { } rollup)
        {
            command.Parameters.AddWithValue("$rollup", rollup);
        }

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

    private static async Task<HashSet<(string Kind, string Id)>> LoadIdsAsync(SqliteConnection connection, SqliteTransaction? transaction, CancellationToken cancellationToken)
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
        command.CommandText = _bulk ? TablesSql() : SchemaSql();
        command.ExecuteNonQuery();
        AddMissingColumns(connection);
        _rollupState = SyncRollups(connection);
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

    /// <summary>
    /// A bulk import's connection: no journal and no syncs (nothing but this connection reads the file
    /// until it is complete and synced), the file locked once for the whole import, and a cache that
    /// holds a large import's pages. Each batch still commits, so memory does not grow with the file.
    /// </summary>
    /// <remarks>
    /// The WAL wrote every page twice (the log, then the checkpoint) and synced at each batch: 0.15 s
    /// of an import's 3.5 s of CPU for the 200 MB file.
    /// </remarks>
    private const string BulkPragmas = "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA locking_mode = EXCLUSIVE; PRAGMA cache_size = -262144;";

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using var pragma = connection.CreateCommand();
        // FULL: a write the server was told is stored survives a power cut, so the checkpoint may forget
        // the points it held (NORMAL could lose the last commits); one fsync per write, every few seconds.
        pragma.CommandText = _bulk
            ? BulkPragmas
            : "PRAGMA synchronous = FULL; PRAGMA busy_timeout = 5000; PRAGMA cache_size = -65536;";
        pragma.ExecuteNonQuery();
        return connection;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 410, Level = LogLevel.Error, Message = "History file {Path} was {What} while in use; history written before is not in the file now at that path. Reopened.")]
        public static partial void FileMoved(ILogger logger, string path, string what);

        [LoggerMessage(EventId = 411, Level = LogLevel.Information, Message = "History roll-up {Rollup} built over the intervals stored in {Path}")]
        public static partial void RollupBuilt(ILogger logger, string rollup, string path);
    }

    private static partial class NativeMethods
    {
        /// <summary><c>sqlite3_file_control</c> of the SQLite library Microsoft.Data.Sqlite loads (e_sqlite3).</summary>
        [LibraryImport("e_sqlite3", EntryPoint = "sqlite3_file_control", StringMarshalling = StringMarshalling.Utf8)]
        public static partial int FileControl(nint database, string name, int operation, ref int argument);
    }
}
