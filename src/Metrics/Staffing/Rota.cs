namespace Wallboard.Metrics.Staffing;

/// <summary>One line of a rota: an agent doing an activity over [start, end).</summary>
/// <param name="Agent">The agent id, as the events name it.</param>
/// <param name="StartMs">Start, Unix ms.</param>
/// <param name="EndMs">End (excluded), Unix ms.</param>
/// <param name="Activity"><c>work</c> is on the phones; anything else (break, lunch, training, meeting) is scheduled time off them.</param>
public sealed record RotaEntry(string Agent, long StartMs, long EndMs, string Activity)
{
    public const string Work = "work";

    public bool OnPhones => string.Equals(Activity, Work, StringComparison.Ordinal);
}

/// <summary>
/// Who is scheduled when: per agent, the spans on the phones (work less any other activity that
/// overlaps it), sorted and merged.
/// </summary>
public sealed class Rota
{
    private readonly Dictionary<string, (long Start, long End)[]> _spans;

    public Rota(IEnumerable<RotaEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        _spans = new Dictionary<string, (long, long)[]>(StringComparer.Ordinal);
        foreach (var agent in entries.GroupBy(entry => entry.Agent, StringComparer.Ordinal))
        {
            var work = Merge(agent.Where(entry => entry.OnPhones).Select(entry => (entry.StartMs, entry.EndMs)));
            var off = Merge(agent.Where(entry => !entry.OnPhones).Select(entry => (entry.StartMs, entry.EndMs)));
            _spans[agent.Key] = [.. Subtract(work, off)];
        }
    }

    public static Rota Empty { get; } = new([]);

    public IReadOnlyCollection<string> Agents => _spans.Keys;

    public bool IsEmpty => _spans.Count == 0;

    /// <summary>The agent's on-phone spans that overlap [fromMs, toMs), clipped to it.</summary>
    public IEnumerable<(long StartMs, long EndMs)> Scheduled(string agent, long fromMs, long toMs)
    {
        if (!_spans.TryGetValue(agent, out var spans))
        {
            yield break;
        }

        foreach (var (start, end) in spans)
        {
            if (end > fromMs && start < toMs)
            {
                yield return (Math.Max(start, fromMs), Math.Min(end, toMs));
            }
        }
    }

    /// <summary>Agents scheduled on the phones over [fromMs, toMs), on average (scheduled agent-time / the span's length).</summary>
    public double ScheduledAgents(long fromMs, long toMs)
    {
        if (toMs <= fromMs)
        {
            return 0;
        }

        long total = 0;
        foreach (var agent in _spans.Keys)
        {
            foreach (var (start, end) in Scheduled(agent, fromMs, toMs))
            {
                total += end - start;
            }
        }

        return (double)total / (toMs - fromMs);
    }

    private static List<(long Start, long End)> Merge(IEnumerable<(long Start, long End)> spans)
    {
        var merged = new List<(long Start, long End)>();
        foreach (var (start, end) in spans.Where(span => span.End > span.Start).OrderBy(span => span.Start))
        {
            if (merged.Count > 0 && start <= merged[^1].End)
            {
                merged[^1] = (merged[^1].Start, Math.Max(merged[^1].End, end));
            }
            else
            {
                merged.Add((start, end));
            }
        }

        return merged;
    }

    private static IEnumerable<(long Start, long End)> Subtract(List<(long Start, long End)> work, List<(long Start, long End)> off)
    {
        foreach (var (start, end) in work)
        {
            var from = start;
            foreach (var (offStart, offEnd) in off)
            {
                if (offEnd <= from || offStart >= end)
                {
                    continue;
                }

                if (offStart > from)
                {
                    yield return (from, offStart);
                }

                from = Math.Max(from, offEnd);
            }

            if (from < end)
            {
                yield return (from, end);
            }
        }
    }
}

/// <summary>
/// An agent's schedule adherence: of the time scheduled on the phones (so far), the share spent
/// logged in and not paused; and conformance: all time logged in and not paused / time scheduled.
/// </summary>
/// <param name="ScheduledSeconds">Time scheduled on the phones.</param>
/// <param name="AdheringSeconds">Of it, time logged in and not paused.</param>
/// <param name="WorkedSeconds">Time logged in and not paused over the whole period, scheduled or not.</param>
public sealed record AgentAdherence(double ScheduledSeconds, double AdheringSeconds, double WorkedSeconds)
{
    public double? Adherence => ScheduledSeconds > 0 ? AdheringSeconds / ScheduledSeconds : null;

    public double? Conformance => ScheduledSeconds > 0 ? WorkedSeconds / ScheduledSeconds : null;
}
