using NodaTime;
using Wallboard.Metrics.Calendar;

namespace Wallboard.Reports;

/// <summary>The local days a report covers and the instants they start and end at.</summary>
/// <param name="Period">Day, ISO week or month.</param>
/// <param name="FirstDay">First local day included.</param>
/// <param name="LastDay">Last local day included.</param>
/// <param name="Start">Local midnight starting <paramref name="FirstDay"/>, with its offset.</param>
/// <param name="End">Local midnight after <paramref name="LastDay"/> (exclusive), with its offset.</param>
/// <param name="TimeZone">The IANA zone.</param>
public sealed record ReportRange(ReportPeriod Period, DateOnly FirstDay, DateOnly LastDay, DateTimeOffset Start, DateTimeOffset End, string TimeZone)
{
    /// <summary>The period of <paramref name="period"/> that contains <paramref name="date"/> in <paramref name="timeZone"/>.</summary>
    /// <exception cref="ArgumentException">The zone is not an IANA zone.</exception>
    public static ReportRange For(ReportPeriod period, DateOnly date, string timeZone)
    {
        var zone = IntervalCalendar.ResolveZone(timeZone);
        var local = new LocalDate(date.Year, date.Month, date.Day);
        var (first, next) = period switch
        {
            ReportPeriod.Weekly => (local.PlusDays(-((int)local.DayOfWeek - 1)), local.PlusDays(-((int)local.DayOfWeek - 1)).PlusWeeks(1)),
            ReportPeriod.Monthly => (new LocalDate(local.Year, local.Month, 1), new LocalDate(local.Year, local.Month, 1).PlusMonths(1)),
            _ => (local, local.PlusDays(1)),
        };
        return new ReportRange(
            period,
            ToDateOnly(first),
            ToDateOnly(next.PlusDays(-1)),
            zone.AtStartOfDay(first).ToDateTimeOffset(),
            zone.AtStartOfDay(next).ToDateTimeOffset(),
            timeZone);
    }

    /// <summary>The period of the same kind just before this one (the day, week or month before).</summary>
    public ReportRange Previous() => For(Period, FirstDay.AddDays(-1), TimeZone);

    /// <summary>The same kind of period a week earlier: for a day, the same weekday of the week before.</summary>
    public ReportRange WeekBefore() => For(Period, FirstDay.AddDays(-7), TimeZone);

    /// <summary>The number of local days covered.</summary>
    public int Days => LastDay.DayNumber - FirstDay.DayNumber + 1;

    public long StartMs => Start.ToUnixTimeMilliseconds();

    public long EndMs => End.ToUnixTimeMilliseconds();

    private static DateOnly ToDateOnly(LocalDate date) => new(date.Year, date.Month, date.Day);
}
