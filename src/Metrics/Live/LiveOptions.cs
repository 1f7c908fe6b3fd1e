namespace Wallboard.Metrics.Live;

/// <summary>How live windows are cut.</summary>
public sealed record LiveOptions
{
    /// <summary>Local times at which shifts start; the shift window runs from the latest one passed. Default: 08:00 and 20:00.</summary>
    public IReadOnlyList<TimeOnly> ShiftStarts { get; init; } = [new(8, 0), new(20, 0)];
}
