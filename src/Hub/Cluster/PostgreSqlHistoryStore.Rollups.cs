using Npgsql;
using NpgsqlTypes;
using NodaTime;
using Wallboard.Hub.History;
using Wallboard.Metrics.Calendar;
using Wallboard.Metrics.History;

namespace Wallboard.Hub.Cluster;

/// <summary>
/// The roll-ups of the PostgreSQL store (<see cref="StoredRollups"/>: hours and local days per zone,
/// as the SQLite and InfluxDB stores keep them). A write's transaction rebuilds every bucket it
/// touches from the source rows as they are after the write (the 15-minute rows, or the hours a day
/// is summed from), in one <c>INSERT … SELECT … GROUP BY</c> per roll-up and kind; a database from
/// before roll-ups, or a zone added, is built by <see cref="BuildRollupsAsync"/> while queries read
/// the 15-minute rows.
/// </summary>
/// <remarks>
/// Writes take a shared advisory lock and each build statement an exclusive one: a build reads the
/// source rows of many buckets in one snapshot, and without the lock a write committed meanwhile
/// would be overwritten by the build's older sum. Writes of the partitions of a cluster touch other
/// ids, so they do not wait for each other.
/// </remarks>
internal sealed partial class PostgreSqlHistoryStore : IHistoryRollupBuilder
{
    /// <summary>Buckets rebuilt per statement when a roll-up is built over stored rows.</summary>
    private const int BucketsPerBuildStatement = 20_000;

    private volatile Dictionary<string, bool> _rollupComplete = [];

    /// <summary>The roll-ups this store keeps.</summary>
    public StoredRollups Rollups { get; }

    public IReadOnlyList<string> IncompleteRollups => [.. Rollups.All.Where(rollup => !IsComplete(rollup)).Select(rollup => rollup.Name)];

    public Task<IReadOnlyList<HistoryPoint>> QueryForStepsAsync(
        HistoryKind kind, IReadOnlyCollection<string>? ids, long fromMs, long toMs, IntervalLength stepLength, DateTimeZone zone, CancellationToken cancellationToken = default) =>
        RunAsync(connection =>
            // The state is read with the schema, so the roll-up is chosen once the connection is open.
            ReadRowsAsync(connection, kind, Rollups.Serving(stepLength, zone, fromMs, toMs, IsComplete), ids, fromMs, toMs, cancellationToken), cancellationToken);

    /// <summary>
    /// Builds every roll-up not yet complete from the stored rows, some thousands of buckets per
    /// statement, and marks it complete. Writes meanwhile keep every roll-up up to date.
    /// </summary>
    /// <returns>The number of roll-ups built.</returns>
    public Task<int> BuildRollupsAsync(CancellationToken cancellationToken = default) =>
        RunAsync(async connection =>
        {
            var built = 0;
            foreach (var rollup in Rollups.All.Where(rollup => !IsComplete(rollup)))
            {
                foreach (var kind in Enum.GetValues<HistoryKind>())
                {
                    await BuildAsync(connection, rollup, kind, cancellationToken).ConfigureAwait(false);
                }

                await using (var complete = new NpgsqlCommand($"UPDATE {_schema}.history_rollups SET complete = true WHERE name = @name", connection))
                {
                    complete.Parameters.AddWithValue("name", rollup.Name);
                    await complete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                _rollupComplete = new Dictionary<string, bool>(_rollupComplete, StringComparer.Ordinal) { [rollup.Name] = true };
                built++;
            }

            return built;
        }, cancellationToken);

    private static string RollupTable(HistoryKind kind) => HistorySchema.IdName(kind) + "_rollup";

    private bool IsComplete(StoredRollup rollup) => _rollupComplete.TryGetValue(rollup.Name, out var complete) && complete;

    /// <summary>
    /// Brings the database's list of roll-ups in line with <see cref="Rollups"/>, in the schema's
    /// transaction: a new one is complete at once when nothing is stored, else it waits for
    /// <see cref="BuildRollupsAsync"/>; one this store does not keep is marked incomplete (its rows
    /// stay, never read), since this store's writes do not keep it up to date.
    /// </summary>
    private async Task SyncRollupsAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var stored = new Dictionary<string, bool>(StringComparer.Ordinal);
        await using (var list = new NpgsqlCommand($"SELECT name, complete FROM {_schema}.history_rollups", connection))
        await using (var reader = await list.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                stored[reader.GetString(0)] = reader.GetBoolean(1);
            }
        }

