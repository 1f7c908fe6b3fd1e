using System.Globalization;

namespace Wallboard.Metrics.Calendar;

/// <summary>How wide an interval is: a whole number of minutes, or a local calendar unit.</summary>
public enum IntervalUnit
{
    Minutes,
    Day,
    Week,
    Month,

    /// <summary>One interval that holds everything.</summary>
    Total,
}

/// <summary>An interval length such as <c>15m</c>, <c>1h</c>, <c>1d</c>, <c>1w</c>, <c>1M</c> or <c>total</c>.</summary>
public readonly record struct IntervalLength(IntervalUnit Unit, int Minutes)
{
    public static readonly IntervalLength OneMinute = new(IntervalUnit.Minutes, 1);
    public static readonly IntervalLength FifteenMinutes = new(IntervalUnit.Minutes, 15);
    public static readonly IntervalLength Hour = new(IntervalUnit.Minutes, 60);
    public static readonly IntervalLength Day = new(IntervalUnit.Day, 0);
    public static readonly IntervalLength Week = new(IntervalUnit.Week, 0);
    public static readonly IntervalLength Month = new(IntervalUnit.Month, 0);
    public static readonly IntervalLength Total = new(IntervalUnit.Total, 0);

    /// <summary>Parses <c>15m</c>, <c>30m</c>, <c>1h</c>, <c>2h</c>, <c>1d</c>, <c>1w</c>, <c>1M</c>, <c>total</c>.</summary>
    /// <remarks>Minute lengths must divide a day so that intervals line up with local midnight.</remarks>
    public static bool TryParse(string? text, out IntervalLength length, out string? error)
    {
        length = default;
        error = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "an interval is required (e.g. 15m, 1h, 1d, total)";
            return false;
        }

        var value = text.Trim();
        switch (value)
        {
            case "total":
                length = Total;
                return true;
            case "1d":
                length = Day;
                return true;
            case "1w":
                length = Week;
                return true;
            case "1M":
                length = Month;
                return true;
        }

        var unit = value[^1];
        var multiplier = unit switch { 'm' => 1, 'h' => 60, _ => 0 };
        if (multiplier == 0
            || !int.TryParse(value.AsSpan(0, value.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var count)
            || count <= 0)
        {
            error = $"'{value}' is not an interval; use 15m, 30m, 1h, 1d, 1w, 1M or total";
            return false;
        }

        var minutes = (long)count * multiplier;
        if (minutes > 1440 || 1440 % minutes != 0)
        {
            error = $"'{value}' does not divide a day; use a length such as 5m, 15m, 30m, 1h or 1d";
            return false;
        }

        length = minutes == 1440 ? Day : new IntervalLength(IntervalUnit.Minutes, (int)minutes);
        return true;
    }

    public static IntervalLength Parse(string text) =>
        TryParse(text, out var length, out var error) ? length : throw new FormatException(error);

    public override string ToString() => Unit switch
    {
        IntervalUnit.Minutes when Minutes % 60 == 0 => $"{Minutes / 60}h",
        IntervalUnit.Minutes => $"{Minutes}m",
        IntervalUnit.Day => "1d",
        IntervalUnit.Week => "1w",
        IntervalUnit.Month => "1M",
        _ => "total",
    };
}
