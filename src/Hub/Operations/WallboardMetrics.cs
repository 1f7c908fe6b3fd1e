using System.Diagnostics.Metrics;

namespace Wallboard.Hub.Operations;

/// <summary>
/// The server's own instruments, in one meter (<see cref="MeterName"/>) that OpenTelemetry exports
/// at <c>/metrics</c>. Parts of the server report through the methods here; an instrument added
/// later goes here too, named <c>wallboard.{area}.{what}</c> with its unit (Prometheus appends the
/// unit and <c>_total</c>: <c>wallboard.ingest.events</c> is scraped as <c>wallboard_ingest_events_total</c>).
/// State that is read rather than counted (engine lag, spool size) is observed by
/// <see cref="ServerGauges"/>.
/// </summary>
internal sealed class WallboardMetrics
{
    public const string MeterName = "Wallboard";

    private readonly Counter<long> _eventsIngested;
    private readonly Counter<long> _linesRejected;
    private readonly UpDownCounter<long> _screensConnected;
    private readonly Histogram<double> _pushDuration;
    private readonly Counter<long> _historyPointsWritten;
    private readonly Counter<long> _historyWriteFailures;
    private readonly Counter<long> _reportJobs;

    public WallboardMetrics(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        Meter = meters.Create(MeterName, BuildInfo.Version);
        _eventsIngested = Meter.CreateCounter<long>("wallboard.ingest.events", "{event}", "Events handed to the core, by source (queue-log, events: HTTP; queue_log, cdr: files; demo).");
        _linesRejected = Meter.CreateCounter<long>("wallboard.ingest.rejected", "{line}", "Malformed lines or events, by source; each is reported with its line number where it came in.");
        _screensConnected = Meter.CreateUpDownCounter<long>("wallboard.screens.connected", "{screen}", "Wallboard screens connected to /hubs/wallboard.");
        _pushDuration = Meter.CreateHistogram<double>(
            "wallboard.screens.push.duration",
            "s",
            "Time a tick takes to compute every dashboard and issue its pushes to the screens.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1] });
        _historyPointsWritten = Meter.CreateCounter<long>("wallboard.history.points.written", "{point}", "Interval points written to the history store.");
        _historyWriteFailures = Meter.CreateCounter<long>("wallboard.history.write.failures", "{write}", "History writes that failed (the points stay pending).");
        _reportJobs = Meter.CreateCounter<long>("wallboard.reports.jobs", "{job}", "Scheduled report runs, by outcome (sent, already_sent, not_ready, failed).");
    }

    /// <summary>For instruments defined elsewhere: the one meter of the server.</summary>
    public Meter Meter { get; }

    public void EventsIngested(string source, long count)
    {
        if (count > 0)
        {
            _eventsIngested.Add(count, new KeyValuePair<string, object?>("source", source));
        }
    }

    public void LinesRejected(string source, long count)
    {
        if (count > 0)
        {
            _linesRejected.Add(count, new KeyValuePair<string, object?>("source", source));
        }
    }

    public void ScreenConnected() => _screensConnected.Add(1);

    public void ScreenDisconnected() => _screensConnected.Add(-1);

    public void PushDuration(TimeSpan elapsed) => _pushDuration.Record(elapsed.TotalSeconds);

    public void HistoryWritten(long points) => _historyPointsWritten.Add(points);

    public void HistoryWriteFailed() => _historyWriteFailures.Add(1);

    public void ReportJob(string outcome) => _reportJobs.Add(1, new KeyValuePair<string, object?>("outcome", outcome));
}

/// <summary>Report job outcomes, the values of <c>wallboard.reports.jobs</c>'s <c>outcome</c>.</summary>
internal static class ReportOutcomes
{
    public const string Sent = "sent";
    public const string AlreadySent = "already_sent";
    public const string NotReady = "not_ready";
    public const string Failed = "failed";
}
