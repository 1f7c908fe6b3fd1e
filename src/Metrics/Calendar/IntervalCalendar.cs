using System.Runtime.CompilerServices;
using NodaTime;

namespace Wallboard.Metrics.Calendar;

/// <summary>
/// Maps an instant to the start of its interval in a time zone. Intervals follow the local
/// clock: a day runs from local midnight to local midnight (23 or 25 hours across a DST change),
/// and minute intervals are aligned to the local hour, so 09:00–09:15 means 09:00 on the wall.
/// </summary>
/// <remarks>
/// Not thread-safe: it caches the last interval because consecutive events almost always fall in
/// the same one, which keeps the hot path to two comparisons.
/// </remarks>
public sealed class IntervalCalendar
{
    /// <summary>The start of the single interval of <see cref="IntervalUnit.Total"/>.</summary>
    public const long TotalStart = long.MinValue;

    private readonly DateTimeZone _zone;
    private long _cachedStart = long.MaxValue;
    private long _cachedEnd = long.MinValue;

    // When the UTC offset in force at the last minute-interval lookup ends (the next DST change);
    // before the first lookup nothing is known, so no interval may be assumed to follow the cached one.
    private long _offsetToMs = long.MinValue;

    // Where that offset starts, and the offset itself: any instant in [from, to) has its minute
    // interval worked out by arithmetic, with no zone lookup.
    private long _offsetFromMs = long.MaxValue;
    private long _offsetMs;

    public IntervalCalendar(DateTimeZone zone, IntervalLength length)
    {
        ArgumentNullException.ThrowIfNull(zone);
        _zone = zone;
        Length = length;
    }

    public IntervalLength Length { get; }

    public DateTimeZone Zone => _zone;

    /// <summary>Looks up an IANA zone id, failing with a message that names it.</summary>
    public static DateTimeZone ResolveZone(string zoneId) =>
        DateTimeZoneProviders.Tzdb.GetZoneOrNull(zoneId)
        ?? throw new ArgumentException($"'{zoneId}' is not an IANA time zone (e.g. Asia/Shanghai, Europe/London)", nameof(zoneId));

    /// <summary>The start (Unix ms) of the interval holding <paramref name="unixMs"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public long StartOf(long unixMs)
    {
        if (unixMs >= _cachedStart && unixMs < _cachedEnd)
        {
            return _cachedStart;
        }

        if (Length.Unit == IntervalUnit.Total)
        {
            return TotalStart;
        }

        if (unixMs >= _cachedEnd && _cachedEnd < _offsetToMs && Length.Unit == IntervalUnit.Minutes && unixMs < Math.Min(EndOf(_cachedEnd), _offsetToMs))
        {
            // The interval right after the cached one, with no offset change between: minute intervals
            // tile the time of one offset, so it starts where the cached one ends. Login and pause spans
            // are split walking forward like this, interval by interval, up to the present.
            _cachedStart = _cachedEnd;
            _cachedEnd = Math.Min(EndOf(_cachedStart), _offsetToMs);
            return _cachedStart;
        }

        if (unixMs >= _offsetFromMs && unixMs < _offsetToMs && Length.Unit == IntervalUnit.Minutes)
        {
            // Within the offset of the last lookup, as ComputeStart would give it: the local time floored
            // to the interval length (which divides a day, so local midnights are multiples of it), less
            // that offset. The live engine's minute cache misses whenever a call is counted in its
            // arrival minute, and a zone lookup took longer than the rest of the event.
            var length = Length.Minutes * 60_000L;
            _cachedStart = unixMs - (((unixMs + _offsetMs) % length) + length) % length;
            _cachedEnd = Math.Min(_cachedStart + length, _offsetToMs);
            return _cachedStart;
        }

        var start = ComputeStart(unixMs);
        _cachedStart = start;

        // Minute intervals are cached no further than the next change of offset: where a DST change
        // falls inside one (2 h intervals in London), the instants after it belong to the interval
        // the new local clock gives, as a fresh lookup says, not to the one that began before it.
        _cachedEnd = Length.Unit == IntervalUnit.Minutes ? Math.Min(EndOf(start), _offsetToMs) : EndOf(start);
        return start;
    }

    /// <summary>
    /// The start of the interval holding <paramref name="unixMs"/>, and the instant (exclusive) up to
    /// which that start holds: the interval's end, or an earlier change of UTC offset inside it. A
    /// span split at these instants gives each piece the interval a fresh lookup would.
    /// </summary>
    public long StartOf(long unixMs, out long untilMs)
    {
        var start = StartOf(unixMs);
        untilMs = start == TotalStart ? long.MaxValue : _cachedEnd;
        return start;
    }

    /// <summary>The end (exclusive, Unix ms) of the interval that starts at <paramref name="startMs"/>.</summary>
    public long EndOf(long startMs)
    {
        if (Length.Unit == IntervalUnit.Total)
        {
            return long.MaxValue;
        }

        // Minute intervals are exact spans of elapsed time; the local clock only decides where they
        // start. Answered before any zone conversion: live windows step through hundreds of minutes
        // per entity at every tick.
        if (Length.Unit == IntervalUnit.Minutes)
        {
            return startMs + (Length.Minutes * 60_000L);
        }

        var local = Instant.FromUnixTimeMilliseconds(startMs).InZone(_zone).LocalDateTime;
        return Length.Unit switch
        {
            IntervalUnit.Day => StartOfDay(local.Date.PlusDays(1)),
            IntervalUnit.Week => StartOfDay(local.Date.PlusWeeks(1)),
            _ => StartOfDay(local.Date.PlusMonths(1)),
        };
    }

    /// <summary>The interval start as a local time with its offset, or null for the total.</summary>
    public DateTimeOffset? ToLocal(long startMs)
    {
        if (startMs == TotalStart)
        {
            return null;
        }

        return Instant.FromUnixTimeMilliseconds(startMs).InZone(_zone).ToDateTimeOffset();
    }

    private long ComputeStart(long unixMs)
    {
        var zoned = Instant.FromUnixTimeMilliseconds(unixMs).InZone(_zone);
        var local = zoned.LocalDateTime;
        switch (Length.Unit)
        {
            case IntervalUnit.Minutes:
                var offsetSpan = zoned.GetZoneInterval();
                _offsetToMs = offsetSpan.HasEnd ? offsetSpan.End.ToUnixTimeMilliseconds() : long.MaxValue;
                _offsetFromMs = offsetSpan.HasStart ? offsetSpan.Start.ToUnixTimeMilliseconds() : long.MinValue;
                _offsetMs = zoned.Offset.Milliseconds;
                var minuteOfDay = (local.Hour * 60) + local.Minute;
                var floored = minuteOfDay - (minuteOfDay % Length.Minutes);
                var localStart = local.Date.AtMidnight().PlusMinutes(floored);
                // Keep the offset in force at the instant, so that the repeated hour of a DST fall-back
                // yields two distinct intervals instead of folding both into one.
                var start = new OffsetDateTime(localStart, zoned.Offset).ToInstant().ToUnixTimeMilliseconds();
                return start <= unixMs ? start : _zone.AtLeniently(localStart).ToInstant().ToUnixTimeMilliseconds();
            case IntervalUnit.Day:
                return StartOfDay(local.Date);
            case IntervalUnit.Week:
                return StartOfDay(local.Date.PlusDays(-(((int)local.DayOfWeek) - 1)));
            default:
                return StartOfDay(new LocalDate(local.Year, local.Month, 1));
        }
    }

    private long StartOfDay(LocalDate date) => _zone.AtStartOfDay(date).ToInstant().ToUnixTimeMilliseconds();
}
