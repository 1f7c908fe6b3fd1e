using Npgsql;

namespace Wallboard.Hub.Cluster;

/// <summary>The cluster's own tables in PostgreSQL (schema <c>wallboard</c>), made at a hub's start when missing.</summary>
internal static class ClusterSchema
{
    public const string Schema = "wallboard";

    /// <summary>Also quoted in docs/cluster.md.</summary>
    public const string Sql = """
        CREATE SCHEMA IF NOT EXISTS wallboard;
        CREATE TABLE IF NOT EXISTS wallboard.checkpoints (
          cluster text NOT NULL,
          partition text NOT NULL,
          sequence bigint NOT NULL,
          saved_at_ms bigint NOT NULL,
          saved_by text NOT NULL,
          positions jsonb NOT NULL,
          idempotency_keys jsonb NOT NULL,
          state_length bigint NOT NULL,
          state bytea NOT NULL,
          PRIMARY KEY (cluster, partition)
        );
        CREATE TABLE IF NOT EXISTS wallboard.reports_sent (
          cluster text NOT NULL,
          report text NOT NULL,
          period text NOT NULL,
          sent_at timestamptz NOT NULL,
          note text NOT NULL,
          PRIMARY KEY (cluster, report, period)
        );
        """;

    /// <summary>Makes the tables; hubs starting together take turns (CREATE … IF NOT EXISTS is not safe against a concurrent create).</summary>
    public static async Task EnsureAsync(NpgsqlDataSource data, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(data);
        await using var connection = await data.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var turn = new NpgsqlCommand("SELECT pg_advisory_xact_lock(@key)", connection))
        {
            turn.Parameters.AddWithValue("key", ClusterKeys.LockKey("schema", Schema));
            await turn.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await using (var create = new NpgsqlCommand(Sql, connection))
        {
            await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }
}
