using Wallboard.Metrics.Persistence;

namespace Wallboard.Metrics.Counters;

/// <summary>
/// The agents' counters per (agent, interval): what happened (calls, wrap-up, outbound) in a
/// <see cref="CounterStore{T}"/> slot made when something happens, login and pause time in rows of
/// <see cref="AgentTime"/> (<see cref="AgentTimeStore"/>). Every read adds the two, so readers see
/// one <see cref="AgentCounters"/> per (agent, interval) as before, held when either part is.
/// </summary>
/// <remarks>
/// Time written through <see cref="Update"/> (an old checkpoint's slots, seeded history) stays in
/// the slot and adds up the same way.
/// </remarks>
public sealed class AgentCounterStore
{
    private readonly CounterStore<AgentCounters> _events = new();
    private readonly AgentTimeStore _time = new();

    // Count is worked out from the entries (rarely asked: imports and tests), and kept until an entry
    // is added to either part (their counts grow) or intervals are forgotten.
    private (int Events, int Time, int Removals) _countedAt = (-1, -1, -1);
    private int _removals;
    private int _count;

    /// <summary>The login and pause time part, for the engine's flush of open sessions.</summary>
    internal AgentTimeStore Time => _time;

    /// <summary>(Agent, interval) pairs holding counters (forgotten ones not counted).</summary>
    public int Count
    {
        get
        {
            var now = (_events.Count, _time.Count, _removals);
            if (now != _countedAt)
            {
                _count = _events.Count + TimeOnly().Count();
                _countedAt = now;
            }

            return _count;
        }
    }

    /// <summary>Updates that came for a forgotten interval and were dropped (<see cref="CounterStore{T}.TooLate"/>).</summary>
    public long TooLate => _events.TooLate + _time.TooLate;

    /// <summary>The slot of what happened to <paramref name="entity"/> in the interval, created if new, marked changed.</summary>
    public ref AgentCounters Update(int entity, long intervalStart) => ref _events.Update(entity, intervalStart);

    /// <summary>The login and pause time of <paramref name="entity"/> in the interval, created if new, marked changed.</summary>
    public ref AgentTime UpdateTime(int entity, long intervalStart) => ref _time.Update(entity, intervalStart);

    /// <summary>Sets the counters of an (agent, interval) without marking them changed (<see cref="CounterStore{T}.Seed"/>).</summary>
    public void Seed(int entity, long intervalStart, in AgentCounters value) => _events.Seed(entity, intervalStart, value);

    /// <summary>Reads the counters of an (agent, interval) without marking them changed; false when neither part holds it.</summary>
    public bool TryGet(int entity, long intervalStart, out AgentCounters value)
    {
        var held = _events.TryGet(entity, intervalStart, out value);
        if (_time.TryGet(entity, intervalStart, out var time))
        {
            Add(ref value, time);
            return true;
        }

        return held;
    }

    /// <summary>Adds <paramref name="entity"/>'s counters over the intervals [<paramref name="fromStart"/>, <paramref name="toMs"/>) of <paramref name="calendar"/>.</summary>
    internal void AddTo(ref AgentCounters sum, int entity, Calendar.IntervalCalendar calendar, long fromStart, long toMs)
    {
        for (var start = fromStart; start < toMs; start = calendar.EndOf(start))
        {
            if (_events.TryGet(entity, start, out var counters))
            {
                sum.Add(counters);
            }

            if (start == Calendar.IntervalCalendar.TotalStart)
            {
                break;
            }
        }

        _time.AddTo(ref sum, entity, fromStart, toMs);
    }

    /// <summary>Every (agent, interval) held: those with a slot first, then those with time only.</summary>
    public IEnumerable<(int Entity, long IntervalStart, AgentCounters Value)> All()
    {
        foreach (var (entity, start, value) in _events.All())
        {
            var sum = value;
            if (_time.TryGet(entity, start, out var time))
            {
                Add(ref sum, time);
            }

            yield return (entity, start, sum);
        }

        foreach (var (entity, start, time) in TimeOnly())
        {
            var sum = default(AgentCounters);
            Add(ref sum, time);
            yield return (entity, start, sum);
        }
    }

    /// <summary>
    /// The (agent, interval) pairs changed since the last call, in either part, then clears their
    /// flags: those whose slot changed in the slots' order, then those whose time alone changed in
    /// interval and agent order (an order a checkpoint keeps).
    /// </summary>
    public List<(int Entity, long IntervalStart, AgentCounters Value)> DrainChanged()
    {
        var result = _events.DrainChanged();
        var slotsChanged = result.Count;
        for (var i = 0; i < slotsChanged; i++)
        {
            var (entity, start, value) = result[i];
            if (_time.TakeChanged(entity, start, out var time) || _time.TryGet(entity, start, out time))
            {
                Add(ref value, time);
                result[i] = (entity, start, value);
            }
        }

        var timeChanged = new List<(int Entity, long IntervalStart, AgentTime Time)>();
        _time.DrainChanged(timeChanged);
        foreach (var (entity, start, time) in timeChanged)
        {
            _events.TryGet(entity, start, out var value);
            Add(ref value, time);
            result.Add((entity, start, value));
        }

        return result;
    }

    /// <summary>Forgets the intervals that start before <paramref name="intervalStart"/> in both parts.</summary>
    public void RemoveBefore(long intervalStart)
    {
        _events.RemoveBefore(intervalStart);
        _time.RemoveBefore(intervalStart);
        _removals++;
    }

    /// <summary>Writes both parts for a checkpoint: the slots as before, then the time rows.</summary>
    public void WriteState(StateWriter writer)
    {
        _events.WriteState(writer);
        _time.WriteState(writer);
    }

    /// <summary>Takes what <see cref="WriteState"/> wrote; <paramref name="withTime"/> false for a checkpoint written before time had rows of its own (its slots hold the time).</summary>
    public void ReadState(StateReader reader, bool withTime)
    {
        _events.ReadState(reader);
        if (withTime)
        {
            _time.ReadState(reader);
        }
    }

    private static void Add(ref AgentCounters counters, in AgentTime time)
    {
        counters.LoginMs += time.LoginMs;
        counters.PauseMs += time.PauseMs;
    }

    /// <summary>The time entries with no slot beside them.</summary>
    private IEnumerable<(int Entity, long IntervalStart, AgentTime Time)> TimeOnly() =>
        _time.All().Where(entry => !_events.TryGet(entry.Entity, entry.IntervalStart, out _));
}
