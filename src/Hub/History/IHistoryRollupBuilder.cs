namespace Wallboard.Hub.History;

/// <summary>
/// A history store that keeps roll-ups (<see cref="Wallboard.Metrics.History.StoredRollups"/>) and
/// may have to build them over points stored before it kept them: a file or database from a version
/// without roll-ups, or a zone added to <c>History:RollupZones</c>. Until a roll-up is built, queries
/// it would answer read the 15-minute points.
/// </summary>
internal interface IHistoryRollupBuilder
{
    /// <summary>The names of the roll-ups not yet usable (<c>1d@Asia/Shanghai</c>, …).</summary>
    IReadOnlyList<string> IncompleteRollups { get; }

    /// <summary>Builds every incomplete roll-up from the stored points and marks it complete.</summary>
    /// <returns>The number of roll-ups built.</returns>
    Task<int> BuildRollupsAsync(CancellationToken cancellationToken = default);
}
