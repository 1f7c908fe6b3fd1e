using System.ComponentModel;
using System.Globalization;
using System.Text.Json;
using Hangfire;
using Hangfire.Server;
using Microsoft.Extensions.Options;
using NodaTime;
using Wallboard.Metrics.History;
using Wallboard.Reports;

namespace Wallboard.Hub.Reports;

/// <summary>Thrown while history is behind the period's end: the job waits (Hangfire retries it later) rather than send wrong numbers.</summary>
internal sealed class ReportNotReadyException(string message) : Exception(message);

/// <summary>
/// The recurring job of a scheduled report. It fixes the period on its first attempt (a job
/// parameter, so a retry after midnight still reports the same period), keeps the PDF under
/// <c>{OutputPath}/{report}/{period}.pdf</c> (a retry sends that file rather than generate a
/// different one) and writes <c>{period}.sent</c> once mailed (a retry or a re-run sends nothing twice).
/// </summary>
internal sealed partial class ReportJob(
    IOptions<ReportsOptions> options,
    IReportRenderer renderer,
    IKpiHistoryStore store,
    ReportMailer mailer,
    IReportLedger ledger,
    TimeProvider time,
    Operations.WallboardMetrics metrics,
    ILogger<ReportJob> logger)
{
    /// <summary>Job parameter holding the period's first day (ISO date).</summary>
    public const string PeriodParameter = "ReportPeriod";

    private static readonly JsonSerializerOptions MetadataJson = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// Runs a scheduled report. Retried by Hangfire on a failed send or incomplete history: ten
    /// attempts spread over about five hours, enough for a lagging store or an SMTP outage.
    /// </summary>
    [AutomaticRetry(Attempts = 10, DelaysInSeconds = new[] { 60, 120, 300, 600, 900, 1800, 3600, 3600, 3600, 3600 }, OnAttemptsExceeded = AttemptsExceededAction.Fail)]
    [DisableConcurrentExecution(timeoutInSeconds: 15 * 60)] // a manual trigger during a retry must not send the same period twice
    [DisplayName("Report {0}")]
    public async Task RunAsync(string reportName, PerformContext? context, CancellationToken cancellationToken)
    {
        var reports = options.Value;
        var entry = reports.Schedules.FirstOrDefault(report => string.Equals(report.Name, reportName, StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"Report '{reportName}' is no longer in {ReportsOptions.Section}:Schedules");
        var schedule = ReportSchedule.Resolve(entry, reports);

        var date = context?.GetJobParameter<string>(PeriodParameter) is { } stored
            ? DateOnly.ParseExact(stored, "yyyy-MM-dd", CultureInfo.InvariantCulture)
            : ReportPeriods.JustEnded(schedule.Kind, schedule.TimeZone, time.GetUtcNow());
        context?.SetJobParameter(PeriodParameter, date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));

        await DeliverAsync(schedule, date, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Produces (or reuses) and sends the report of the period starting on <paramref name="first"/>, once.</summary>
    public async Task DeliverAsync(ReportSchedule schedule, DateOnly first, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        var period = ReportPeriods.Key(schedule.Kind, first);
        var files = KeptFiles.For(options.Value.OutputPath, schedule.Name, period);
        if (await ledger.WasSentAsync(options.Value.OutputPath, schedule.Name, period, cancellationToken).ConfigureAwait(false))
        {
            Log.AlreadySent(logger, schedule.Name, period);
            metrics.ReportJob(Operations.ReportOutcomes.AlreadySent);
            return;
        }

        var kept = await LoadKeptAsync(files, cancellationToken).ConfigureAwait(false);
        if (kept is null)
        {
            var rendered = await renderer.RenderAsync(new ReportOrder(schedule.Kind, first, schedule.TimeZone, schedule.Queues, schedule.Language), cancellationToken).ConfigureAwait(false);
            if (!rendered.Complete)
            {
                // Hangfire keeps about 100 characters of a retry's reason: the watermark leads, the generator's full text goes to the log.
                var writtenUpTo = await store.GetWrittenUpToAsync(cancellationToken).ConfigureAwait(false);
                var upTo = writtenUpTo is { } ms
                    ? Instant.FromUnixTimeMilliseconds(ms).InZone(DateTimeZoneProviders.Tzdb[schedule.TimeZone]).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)
                    : "nothing yet";
                var reason = $"history is behind: written up to {upTo}";
                Log.NotReady(logger, schedule.Name, period, reason, rendered.IncompleteReason ?? string.Empty);
                metrics.ReportJob(Operations.ReportOutcomes.NotReady);
                throw new ReportNotReadyException($"{reason} (report {schedule.Name} for {period} waits)");
            }

            kept = new KeptReport(rendered.Title, rendered.FileName, rendered.Headline, rendered.Pdf, rendered.Summary);
            await KeepAsync(files, kept, cancellationToken).ConfigureAwait(false);
            Log.Kept(logger, schedule.Name, period, files.Pdf, kept.Pdf.Length);
        }
        else
        {
            Log.Reused(logger, schedule.Name, period, files.Pdf);
        }

        var subject = $"{schedule.Name}: {kept.Title} ({period})";
        var html = ReportEmail.SummaryHtml(
            schedule.Language, kept.Title, period, schedule.Queues, kept.Headline, kept.Summary);
        try
        {
            await mailer.SendAsync(schedule.Recipients, subject, html, kept.Pdf, kept.FileName, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.SendFailed(logger, schedule.Name, period, ex.Message);
            metrics.ReportJob(Operations.ReportOutcomes.Failed);
            throw;
        }

        // Written right after the server accepted the message: a later attempt sees it and sends nothing.
        await ledger.MarkSentAsync(options.Value.OutputPath, schedule.Name, period, time.GetUtcNow(), schedule.Recipients, cancellationToken).ConfigureAwait(false);
        Log.Sent(logger, schedule.Name, period, schedule.Recipients.Count);
        metrics.ReportJob(Operations.ReportOutcomes.Sent);
    }

    private static async Task<KeptReport?> LoadKeptAsync(KeptFiles files, CancellationToken cancellationToken)
    {
        // The metadata is written last, so with it present the PDF beside it is whole.
        if (!File.Exists(files.Metadata) || !File.Exists(files.Pdf))
        {
            return null;
        }

        await using var stream = File.OpenRead(files.Metadata);
        var metadata = await JsonSerializer.DeserializeAsync<KeptMetadata>(stream, MetadataJson, cancellationToken).ConfigureAwait(false);
        if (metadata is null)
        {
            return null;
        }

        var pdf = await File.ReadAllBytesAsync(files.Pdf, cancellationToken).ConfigureAwait(false);
        return new KeptReport(metadata.Title, metadata.FileName, metadata.Headline, pdf, metadata.Summary);
    }

    private static async Task KeepAsync(KeptFiles files, KeptReport report, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(files.Pdf)!);
        await WriteAtomicallyAsync(files.Pdf, report.Pdf, cancellationToken).ConfigureAwait(false);
        var metadata = JsonSerializer.SerializeToUtf8Bytes(new KeptMetadata(report.Title, report.FileName, [.. report.Headline], report.Summary), MetadataJson);
        await WriteAtomicallyAsync(files.Metadata, metadata, cancellationToken).ConfigureAwait(false);
    }

    private static async Task WriteAtomicallyAsync(string path, byte[] bytes, CancellationToken cancellationToken)
    {
        // A crash mid-write leaves a .tmp, never a truncated file that a retry would send.
        var temporary = path + ".tmp";
        await File.WriteAllBytesAsync(temporary, bytes, cancellationToken).ConfigureAwait(false);
        File.Move(temporary, path, overwrite: true);
    }

    private sealed record KeptReport(string Title, string FileName, IReadOnlyList<HeadlineRow> Headline, byte[] Pdf, string? Summary);

    private sealed record KeptMetadata(string Title, string FileName, List<HeadlineRow> Headline, string? Summary = null);

    private static partial class Log
    {
        [LoggerMessage(EventId = 900, Level = LogLevel.Warning, Message = "Report {Report} for {Period} not sent: {Reason} ({Detail}); Hangfire retries later")]
        public static partial void NotReady(ILogger logger, string report, string period, string reason, string detail);

        [LoggerMessage(EventId = 901, Level = LogLevel.Information, Message = "Report {Report} for {Period} kept at {Path} ({Bytes} bytes)")]
        public static partial void Kept(ILogger logger, string report, string period, string path, int bytes);

        [LoggerMessage(EventId = 902, Level = LogLevel.Information, Message = "Report {Report} for {Period}: sending the kept {Path} again")]
        public static partial void Reused(ILogger logger, string report, string period, string path);

        [LoggerMessage(EventId = 903, Level = LogLevel.Warning, Message = "Report {Report} for {Period}: sending failed ({Error}); Hangfire retries later")]
        public static partial void SendFailed(ILogger logger, string report, string period, string error);

        [LoggerMessage(EventId = 904, Level = LogLevel.Information, Message = "Report {Report} for {Period} sent to {Recipients} recipients")]
        public static partial void Sent(ILogger logger, string report, string period, int recipients);

        [LoggerMessage(EventId = 905, Level = LogLevel.Information, Message = "Report {Report} for {Period} was sent before; nothing to do")]
        public static partial void AlreadySent(ILogger logger, string report, string period);
    }
}

/// <summary>Where a scheduled report's period is kept: the PDF, its metadata (title, headline) and the sent marker.</summary>
internal sealed record KeptFiles(string Pdf, string Metadata, string Sent)
{
    public static KeptFiles For(string outputPath, string report, string period)
    {
        var stem = Path.Combine(outputPath, report, period);
        return new KeptFiles(stem + ".pdf", stem + ".json", stem + ".sent");
    }
}
