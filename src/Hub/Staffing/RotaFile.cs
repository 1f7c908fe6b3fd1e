using System.Globalization;
using nietras.SeparatedValues;
using NodaTime;
using Wallboard.Metrics.Staffing;

namespace Wallboard.Hub.Staffing;

/// <summary>A rota line that could not be read: its line number, the field and what was wrong.</summary>
internal sealed record RotaError(int Line, string Field, string Message)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"line {Line}: {Field}: {Message}");
}

/// <summary>
/// Reads a rota CSV: a header <c>agent,date,start,end,activity</c>, then one line per span of an
/// agent's day, in the centre's local time (docs/staffing.md). An end at or before the start is
/// the next day (a night shift). A bad line is reported and skipped; the good lines around it stay.
/// </summary>
internal static class RotaFile
{
    private static readonly string[] Columns = ["agent", "date", "start", "end", "activity"];

    public static List<RotaEntry> Parse(string text, DateTimeZone zone, List<RotaError> errors)
    {
        var entries = new List<RotaEntry>();
        using var reader = Sep.New(',').Reader(options => options with { HasHeader = true, Unescape = true, Trim = SepTrim.All }).FromText(text);
        var header = reader.Header;
        var missing = Columns.Where(column => !header.ColNames.Contains(column, StringComparer.Ordinal)).ToList();
        if (missing.Count > 0)
        {
            errors.Add(new RotaError(1, "header", $"needs the columns agent,date,start,end,activity; missing {string.Join(", ", missing)}"));
            return entries;
        }

        foreach (var row in reader)
        {
            var line = row.LineNumberFrom;
            var agent = row["agent"].ToString();
            var dateText = row["date"].ToString();
            var startText = row["start"].ToString();
            var endText = row["end"].ToString();
            var activity = row["activity"].ToString();
            if (agent.Length == 0)
            {
                errors.Add(new RotaError(line, "agent", "is empty"));
                continue;
            }

            if (!DateOnly.TryParseExact(dateText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                errors.Add(new RotaError(line, "date", $"'{dateText}' is not a date yyyy-MM-dd"));
                continue;
            }

            if (!TryTime(startText, out var start) || start == TimeSpan.FromHours(24))
            {
                errors.Add(new RotaError(line, "start", $"'{startText}' is not a local time HH:mm"));
                continue;
            }

            if (!TryTime(endText, out var end))
            {
                errors.Add(new RotaError(line, "end", $"'{endText}' is not a local time HH:mm (24:00 is midnight at the end of the day)"));
                continue;
            }

            if (activity.Length == 0 || !activity.All(c => char.IsAsciiLetterLower(c) || c == '-' || c == '_'))
            {
                errors.Add(new RotaError(line, "activity", $"'{activity}' is not an activity (work, break, lunch, training, … in lower case)"));
                continue;
            }

            var day = new LocalDate(date.Year, date.Month, date.Day);
            var startMs = At(zone, day, start);
            var endMs = At(zone, end <= start ? day.PlusDays(1) : day, end);
            entries.Add(new RotaEntry(agent, startMs, endMs, activity));
        }

        return entries;
    }

    private static long At(DateTimeZone zone, LocalDate day, TimeSpan time) =>
        zone.AtLeniently(day.AtMidnight().PlusMinutes((long)time.TotalMinutes)).ToInstant().ToUnixTimeMilliseconds();

    private static bool TryTime(string text, out TimeSpan time)
    {
        time = default;
        if (text == "24:00")
        {
            time = TimeSpan.FromHours(24);
            return true;
        }

        if (!TimeOnly.TryParseExact(text, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
        {
            return false;
        }

        time = parsed.ToTimeSpan();
        return true;
    }
}
