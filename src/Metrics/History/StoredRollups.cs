using NodaTime;
using Wallboard.Metrics.Calendar;

namespace Wallboard.Metrics.History;

/// <summary>
/// One roll-up a history store keeps beside its 15-minute points: the points of each id summed
/// per bucket of <see cref="Grain"/> in <see cref="Zone"/> (hours, or local days), rebuilt from
/// <see cref="Source"/> whenever a write touches a bucket. The 15-minute points stay the truth; a
/// roll-up only answers queries whose steps are whole buckets of it.
/// </summary>
public sealed class StoredRollup
{
    internal StoredRollup(IntervalLength grain, DateTimeZone zone, StoredRollup? source)
    {
        Grain = grain;
        Zone = zone;
        Source = source;
        Name = $"{grain}@{zone.Id}";
    }

    /// <summary><see cref="IntervalLength.Hour"/> or <see cref="IntervalLength.Day"/>.</summary>
    public IntervalLength Grain { get; }

    /// <summary>The zone of the local calendar; hours are kept in a fixed offset (<c>UTC</c>, <c>UTC+00:30</c>) that stands for every zone of that minute offset.</summary>
    public DateTimeZone Zone { get; }

    /// <summary>The roll-up whose buckets this one sums (days from hours), or null when it sums the 15-minute points.</summary>
    public StoredRollup? Source { get; }

    /// <summary>How stores name it: <c>1h@UTC</c>, <c>1d@Asia/Shanghai</c>.</summary>
    public string Name { get; }

    /// <summary>A calendar of this roll-up's buckets (a calendar is not thread-safe: one per use).</summary>
    public IntervalCalendar NewCalendar() => new(Zone, Grain);

    /// <summary>
    /// Whether the sums per step of <paramref name="step"/> in <paramref name="zone"/> over
    /// [<paramref name="fromMs"/>, <paramref name="toMs"/>) can be made from this roll-up's buckets:
    /// every bucket lies inside one step, and the range starts and ends on bucket boundaries.
    /// </summary>
    public bool Serves(IntervalLength step, DateTimeZone zone, long fromMs, long toMs)
    {
        ArgumentNullException.ThrowIfNull(zone);
        if (fromMs >= toMs || fromMs < StoredRollups.EarliestMs || toMs > StoredRollups.LatestMs)
        {
            return false;
        }

        var calendarStep = step.Unit is IntervalUnit.Day or IntervalUnit.Week or IntervalUnit.Month;
        bool nests;
        if (Grain.Unit == IntervalUnit.Day)
        {
            // Local days of two zones coincide exactly where their offsets are equal.
            nests = calendarStep && StoredRollups.OffsetsAgree(zone, Zone, fromMs, toMs, modulusSeconds: 0);
        }
        else
        {
            // Every step boundary is a whole local hour of the query's zone; it is a boundary of these
            // hours where that zone's offset differs from this one's by whole hours.
            nests = (calendarStep || (step.Unit == IntervalUnit.Minutes && step.Minutes % Grain.Minutes == 0))
                && StoredRollups.OffsetsAgree(zone, Zone, fromMs, toMs, modulusSeconds: Grain.Minutes * 60);
        }

        if (!nests)
        {
            return false;
        }

        var calendar = NewCalendar();
        return calendar.StartOf(fromMs) == fromMs && calendar.StartOf(toMs) == toMs;
    }

    /// <summary>
    /// Splits ascending, distinct bucket starts of a roll-up into runs that one statement grouped
    /// by a fixed length can rebuild: buckets of one length on one grid (a day of 23 or 25 hours starts
    /// a run of its own), at most <see cref="MaxRunGapMs"/> apart. The buckets between those listed
    /// are rebuilt too, which changes nothing in them.
    /// </summary>
    /// <param name="calendar">The roll-up's calendar (<see cref="NewCalendar"/>).</param>
    /// <param name="bucketStarts">The buckets to rebuild, ascending.</param>
    public static List<BucketRun> Runs(IntervalCalendar calendar, IReadOnlyList<long> bucketStarts)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        ArgumentNullException.ThrowIfNull(bucketStarts);
        var runs = new List<BucketRun>();
        var run = default(BucketRun);
        for (var i = 0; i < bucketStarts.Count; i++)
        {
            var start = bucketStarts[i];
            var length = calendar.EndOf(start) - start;
            if (run.Count > 0 && length == run.LengthMs && (start - run.FromMs) % length == 0 && start - run.ToMs <= MaxRunGapMs)
            {
                run = run with { Count = run.Count + 1, ToMs = start + length };
                continue;
            }

            if (run.Count > 0)
            {
                runs.Add(run);
            }

            run = new BucketRun(i, 1, start, start + length, length);
        }

        if (run.Count > 0)
        {
            runs.Add(run);
        }

        return runs;
    }

    /// <summary>Buckets further apart than this start separate runs, so a late interval does not have a long stretch rebuilt with it.</summary>
    public const long MaxRunGapMs = 86_400_000;

    public override string ToString() => Name;
}

