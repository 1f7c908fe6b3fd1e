using System.Globalization;

namespace Wallboard.Hub.Reports;

/// <summary>
/// Which scheduled reports' periods have been sent, so that a retry or a second run sends nothing
/// twice: a marker file beside the kept PDF on a single server (<see cref="FileReportLedger"/>), a
/// row in PostgreSQL in a cluster, where the next run may be on another hub (docs/cluster.md).
/// </summary>
internal interface IReportLedger
{
    Task<bool> WasSentAsync(string outputPath, string report, string period, CancellationToken cancellationToken);

    /// <summary>Records the period as sent (right after the mail server accepted the message).</summary>
    Task MarkSentAsync(string outputPath, string report, string period, DateTimeOffset sentAt, IReadOnlyList<string> recipients, CancellationToken cancellationToken);
}

/// <summary>The marker file <c>{OutputPath}/{report}/{period}.sent</c>.</summary>
internal sealed class FileReportLedger : IReportLedger
{
    public Task<bool> WasSentAsync(string outputPath, string report, string period, CancellationToken cancellationToken) =>
        Task.FromResult(File.Exists(KeptFiles.For(outputPath, report, period).Sent));

    public Task MarkSentAsync(string outputPath, string report, string period, DateTimeOffset sentAt, IReadOnlyList<string> recipients, CancellationToken cancellationToken) =>
        File.WriteAllTextAsync(
            KeptFiles.For(outputPath, report, period).Sent,
            string.Create(CultureInfo.InvariantCulture, $"sent {sentAt:O} to {string.Join(", ", recipients)}\n"),
            cancellationToken);
}
