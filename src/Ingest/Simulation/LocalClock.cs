namespace Wallboard.Ingest.Simulation;

/// <summary>
/// Local time and the daily arrival curve. <see cref="TimeZoneInfo.GetUtcOffset(DateTimeOffset)"/>
/// is far too slow to call per candidate arrival, so offsets are cached per six-hour block of UTC
/// in a small direct-mapped table (each queue looks ahead from a different instant, so a single
/// entry would thrash). A block whose two ends disagree holds a transition and is cached per
/// quarter hour instead: no real zone changes its offset other than on a quarter hour.
/// </summary>
internal sealed class LocalClock
{
    private const long MsPerHour = 3_600_000;
    private const long MsPerDay = 86_400_000;
    private const long BucketMs = 900_000;
    private const long BlockMs = 6 * MsPerHour;
    private const int CacheSize = 32;

    private readonly TimeZoneInfo _zone;
    private readonly double _weekendFactor;
    private readonly double _curveIntegral;
    private readonly long[] _cachedBlocks = new long[CacheSize];
    private readonly long[] _cachedOffsets = new long[CacheSize];
    private long _cachedBucket = long.MinValue;
    private long _cachedBucketOffsetMs;

    private readonly bool _flat;

    public LocalClock(TimeZoneInfo zone, double weekendFactor, bool flat = false)
    {
        _zone = zone;
        _weekendFactor = weekendFactor;
        _flat = flat;
        Array.Fill(_cachedBlocks, long.MinValue);

        // Normalise so that CallsPerDay is the weekday volume: integrate by the minute.
        var sum = 0.0;
        for (var minute = 0; minute < 1440; minute++)
        {
            sum += Shape((minute + 0.5) / 60.0);
        }

        _curveIntegral = sum / 60.0;
        MaxShare = flat ? 1.0 / 24 : MaxShape() / _curveIntegral;
    }

    /// <summary>The highest hourly share of the daily volume, for thinning.</summary>
    public double MaxShare { get; }

    public long LocalOffsetMs(long utcMs)
    {
        var block = utcMs / BlockMs;
        var slot = (int)(block & (CacheSize - 1));
        if (_cachedBlocks[slot] == block)
        {
            return _cachedOffsets[slot];
        }

        var first = OffsetAt(block * BlockMs);
        if (first == OffsetAt(((block + 1) * BlockMs) - 1))
        {
            _cachedBlocks[slot] = block;
            _cachedOffsets[slot] = first;
            return first;
        }

        var bucket = utcMs / BucketMs;
        if (bucket != _cachedBucket)
        {
            _cachedBucket = bucket;
            _cachedBucketOffsetMs = OffsetAt(bucket * BucketMs);
        }

        return _cachedBucketOffsetMs;
    }

    private long OffsetAt(long utcMs) =>
        (long)_zone.GetUtcOffset(DateTimeOffset.FromUnixTimeMilliseconds(utcMs)).TotalMilliseconds;

    /// <summary>Share of a weekday's volume per hour at this instant (weekend days scaled down).</summary>
    public double HourlyShare(long utcMs)
    {
        var local = utcMs + LocalOffsetMs(utcMs);
        var day = Math.DivRem(local, MsPerDay, out var msOfDay);
        if (msOfDay < 0)
        {
            msOfDay += MsPerDay;
            day--;
        }

        var share = _flat ? 1.0 / 24 : Shape(msOfDay / (double)MsPerHour) / _curveIntegral;

        // 1970-01-01 was a Thursday: day 2 and 3 of each week (from Thursday) are Saturday and Sunday.
        var dayOfWeek = ((day % 7) + 7) % 7;
        return dayOfWeek is 2 or 3 ? share * _weekendFactor : share;
    }

    /// <summary>The UTC instant of a local wall-clock time, stepping over a spring-forward gap.</summary>
    public long ToUtcMs(DateOnly localDate, TimeSpan timeOfDay)
    {
        var local = localDate.ToDateTime(TimeOnly.MinValue) + timeOfDay;
        if (_zone.IsInvalidTime(local))
        {
            local = local.AddHours(1);
        }

        var utc = local - _zone.GetUtcOffset(local);
        return new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc)).ToUnixTimeMilliseconds();
    }

    /// <summary>The local day number (days since 1970-01-01 on the local calendar).</summary>
    public long LocalDayNumber(long utcMs) => Math.DivRem(utcMs + LocalOffsetMs(utcMs), MsPerDay, out var rest) - (rest < 0 ? 1 : 0);

    public DateOnly LocalDate(long utcMs)
    {
        var local = DateTimeOffset.FromUnixTimeMilliseconds(utcMs).ToOffset(TimeSpan.FromMilliseconds(LocalOffsetMs(utcMs)));
        return DateOnly.FromDateTime(local.DateTime);
    }

    /// <summary>
    /// Relative call volume by local hour: almost nothing at night, a working-day plateau, a
    /// morning peak around 10:00 and a lower afternoon one around 15:00.
    /// </summary>
    internal static double Shape(double hour)
    {
        var day = Logistic((hour - 8.0) / 0.6) * Logistic((20.5 - hour) / 0.8);
        var morning = (hour - 10.0) / 1.3;
        var afternoon = (hour - 15.0) / 1.6;
        return 0.02 + (0.35 * day) + Math.Exp(-0.5 * morning * morning) + (0.8 * Math.Exp(-0.5 * afternoon * afternoon));
    }

    private static double Logistic(double x) => 1.0 / (1.0 + Math.Exp(-x));

    private static double MaxShape()
    {
        var max = 0.0;
        for (var minute = 0; minute < 1440; minute++)
        {
            max = Math.Max(max, Shape(minute / 60.0));
        }

        // A little headroom so that thinning never meets a rate above its bound between samples.
        return max * 1.01;
    }
}
