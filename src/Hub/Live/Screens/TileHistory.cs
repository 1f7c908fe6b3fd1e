using Wallboard.Hub.Live.Dashboards;

namespace Wallboard.Hub.Live.Screens;

/// <summary>
/// A dashboard's tile values over the last quarter of an hour, so that a tile's arrow compares the
/// figure now with the figure fifteen minutes ago: the question a floor manager asks ("is the
/// queue building up?"), which an arrow against the previous change (a second ago, or an hour ago on
/// a quiet board) does not answer.
/// </summary>
/// <remarks>
/// A value is kept only when it changes, so a quiet tile costs one entry; the value at an instant is
/// the last one recorded at or before it. Entries older than the one in force fifteen minutes ago
/// are dropped at each record. A tile is known by what it measures (KPI, window, queues, campaigns,
/// format), not by its id, so a layout edit that keeps a tile keeps its history. Until a tile has
/// fifteen minutes of history (after a start, or when it is new) its trend is flat. Used by one
/// tick at a time (the broadcaster's tick lock).
/// </remarks>
internal sealed class TileHistory
{
    public static readonly TimeSpan Span = TimeSpan.FromMinutes(15);

    private static readonly long SpanMs = (long)Span.TotalMilliseconds;

    private readonly Dictionary<string, List<(long AtMs, double? Value)>> _series = new(StringComparer.Ordinal);

    /// <summary>Records a tile's value at <paramref name="atMs"/> and returns its trend: up, down or flat against its value <see cref="Span"/> before.</summary>
    /// <remarks>Flat when either value is unknown, or both show the same (whole percent, second, count): an arrow never contradicts two equal figures.</remarks>
    public string Record(string key, long atMs, double? value, string format)
    {
        if (!_series.TryGetValue(key, out var series))
        {
            _series[key] = series = [];
        }

        if (series.Count == 0 || series[^1].Value != value)
        {
            series.Add((atMs, value));
        }

        // Keep the value in force fifteen minutes ago (the last one at or before then) and what came after.
        var thenMs = atMs - SpanMs;
        var stale = 0;
        while (stale + 1 < series.Count && series[stale + 1].AtMs <= thenMs)
        {
            stale++;
        }

        series.RemoveRange(0, stale);
        var (firstAt, then) = series[0];
        if (firstAt > thenMs || then is not { } before || value is not { } now
            || KpiValues.Display(before, format) == KpiValues.Display(now, format))
        {
            return "flat";
        }

        return now > before ? "up" : "down";
    }

    /// <summary>Forgets the tiles no longer on the board.</summary>
    public void KeepOnly(IEnumerable<string> keys)
    {
        var keep = keys.ToHashSet(StringComparer.Ordinal);
        foreach (var key in _series.Keys.Where(key => !keep.Contains(key)).ToList())
        {
            _series.Remove(key);
        }
    }

    /// <summary>What a tile measures, as the key of its history.</summary>
    public static string KeyOf(Dashboard dashboard, Tile tile) => string.Join(
        '|',
        tile.Kpi,
        tile.Window,
        tile.Format,
        string.Join(',', ScreenCalculator.ExpandQueues(dashboard, tile.Queues).Order(StringComparer.Ordinal)),
        string.Join(',', (tile.Campaigns ?? dashboard.Campaigns).Order(StringComparer.Ordinal)));
}
