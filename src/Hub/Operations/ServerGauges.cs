using System.Diagnostics.Metrics;
using Wallboard.Hub.History;
using Wallboard.Hub.Hosting;

namespace Wallboard.Hub.Operations;

/// <summary>
/// The instruments of <see cref="WallboardMetrics"/>'s meter that read the server's state when
/// <c>/metrics</c> is scraped instead of counting as things happen: how far the core is behind the
/// newest event's time, the ingest backlog and drops, and the history writer's pending points and
/// InfluxDB spool. Created once at start (<see cref="OperationsExtensions.MapOperations"/>).
/// </summary>
internal sealed class ServerGauges
{
    public ServerGauges(WallboardMetrics metrics, MetricsCore core, IngestChannel channel, HistoryStatus history, HistoryTickWriter writer, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        var meter = metrics.Meter;
        meter.CreateObservableGauge(
            "wallboard.engine.lag",
            () => core.EventsApplied == 0 ? [] : new[] { new Measurement<double>(Math.Max(0, time.GetUtcNow().ToUnixTimeMilliseconds() - core.WatermarkMs) / 1000.0) },
            "s",
            "Wall-clock time minus the time of the newest event the core has applied (source lag).");
        meter.CreateObservableUpDownCounter("wallboard.ingest.backlog", () => (long)channel.Backlog, "{event}", "Events waiting for the core.");
        meter.CreateObservableCounter("wallboard.ingest.dropped", () => channel.Dropped, "{event}", "Events dropped because the core was full (the demo simulator only; other sources wait).");
        meter.CreateObservableUpDownCounter("wallboard.history.pending", () => (long)writer.Pending, "{point}", "Interval points waiting for the next history write.");
        meter.CreateObservableUpDownCounter("wallboard.history.spool.size", () => history.Snapshot().BacklogBytes, "By", "Bytes in the InfluxDB spool, waiting to be sent.");
        meter.CreateObservableUpDownCounter("wallboard.history.spool.points", () => history.Snapshot().BacklogPoints, "{point}", "Points in the InfluxDB spool.");
    }
}
