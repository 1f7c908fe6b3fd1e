using System.Globalization;

namespace Wallboard.Ingest.Model;

/// <summary>
/// The event times a reader accepts, [<see cref="MinMs"/>, <see cref="MaxMs"/>). Every reader
/// refuses a time outside, as a malformed line naming the field, the value and the limit: by
/// default the range the metrics core can place in a calendar (<see cref="Supported"/>); on the
/// live server also no further ahead of its clock than the allowed skew and no further back than
/// the horizon (<see cref="Live"/>), so one line from a PBX with a wrong clock can neither stop the
/// server nor move its "now".
/// </summary>
public sealed class EventTimeLimits
{
    /// <summary>1970-01-01 UTC: no phone system logs before the Unix epoch.</summary>
    public const long EarliestMs = 0;

    /// <summary>
    /// 9000-01-01 UTC, excluded. NodaTime ends at 9999-12-31, and a month interval or a zone offset
    /// near that end threw from inside the core (one line dated 9999-12-31 stopped the server).
    /// </summary>
    public const long LatestMs = 221_845_392_000_000;

    private readonly long? _nowMs;

    private EventTimeLimits(long minMs, long maxMs, long? nowMs)
    {
        MinMs = minMs;
        MaxMs = maxMs;
        _nowMs = nowMs;
    }

    /// <summary>The calendar's range, for readers of files (<c>kpi</c>, <c>import</c>).</summary>
    public static EventTimeLimits Supported { get; } = new(EarliestMs, LatestMs, null);

    /// <summary>First time accepted, Unix ms.</summary>
    public long MinMs { get; }

    /// <summary>First time refused after <see cref="MinMs"/>, Unix ms.</summary>
    public long MaxMs { get; }

    /// <summary>The live server's window at <paramref name="nowMs"/>: at most <paramref name="maxSkew"/> ahead, at most <paramref name="horizon"/> back.</summary>
    public static EventTimeLimits Live(long nowMs, TimeSpan maxSkew, TimeSpan horizon)
    {
        var min = Math.Max(EarliestMs, nowMs - (long)horizon.TotalMilliseconds);
        var max = Math.Min(LatestMs, nowMs + (long)maxSkew.TotalMilliseconds + 1);
        return new EventTimeLimits(min, Math.Max(min, max), nowMs);
    }

    /// <summary>Whether <paramref name="unixMs"/> is accepted.</summary>
    public bool Contains(long unixMs) => (ulong)(unixMs - MinMs) < (ulong)(MaxMs - MinMs);

    /// <summary>Why <paramref name="unixMs"/> is refused, for the error of its line.</summary>
    public string Describe(long unixMs)
    {
        var shown = Show(unixMs);
        if (_nowMs is not { } now)
        {
            return $"{shown} is outside the supported range {Show(MinMs)} to {Show(MaxMs)}";
        }

        return unixMs >= MaxMs
            ? $"{shown} is {Span(unixMs - now)} ahead of the server clock (at most {Span(MaxMs - 1 - now)} is allowed)"
            : $"{shown} is {Span(now - unixMs)} behind the server clock (at most {Span(now - MinMs)} is allowed)";
    }

    private static string Show(long unixMs) =>
        unixMs is >= -62_135_596_800_000 and <= 253_402_300_799_999
            ? DateTimeOffset.FromUnixTimeMilliseconds(unixMs).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)
            : string.Create(CultureInfo.InvariantCulture, $"Unix time {unixMs} ms");

    private static string Span(long ms)
    {
        var time = TimeSpan.FromMilliseconds(Math.Min(ms, (long)TimeSpan.MaxValue.TotalMilliseconds - 1));
        return time.TotalDays >= 2 ? string.Create(CultureInfo.InvariantCulture, $"{Math.Floor(time.TotalDays):0} days")
            : time.TotalHours >= 2 ? string.Create(CultureInfo.InvariantCulture, $"{Math.Floor(time.TotalHours):0} hours")
            : string.Create(CultureInfo.InvariantCulture, $"{Math.Floor(time.TotalSeconds):0} s");
    }
}
