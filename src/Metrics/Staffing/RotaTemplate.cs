using NodaTime;

namespace Wallboard.Metrics.Staffing;

/// <summary>A shift of a rotating rota: local start and end (an end at or before the start is the next day).</summary>
public sealed record RotaShift(LocalTime Start, LocalTime End);

/// <summary>A group of agents that follows the cycle, <paramref name="Offset"/> days ahead of day one.</summary>
public sealed record RotaGroup(string Name, int Offset, IReadOnlyList<string> Agents);

/// <summary>
/// A rotating rota: every group works the cycle of shift codes, one code a day, each group offset by
/// some days; a code that names no shift is a rest day. The seeds' 四班三运转 (four groups, three
/// eight-hour shifts) is the cycle M M A A N N - - with the groups two days apart, so that every
/// day one group is on each shift and one rests (docs/staffing.md).
/// </summary>
public sealed record RotaTemplate(
    LocalDate CycleStart,
    IReadOnlyList<string> Cycle,
    IReadOnlyDictionary<string, RotaShift> Shifts,
    IReadOnlyList<RotaGroup> Groups)
{
    /// <summary>The rota's work lines for the local days [<paramref name="from"/>, from + <paramref name="days"/>).</summary>
    public IEnumerable<RotaEntry> Expand(LocalDate from, int days, DateTimeZone zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        if (Cycle.Count == 0)
        {
            yield break;
        }

        for (var d = 0; d < days; d++)
        {
            var date = from.PlusDays(d);
            var day = Period.Between(CycleStart, date, PeriodUnits.Days).Days;
            foreach (var group in Groups)
            {
                var code = Cycle[(int)(((((long)day + group.Offset) % Cycle.Count) + Cycle.Count) % Cycle.Count)];
                if (!Shifts.TryGetValue(code, out var shift))
                {
                    continue;
                }

                var start = zone.AtLeniently(date.At(shift.Start)).ToInstant().ToUnixTimeMilliseconds();
                var endDate = shift.End <= shift.Start ? date.PlusDays(1) : date;
                var end = zone.AtLeniently(endDate.At(shift.End)).ToInstant().ToUnixTimeMilliseconds();
                foreach (var agent in group.Agents)
                {
                    yield return new RotaEntry(agent, start, end, RotaEntry.Work);
                }
            }
        }
    }
}