/// <summary>
/// Buckets of a roll-up that one grouped statement rebuilds: [<paramref name="FromMs"/>,
/// <paramref name="ToMs"/>) in buckets of <paramref name="LengthMs"/> starting at <paramref name="FromMs"/>.
/// </summary>
/// <param name="First">Index of the run's first bucket in the list it was made from.</param>
/// <param name="Count">How many of the listed buckets it holds.</param>
/// <param name="FromMs">Start of its first bucket, Unix ms.</param>
/// <param name="ToMs">End of its last bucket, Unix ms.</param>
/// <param name="LengthMs">The length of each of its buckets.</param>
public readonly record struct BucketRun(int First, int Count, long FromMs, long ToMs, long LengthMs);

/// <summary>
/// The roll-ups a history store keeps, chosen from the zones analysts and reports ask in
/// (<c>History:RollupZones</c>): for each zone its local days, and the hours they are summed from.
/// It also picks the roll-up that answers a query, or none (then the 15-minute points answer).
/// </summary>
/// <remarks>
/// Hours are kept once per minute offset (every zone of whole-hour offsets shares <c>1h@UTC</c>;
/// India's half hours have <c>1h@UTC+00:30</c>). A zone whose offsets have had more than one minute
/// offset (Nepal, Lord Howe) gets its days summed from the 15-minute points instead.
/// </remarks>
public sealed class StoredRollups
{
    /// <summary>Roll-ups cover 1970 to 9000, the calendar's range (<c>EventTimeLimits</c>).</summary>
    internal const long EarliestMs = 0;

    internal const long LatestMs = 221_845_392_000_000;

    // A zone's offsets are read over this span when choosing its hours: later rules repeat.
    private static readonly Interval ZoneHistory = new(Instant.FromUtc(1970, 1, 1, 0, 0), Instant.FromUtc(2200, 1, 1, 0, 0));

    private StoredRollups(IReadOnlyList<StoredRollup> all) => All = all;

    /// <summary>No roll-ups: every query reads the 15-minute points.</summary>
    public static StoredRollups None { get; } = new([]);

    /// <summary>Every roll-up, each after the one it is summed from.</summary>
    public IReadOnlyList<StoredRollup> All { get; }

    /// <summary>The roll-ups for local days in each of <paramref name="zones"/>, and the hours they are summed from.</summary>
    public static StoredRollups For(IEnumerable<DateTimeZone> zones)
    {
        ArgumentNullException.ThrowIfNull(zones);
        var hours = new Dictionary<int, StoredRollup>();
        var days = new List<StoredRollup>();
        foreach (var zone in zones.DistinctBy(zone => zone.Id))
        {
            var minuteOffsets = zone.GetZoneIntervals(ZoneHistory)
                .Select(interval => MinuteOffset(interval.WallOffset))
                .Distinct()
                .ToList();
            StoredRollup? source = null;
            foreach (var minutes in minuteOffsets)
            {
                if (!hours.TryGetValue(minutes, out var hour))
                {
                    hour = hours[minutes] = new StoredRollup(IntervalLength.Hour, DateTimeZone.ForOffset(Offset.FromSeconds(minutes * 60)), null);
                }

                source = minuteOffsets.Count == 1 ? hour : null;
            }

            days.Add(new StoredRollup(IntervalLength.Day, zone, source));
        }

        return new([.. hours.OrderBy(hour => hour.Key).Select(hour => hour.Value), .. days]);
    }

    /// <summary>
    /// The roll-up that answers sums per <paramref name="step"/> in <paramref name="zone"/> over
    /// [<paramref name="fromMs"/>, <paramref name="toMs"/>) with the fewest rows (days before
    /// hours), among those <paramref name="usable"/> says are complete; null when none does.
    /// </summary>
    public StoredRollup? Serving(IntervalLength step, DateTimeZone zone, long fromMs, long toMs, Func<StoredRollup, bool> usable)
    {
        ArgumentNullException.ThrowIfNull(usable);
        return All
            .OrderByDescending(rollup => rollup.Grain.Unit == IntervalUnit.Day)
            .FirstOrDefault(rollup => usable(rollup) && rollup.Serves(step, zone, fromMs, toMs));
    }

    /// <summary>The roll-up called <paramref name="name"/>, or null.</summary>
    public StoredRollup? Named(string name) => All.FirstOrDefault(rollup => rollup.Name == name);

    /// <summary>
    /// Whether the offsets of <paramref name="a"/> and <paramref name="b"/> differ by a multiple of
    /// <paramref name="modulusSeconds"/> (0: are equal) at every instant of [<paramref name="fromMs"/>, <paramref name="toMs"/>).
    /// </summary>
    internal static bool OffsetsAgree(DateTimeZone a, DateTimeZone b, long fromMs, long toMs, int modulusSeconds)
    {
        var span = new Interval(Instant.FromUnixTimeMilliseconds(fromMs), Instant.FromUnixTimeMilliseconds(toMs));
        // Offsets are constant between the changes of either zone, so checking at each change suffices.
        foreach (var change in a.GetZoneIntervals(span).Concat(b.GetZoneIntervals(span)))
        {
            var at = change.HasStart && change.Start > span.Start ? change.Start : span.Start;
            var difference = a.GetUtcOffset(at).Seconds - b.GetUtcOffset(at).Seconds;
            if (modulusSeconds == 0 ? difference != 0 : difference % modulusSeconds != 0)
            {
                return false;
            }
        }

        return true;
    }

    private static int MinuteOffset(Offset offset) => ((offset.Seconds / 60 % 60) + 60) % 60;
}
