using Microsoft.Extensions.Options;
using Wallboard.Hub.Hosting;
using Wallboard.Ingest.Model;

namespace Wallboard.Tests.Live;

public sealed class MetricsCoreTests
{
    private const long Hour = 3_600_000L;
    private const long Day = 24 * Hour;
    private static readonly long Monday = new DateTimeOffset(2026, 11, 2, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();

    [Fact]
    public void TheHistoryEngineKeepsTwoDaysAndDropsWhatComesLaterThanThat()
    {
        var core = new MetricsCore(Options.Create(new MetricsOptions { TimeZone = "UTC" }));
        core.Apply([.. AbandonedCall("a", Monday + (10 * Hour)), .. AbandonedCall("b", Monday + (3 * Day) + (10 * Hour))]);
        var (_, first) = core.Tick(Monday + (3 * Day) + (11 * Hour));
        Assert.Equal(
            [(Monday + (10 * Hour), 1L), (Monday + (3 * Day) + (10 * Hour), 1L)],
            first.Queues.Select(change => (change.IntervalStartMs, change.Counters.Offered)).Order());

        // The first tick forgot what is more than two days behind the newest event (Thursday 10:00):
        // Monday's interval is stored, and a late call for it must not replace it with offered = 1.
        core.Apply([.. AbandonedCall("late", Monday + (10 * Hour) + 60_000), .. AbandonedCall("in-time", Monday + (2 * Day) + (10 * Hour))]);
        var (_, second) = core.Tick(Monday + (3 * Day) + (11 * Hour) + 1_000);
        Assert.Equal([(Monday + (2 * Day) + (10 * Hour), 1L)], second.Queues.Select(change => (change.IntervalStartMs, change.Counters.Offered)));
        Assert.Equal(1, core.HistoryLateUpdatesDropped);
    }

    private static ContactEvent[] AbandonedCall(string callId, long arrivalMs) =>
    [
        new() { Kind = ContactEventKind.CallQueued, UnixTimeMs = arrivalMs, CallId = callId, Queue = "sales", Agent = "" },
        new() { Kind = ContactEventKind.CallAbandoned, UnixTimeMs = arrivalMs + 30_000, CallId = callId, Queue = "sales", Agent = "", WaitMs = 30_000 },
    ];
}
