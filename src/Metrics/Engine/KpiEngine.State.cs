using Wallboard.Metrics.Persistence;

namespace Wallboard.Metrics.Engine;

/// <summary>The engine's state in a checkpoint: everything an uninterrupted run would still know.</summary>
public sealed partial class KpiEngine
{
    /// <summary>Bumped when the order or meaning of what is written changes; struct fields added or removed need no bump.</summary>
    /// <remarks>2: the agents' login and pause time in rows of their own after the agents' slots. Version 1 still reads (its slots hold the time).</remarks>
    private const int StateVersion = 2;

    /// <summary>The oldest version this build reads.</summary>
    private const int OldestStateVersion = 1;

    /// <summary>
    /// Writes the whole state: names, open calls and their waiting lists, agent sessions, the
    /// repeat-contact window, housekeeping marks and the counters (changed flags included). Arrays of
    /// structs go out as raw bytes; strings and sets one by one.
    /// </summary>
    public void WriteState(StateWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Section("kpi-engine");
        writer.Write(StateVersion);
        writer.Write(_options.TimeZone);
        writer.Write(_options.Interval.ToString());

        _queueNames.WriteState(writer);
        _agentNames.WriteState(writer);
        _campaignNames.WriteState(writer);

        writer.Section("queues");
        writer.Write<WaitingCalls>(_waiting.AsSpan(0, _queuesPrepared));

        writer.Section("agents");
        var agents = _agentNames.Count;
        writer.Write<AgentState>(_agentStates.AsSpan(0, agents));
        for (var agent = 0; agent < agents; agent++)
        {
            var queues = _agentQueues[agent];
            writer.Write(queues is null ? -1 : queues.Count);
            foreach (var queue in queues ?? [])
            {
                writer.Write(queue);
            }

            writer.Write(_pauseReasons[agent]);
        }

        writer.Section("calls");
        writer.Write<CallState>(_calls.AsSpan(0, _callHighWater));
        writer.Write<KeyValuePair<ulong, int>>(_callsById.ToArray());

        // Popped first last, so pushing them back in this order restores the stack.
        var free = _freeCalls.ToArray();
        Array.Reverse(free);
        writer.Write<int>(free);
        writer.Write<(int Slot, int Generation, long FinishedMs)>([.. _finished]);
        _contactedCustomers.WriteState(writer);

        writer.Section("marks");
        writer.Write(WatermarkMs);
        writer.Write(Inconsistent);
        writer.Write(_nextStaleSweepMs);
        writer.Write(_nextHousekeepingMs);
        writer.Write(_intervalEndMs);
        writer.Write<EngineRejections>(new ReadOnlySpan<EngineRejections>(in _rejected));

        Queues.WriteState(writer);
        Agents.WriteState(writer);
        Campaigns.WriteState(writer);
    }

    /// <summary>
    /// Takes the state <see cref="WriteState"/> wrote into this engine, which must not have seen an
    /// event, and which must count in the same zone and interval.
    /// </summary>
    /// <exception cref="InvalidDataException">The state is damaged, of another version, or of another zone or interval.</exception>
    public void ReadState(StateReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        if (WatermarkMs != long.MinValue || _queueNames.Count + _agentNames.Count + _campaignNames.Count > 0)
        {
            throw new InvalidOperationException("a checkpoint is read into a new engine only");
        }

        reader.Section("kpi-engine");
        var version = reader.ReadInt32();
        if (version is < OldestStateVersion or > StateVersion)
        {
            throw new InvalidDataException($"checkpoint: engine state version {version}; this build reads versions {OldestStateVersion} to {StateVersion}");
        }

        var zone = reader.ReadString();
        var interval = reader.ReadString();
        if (zone != _options.TimeZone || interval != _options.Interval.ToString())
        {
            throw new InvalidDataException($"checkpoint: counted in {zone} by {interval}; this server counts in {_options.TimeZone} by {_options.Interval}");
        }

        _queueNames.ReadState(reader);
        _agentNames.ReadState(reader);
        _campaignNames.ReadState(reader);

        reader.Section("queues");
        var waiting = reader.ReadArray<WaitingCalls>();
        if (waiting.Length != _queueNames.Count)
        {
            throw new InvalidDataException($"checkpoint: {waiting.Length} waiting lists for {_queueNames.Count} queues");
        }

        for (var queue = 0; queue < waiting.Length; queue++)
        {
            // The threshold comes from today's configuration, as it would on a fresh start.
            QueueIndex(_queueNames.Names[queue]);
            _waiting[queue] = waiting[queue];
        }

        reader.Section("agents");
        var states = reader.ReadArray<AgentState>();
        if (states.Length != _agentNames.Count)
        {
            throw new InvalidDataException($"checkpoint: {states.Length} agent states for {_agentNames.Count} agents");
        }

        for (var agent = 0; agent < states.Length; agent++)
        {
            AgentIndex(_agentNames.Names[agent]);
            _agentStates[agent] = states[agent];
            var queues = reader.ReadInt32();
            if (queues >= 0)
            {
                var members = new HashSet<int>(queues);
                for (var i = 0; i < queues; i++)
                {
                    members.Add(reader.ReadInt32());
                }

                _agentQueues[agent] = members;
            }

            _pauseReasons[agent] = reader.ReadString();
            NoteOpen(agent, _agentStates[agent]);
        }

        reader.Section("calls");
        var calls = reader.ReadArray<CallState>();
        _calls = new CallState[Math.Max(1024, (int)Math.Min(Array.MaxLength, System.Numerics.BitOperations.RoundUpToPowerOf2((uint)calls.Length)))];
        calls.CopyTo(_calls, 0);
        _callHighWater = calls.Length;
        foreach (var (key, slot) in reader.ReadArray<KeyValuePair<ulong, int>>())
        {
            _callsById.Add(key, slot);
        }

        foreach (var slot in reader.ReadArray<int>())
        {
            _freeCalls.Push(slot);
        }

        foreach (var finished in reader.ReadArray<(int Slot, int Generation, long FinishedMs)>())
        {
            _finished.Enqueue(finished);
        }

        _contactedCustomers.ReadState(reader);

        reader.Section("marks");
        WatermarkMs = reader.ReadInt64();
        Inconsistent = reader.ReadInt64();
        _nextStaleSweepMs = reader.ReadInt64();
        _nextHousekeepingMs = reader.ReadInt64();
        _intervalEndMs = reader.ReadInt64();
        var rejected = reader.ReadArray<EngineRejections>();
        _rejected = rejected.Length == 1 ? rejected[0] : throw new InvalidDataException("checkpoint: rejections missing");

        Queues.ReadState(reader);
        Agents.ReadState(reader, withTime: version >= 2);
        Campaigns.ReadState(reader);
    }
}
