using System.IO.Compression;
using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using Wallboard.Hub.Durability;

namespace Wallboard.Hub.Cluster;

/// <summary>
/// A partition's checkpoint in PostgreSQL, where every hub can read it: the core's state (Brotli,
/// as in the file store), the position in the partition's stream it includes, and the batch
/// sequence. Saved and loaded on the session that holds the partition's lock, so only the hub that
/// runs the core can save it, and a save replaces the row in one statement (atomic).
/// </summary>
internal sealed class PostgreSqlCheckpointStore(LockSession session, string cluster, string partition, string node, Func<Checkpoint, Task>? saved = null) : ICheckpointStore
{
    public long LastBytes { get; private set; }

    public Task<Checkpoint?> LoadAsync(CancellationToken cancellationToken) =>
        session.RunAsync(
            async connection =>
            {
                await using var command = new NpgsqlCommand(
                    "SELECT sequence, saved_at_ms, positions::text, idempotency_keys::text, state_length, state FROM wallboard.checkpoints WHERE cluster = @cluster AND partition = @partition",
                    connection);
                command.Parameters.AddWithValue("cluster", cluster);
                command.Parameters.AddWithValue("partition", partition);
                await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    return null;
                }

                var positions = JsonSerializer.Deserialize<Dictionary<string, string>>(reader.GetString(2)) ?? [];
                var keys = JsonSerializer.Deserialize<List<IdempotencyRecord>>(reader.GetString(3)) ?? [];
                var state = new byte[reader.GetInt64(4)];
                using (var compressed = new MemoryStream((byte[])reader[5], writable: false))
                using (var brotli = new BrotliStream(compressed, CompressionMode.Decompress))
                {
                    brotli.ReadExactly(state);
                }

                return (Checkpoint?)new Checkpoint(reader.GetInt64(0), reader.GetInt64(1), state, positions, keys);
            },
            cancellationToken);

    public async Task SaveAsync(Checkpoint checkpoint, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        byte[] state;
        using (var compressed = new MemoryStream())
        {
            using (var brotli = new BrotliStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
            {
                brotli.Write(checkpoint.CoreState.Span);
            }

            state = compressed.ToArray();
        }

        await session.RunAsync(
            async connection =>
            {
                await using var command = new NpgsqlCommand(
                    """
                    INSERT INTO wallboard.checkpoints (cluster, partition, sequence, saved_at_ms, saved_by, positions, idempotency_keys, state_length, state)
                    VALUES (@cluster, @partition, @sequence, @saved, @node, @positions, @keys, @length, @state)
                    ON CONFLICT (cluster, partition) DO UPDATE SET sequence = excluded.sequence, saved_at_ms = excluded.saved_at_ms, saved_by = excluded.saved_by,
                      positions = excluded.positions, idempotency_keys = excluded.idempotency_keys, state_length = excluded.state_length, state = excluded.state
                    """,
                    connection);
                command.Parameters.AddWithValue("cluster", cluster);
                command.Parameters.AddWithValue("partition", partition);
                command.Parameters.AddWithValue("sequence", checkpoint.Sequence);
                command.Parameters.AddWithValue("saved", checkpoint.SavedAtMs);
                command.Parameters.AddWithValue("node", node);
                command.Parameters.AddWithValue("positions", NpgsqlDbType.Jsonb, JsonSerializer.Serialize(checkpoint.Positions));
                command.Parameters.AddWithValue("keys", NpgsqlDbType.Jsonb, JsonSerializer.Serialize(checkpoint.Keys));
                command.Parameters.AddWithValue("length", (long)checkpoint.CoreState.Length);
                command.Parameters.AddWithValue("state", state);
                return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);
        LastBytes = state.Length;
        if (saved is not null)
        {
            await saved(checkpoint).ConfigureAwait(false);
        }
    }
}
