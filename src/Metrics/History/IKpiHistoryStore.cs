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
    /// The largest watermark stored with <see cref="WriteAsync"/>, or null before the first: a
    /// report over a later period can tell that history is behind (e.g. writes still spooled).
    /// </summary>
    Task<long?> GetWrittenUpToAsync(CancellationToken cancellationToken = default);
}