        var forgotten = stored.Where(entry => entry.Value && Rollups.Named(entry.Key) is null).Select(entry => entry.Key).ToArray();
        if (forgotten.Length > 0)
        {
            await using var forget = new NpgsqlCommand($"UPDATE {_schema}.history_rollups SET complete = false WHERE name = ANY(@names)", connection);
            forget.Parameters.AddWithValue("names", forgotten);
            await forget.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            foreach (var name in forgotten)
            {
                stored[name] = false;
            }
        }

        var missing = Rollups.All.Where(rollup => !stored.ContainsKey(rollup.Name)).Select(rollup => rollup.Name).ToArray();
        if (missing.Length > 0)
        {
            var empty = string.Join(" AND ", Enum.GetValues<HistoryKind>().Select(kind => $"NOT EXISTS (SELECT 1 FROM {_schema}.{HistorySchema.TableName(kind)})"));
            await using var add = new NpgsqlCommand(
                $"INSERT INTO {_schema}.history_rollups (name, complete) SELECT name, {empty} FROM unnest(@names) AS name ON CONFLICT (name) DO NOTHING RETURNING name, complete",
                connection);
            add.Parameters.AddWithValue("names", missing);
            await using var reader = await add.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                stored[reader.GetString(0)] = reader.GetBoolean(1);
            }
        }

        _rollupComplete = stored;
    }

    /// <summary>In a write's transaction: rebuilds the buckets of every roll-up that hold <paramref name="points"/> (one kind, just upserted).</summary>
    private async Task RebuildTouchedAsync(NpgsqlConnection connection, HistoryKind kind, List<HistoryPoint> points, CancellationToken cancellationToken)
    {
        if (Rollups.All.Count == 0)
        {
            return;
        }

        await using (var shared = new NpgsqlCommand("SELECT pg_advisory_xact_lock_shared(@key)", connection))
        {
            shared.Parameters.AddWithValue("key", ClusterKeys.LockKey("rollups", _schemaName));
            await shared.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        // Roll-ups come each after its source, so a day is summed from hours already rebuilt.
        foreach (var rollup in Rollups.All)
        {
            var calendar = rollup.NewCalendar();
            var buckets = new Buckets();
            foreach (var point in points.OrderBy(point => point.Id, StringComparer.Ordinal).ThenBy(point => point.IntervalStartMs))
            {
                buckets.Add(point.Id, calendar, point.IntervalStartMs);
            }

            await RebuildAsync(connection, rollup, kind, buckets, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Rebuilds every bucket of <paramref name="rollup"/> for the stored rows of <paramref name="kind"/>.</summary>
    private async Task BuildAsync(NpgsqlConnection connection, StoredRollup rollup, HistoryKind kind, CancellationToken cancellationToken)
    {
        var id = HistorySchema.IdName(kind);
        var calendar = rollup.NewCalendar();
        var buckets = new Buckets();
        var (source, start, which) = Source(rollup, kind);

        // Keys only, in order, streamed: each id's buckets come together, and a second connection
        // rebuilds them a batch at a time.
        await using var writer = await _data.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (var read = new NpgsqlCommand($"SELECT s.{id}, s.{start} FROM {_schema}.{source} s{which} ORDER BY s.{id}, s.{start}", connection))
        {
            if (rollup.Source is { } from)
            {
                read.Parameters.AddWithValue("source", from.Name);
            }

            await using var reader = await read.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                buckets.Add(reader.GetString(0), calendar, reader.GetInt64(1));
                if (buckets.Count >= BucketsPerBuildStatement)
                {
                    await RebuildExclusiveAsync(buckets).ConfigureAwait(false);
                    buckets = new Buckets();
                }
            }
        }

        await RebuildExclusiveAsync(buckets).ConfigureAwait(false);

        async Task RebuildExclusiveAsync(Buckets batch)
        {
            await using var transaction = await writer.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (var exclusive = new NpgsqlCommand("SELECT pg_advisory_xact_lock(@key)", writer))
            {
                exclusive.Parameters.AddWithValue("key", ClusterKeys.LockKey("rollups", _schemaName));
                await exclusive.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await RebuildAsync(writer, rollup, kind, batch, cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Replaces the buckets listed with the sums of their source rows as they are now (every bucket listed has at least one).</summary>
    private async Task RebuildAsync(NpgsqlConnection connection, StoredRollup rollup, HistoryKind kind, Buckets buckets, CancellationToken cancellationToken)
    {
        if (buckets.Count == 0)
        {
            return;
        }

        var fields = HistorySchema.Fields(kind);
        var id = HistorySchema.IdName(kind);
        var (source, start, which) = Source(rollup, kind);
        var sums = string.Join(", ", fields.Select(field => HistorySchema.IsMaximum(field) ? $"MAX(s.{field})" : $"SUM(s.{field})::bigint"));
        var updates = string.Join(", ", fields.Select(field => $"{field} = excluded.{field}"));
        await using var command = new NpgsqlCommand(
            $"INSERT INTO {_schema}.{RollupTable(kind)} (rollup, {id}, start_ms, {string.Join(", ", fields)}) "
            + $"SELECT @rollup, b.id, b.start_ms, {sums} FROM unnest(@ids, @starts, @ends) AS b(id, start_ms, end_ms) "
            + $"JOIN {_schema}.{source} s ON s.{id} = b.id AND s.{start} >= b.start_ms AND s.{start} < b.end_ms{which.Replace(" WHERE ", " AND ", StringComparison.Ordinal)} "
            + $"GROUP BY b.id, b.start_ms ON CONFLICT (rollup, {id}, start_ms) DO UPDATE SET {updates}",
            connection);
        command.Parameters.AddWithValue("rollup", rollup.Name);
        if (rollup.Source is { } from)
        {
            command.Parameters.AddWithValue("source", from.Name);
        }

        command.Parameters.Add(new NpgsqlParameter<string[]>("ids", NpgsqlDbType.Array | NpgsqlDbType.Text) { TypedValue = [.. buckets.Ids] });
        command.Parameters.Add(new NpgsqlParameter<long[]>("starts", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { TypedValue = [.. buckets.Starts] });
        command.Parameters.Add(new NpgsqlParameter<long[]>("ends", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { TypedValue = [.. buckets.Ends] });
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Where a roll-up's buckets are summed from: the 15-minute table, or the roll-up it names as source (<c>@source</c>).</summary>
    private static (string Table, string StartColumn, string Filter) Source(StoredRollup rollup, HistoryKind kind) =>
        rollup.Source is null
            ? (HistorySchema.TableName(kind), "interval_start_ms", string.Empty)
            : (RollupTable(kind), "start_ms", " WHERE s.rollup = @source");

    /// <summary>Distinct (id, bucket) pairs, from keys in order of id and start.</summary>
    private sealed class Buckets
    {
        public List<string> Ids { get; } = [];

        public List<long> Starts { get; } = [];

        public List<long> Ends { get; } = [];

        public int Count => Ids.Count;

        public void Add(string id, IntervalCalendar calendar, long startMs)
        {
            var bucket = calendar.StartOf(startMs, out var end);
            if (Count > 0 && Starts[^1] == bucket && string.Equals(Ids[^1], id, StringComparison.Ordinal))
            {
                return;
            }

            Ids.Add(id);
            Starts.Add(bucket);
            Ends.Add(end);
        }
    }
}
