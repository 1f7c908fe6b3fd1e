using NodaTime;
using Wallboard.Metrics.Calendar;

namespace Wallboard.Metrics.History;

/// <summary>
/// Where interval counters are kept for reports and analysts: InfluxDB in production, SQLite
/// when none is configured. Both keep 15-minute points and behave the same (one contract test
/// suite runs against both).
/// </summary>
public interface IKpiHistoryStore
{
    /// <summary>
    /// Stores points, replacing any stored point with the same kind, id and interval start, so a
    /// replay, a refresh of an open interval or a late event never counts twice.
    /// </summary>
    /// <param name="points">Points of any kinds.</param>
    /// <param name="writtenUpToMs">
    /// Event time (Unix ms) up to which the writer has sent everything, or null; the store keeps
    /// the largest it has been given (see <see cref="GetWrittenUpToAsync"/>).
    /// </param>
    /// <param name="cancellationToken">Stops waiting for the store.</param>
    Task WriteAsync(IReadOnlyList<HistoryPoint> points, long? writtenUpToMs, CancellationToken cancellationToken = default);

    /// <summary>
    /// The stored points of <paramref name="kind"/> whose interval starts in
    /// [<paramref name="fromMs"/>, <paramref name="toMs"/>), ordered by id and interval start.
    /// </summary>
    /// <param name="kind">Queues, agents or campaigns.</param>
    /// <param name="ids">The ids wanted, or null (or empty) for all.</param>
    /// <param name="fromMs">First interval start included, Unix ms.</param>
    /// <param name="toMs">First interval start excluded, Unix ms.</param>
    /// <param name="cancellationToken">Stops the query.</param>
    Task<IReadOnlyList<HistoryPoint>> QueryAsync(HistoryKind kind, IReadOnlyCollection<string>? ids, long fromMs, long toMs, CancellationToken cancellationToken = default);

    /// <summary>
    /// Points of <paramref name="kind"/> to be summed per step of <paramref name="stepLength"/> in
    /// <paramref name="zone"/> over [<paramref name="fromMs"/>, <paramref name="toMs"/>) (by
    /// <see cref="HistoryRollup"/>): the 15-minute points, or, where the store keeps a roll-up whose
    /// buckets lie within those steps (hours, local days: <see cref="StoredRollups"/>), one point per
    /// id and bucket, starting at the bucket's start. The sums per step are the same either way.
    /// </summary>
    /// <param name="kind">Queues, agents or campaigns.</param>
    /// <param name="ids">The ids wanted, or null (or empty) for all.</param>
    /// <param name="fromMs">Start of the first step, Unix ms.</param>
    /// <param name="toMs">End of the last step, Unix ms.</param>
    /// <param name="stepLength">The step the points will be summed into.</param>
    /// <param name="zone">The zone of the steps' local calendar.</param>
    /// <param name="cancellationToken">Stops the query.</param>
    Task<IReadOnlyList<HistoryPoint>> QueryForStepsAsync(
        HistoryKind kind, IReadOnlyCollection<string>? ids, long fromMs, long toMs, IntervalLength stepLength, DateTimeZone zone, CancellationToken cancellationToken = default) =>
        QueryAsync(kind, ids, fromMs, toMs, cancellationToken);

    /// <summary>
    /// The largest watermark stored with <see cref="WriteAsync"/>, or null before the first: a
    /// report over a later period can tell that history is behind (e.g. writes still spooled).
    /// </summary>
    Task<long?> GetWrittenUpToAsync(CancellationToken cancellationToken = default);
}
