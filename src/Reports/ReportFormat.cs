using System.Globalization;

namespace Wallboard.Reports;

/// <summary>
/// How numbers are written in a report. Digits, separators and the per-cent sign are the same
/// in both languages (Chinese business documents use them too), so the figures are culture-invariant.
/// </summary>
internal static class ReportFormat
{
    public const string Missing = "—";

    private static CultureInfo Invariant => CultureInfo.InvariantCulture;

    public static string Count(double? value) => value is { } v ? v.ToString("N0", Invariant) : Missing;

    public static string Percent(double? fraction) =>
        fraction is { } f ? (f * 100).ToString("0.0", Invariant) + "%" : Missing;

    /// <summary>Seconds as m:ss (h:mm:ss from an hour), rounded to the second.</summary>
    public static string Duration(double? seconds)
    {
        if (seconds is not { } s)
        {
            return Missing;
        }

        var total = (long)Math.Round(Math.Abs(s), MidpointRounding.AwayFromZero);
        var sign = s < 0 && total > 0 ? "−" : string.Empty;
        return total >= 3600
            ? string.Create(Invariant, $"{sign}{total / 3600}:{total / 60 % 60:00}:{total % 60:00}")
            : string.Create(Invariant, $"{sign}{total / 60}:{total % 60:00}");
    }

    /// <summary>
    /// Seconds as h:mm, for login, pause and talk time; from 24 hours as hours with one decimal and
    /// <paramref name="hoursUnit"/> ("63.8 h"), which a clock time of 63:48 is not.
    /// </summary>
    public static string Hours(double seconds, string hoursUnit)
    {
        if (seconds >= DaySeconds)
        {
            return (seconds / 3600).ToString("0.0", Invariant) + hoursUnit;
        }

        var minutes = (long)Math.Round(seconds / 60, MidpointRounding.AwayFromZero);
        return string.Create(Invariant, $"{minutes / 60}:{minutes % 60:00}");
    }

    private const double DaySeconds = 24 * 3600;

    /// <summary>The relative change of a count ("+12.5%"), or null when there is nothing to compare with.</summary>
    public static string? CountChange(KpiComparison figure) =>
        figure is { Current: { } current, Previous: { } previous and > 0 }
            ? Signed((current - previous) / previous * 100, "0.0") + "%"
            : null;

    /// <summary>The change of a ratio in percentage points ("+2.5 pts").</summary>
    public static string? PointsChange(KpiComparison figure, string points) =>
        figure.Change is { } change ? Signed(change * 100, "0.0") + " " + points : null;

    /// <summary>The change of a ratio in percentage points without a unit ("−8.0"), for a column whose head names the unit.</summary>
    public static string? Points(KpiComparison figure) =>
        figure.Change is { } change ? Signed(change * 100, "0.0") : null;

    /// <summary>The change of a time ("+0:05", "−0:20"); "±0:00" when it rounds to no whole second.</summary>
    public static string? DurationChange(KpiComparison figure) => figure.Change switch
    {
        null => null,
        { } change when Math.Round(Math.Abs(change), MidpointRounding.AwayFromZero) == 0 => "±" + Duration(0),
        { } change => (change > 0 ? "+" : string.Empty) + Duration(change),
    };

    private static string Signed(double value, string format)
    {
        var text = Math.Abs(value).ToString(format, Invariant);
        var zero = Math.Abs(value).ToString(format, Invariant) == 0.0.ToString(format, Invariant);
        return zero ? "±" + text : (value > 0 ? "+" : "−") + text;
    }
}
