using Npgsql;
using Wallboard.Hub.Reports;

namespace Wallboard.Hub.Cluster;

/// <summary>
/// The sent scheduled reports of a cluster, in PostgreSQL (<c>wallboard.reports_sent</c>): Hangfire
/// runs each occurrence on one hub, and a retry or the next run of the same period may land on
/// another, whose disk has no marker file; the row tells every hub the period went out.
/// </summary>
internal sealed class PostgreSqlReportLedger(ClusterConnections connections, ClusterKeys keys) : IReportLedger
{
    public async Task<bool> WasSentAsync(string outputPath, string report, string period, CancellationToken cancellationToken)
    {
        await using var connection = await connections.Data.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand("SELECT 1 FROM wallboard.reports_sent WHERE cluster = @cluster AND report = @report AND period = @period", connection);
        command.Parameters.AddWithValue("cluster", keys.Cluster);
        command.Parameters.AddWithValue("report", report);
        command.Parameters.AddWithValue("period", period);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not null;
    }

    public async Task MarkSentAsync(string outputPath, string report, string period, DateTimeOffset sentAt, IReadOnlyList<string> recipients, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(recipients);
        await using var connection = await connections.Data.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(
            "INSERT INTO wallboard.reports_sent (cluster, report, period, sent_at, note) VALUES (@cluster, @report, @period, @at, @note) ON CONFLICT DO NOTHING", connection);
        command.Parameters.AddWithValue("cluster", keys.Cluster);
        command.Parameters.AddWithValue("report", report);
        command.Parameters.AddWithValue("period", period);
        command.Parameters.AddWithValue("at", sentAt);
        command.Parameters.AddWithValue("note", "sent to " + string.Join(", ", recipients));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
