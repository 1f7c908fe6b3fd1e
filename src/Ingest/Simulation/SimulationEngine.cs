using System.Diagnostics;
using System.Globalization;
using Wallboard.Ingest.Model;

namespace Wallboard.Ingest.Simulation;

/// <summary>
/// The discrete-event simulation behind <see cref="ContactCentreSimulator"/>. One instance is one
/// run: it owns the random stream, so stepping it is the only way to get the event sequence, and
/// two instances built from the same options produce the same sequence.
/// </summary>
/// <remarks>
/// Internal timers are never cancelled in the agenda; each carries the agent's state epoch (or the
/// call's generation) it was scheduled under and is ignored if that has moved on. That keeps the
/// agenda a plain <see cref="PriorityQueue{TElement, TPriority}"/>.
/// </remarks>
internal sealed class SimulationEngine
{
    private const int SequenceBits = 20;
    private const long SequenceMask = (1L << SequenceBits) - 1;
    private const long Second = 1000;
    private const long Minute = 60 * Second;
    private const long Hour = 60 * Minute;
    private const long RestAfterRingNoAnswerMs = 5 * Second;

    private static readonly string[] PauseReasons = ["break", "lunch", "training"];

    // Chinese mobile prefixes, so that generated customers look like the real thing on screen.
    private static readonly int[] MobilePrefixes =
        [130, 131, 132, 133, 135, 136, 137, 138, 139, 150, 151, 152, 155, 156, 157, 158, 159, 176, 177, 186, 187, 188, 189, 198];

    private readonly SimulationOptions _options;
    private readonly IContactEventSink _sink;
    private readonly Random _random;
    private readonly LocalClock _clock;
    private readonly PriorityQueue<SimEvent, long> _agenda = new();
    private readonly long _startMs;
    private readonly long _endMs;
    private readonly QueueState[] _queues;
    private readonly Agent[] _agents;
    private readonly List<InboundCall> _calls = [];
    private readonly Stack<int> _freeCalls = new();
    private readonly PriorityQueue<CallbackItem, long> _callbacks = new();
    private readonly PriorityQueue<SalesRetry, long> _salesRetries = new();
    private readonly string?[] _inboundCallers;
    private readonly string?[] _salesCustomers;
    private readonly ulong _numberSalt;
    private readonly long _ringTimeoutMs;
    private long _now;
    private long _sequence;
    private long _callSequence;
    private int _nextSalesCustomer;
    private readonly double _dayFactorBound;

    public SimulationEngine(SimulationOptions options, TimeZoneInfo zone, IContactEventSink sink)
    {
        _options = options;
        _sink = sink;
        _random = new Random(options.Seed);
        _clock = new LocalClock(zone, options.WeekendVolumeFactor, options.FlatArrivals);
        _dayFactorBound = Math.Exp(3 * options.DailyVolumeSpread);
        _startMs = options.Start.ToUnixTimeMilliseconds();
        _endMs = options.Duration == Timeout.InfiniteTimeSpan
            ? long.MaxValue
            : _startMs + (long)options.Duration.TotalMilliseconds;
        _now = _startMs;
        _ringTimeoutMs = (long)options.RingTimeout.TotalMilliseconds;
        _numberSalt = SplitMix64((ulong)(uint)options.Seed);
        _inboundCallers = new string?[options.InboundCallerPoolSize];
        _salesCustomers = new string?[options.Outbound.CustomerPoolSize];

        var queueIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        _queues = new QueueState[options.Queues.Count];
        for (var i = 0; i < _queues.Length; i++)
        {
            _queues[i] = new QueueState(options.Queues[i], i);
            queueIndex[options.Queues[i].Id] = i;
        }

        var agents = new List<Agent>();
        var members = new List<int>[_queues.Length];
        for (var i = 0; i < members.Length; i++)
        {
            members[i] = [];
        }

        foreach (var team in options.Teams)
        {
            var queues = team.Outbound ? [] : team.Queues.Select(q => queueIndex[q]).ToArray();
            for (var n = 0; n < team.Agents; n++)
            {
                var index = agents.Count;
                var id = SimulationOptions.AgentId(index);
                agents.Add(new Agent(index, id, team, queues, shiftSlot: n));
                foreach (var q in queues)
                {
                    members[q].Add(index);
                }
            }
        }

        _agents = [.. agents];
        for (var i = 0; i < _queues.Length; i++)
        {
            _queues[i].Members = [.. members[i]];
        }

        for (var i = 0; i < _queues.Length; i++)
        {
            if (_queues[i].Definition.CallsPerDay > 0)
            {
                Schedule(NextArrival(_queues[i], _startMs), SimKind.Arrival, i);
            }
        }

        // Yesterday's plan too, in case a shift that began then is still running at the start.
        var firstDay = _clock.LocalDate(_startMs);
        PlanDay(firstDay.AddDays(-1));
        PlanDay(firstDay);
        foreach (var agent in _agents.Where(agent => agent.Team.AlwaysOn))
        {
            Schedule(_startMs, SimKind.Login, agent.Index);
        }

        var nextDay = firstDay.AddDays(1);
        Schedule(_clock.ToUtcMs(nextDay, TimeSpan.Zero), SimKind.PlanDay, 0, arg: nextDay.DayNumber);
    }

    private enum SimKind : byte
    {
        PlanDay,
        Arrival,
        CallerLeaves,
        Login,
        Logout,
        PauseRequest,
        Unpause,
        RingAnswered,
        RingNotAnswered,
        RestEnd,
        Hold,
        Resume,
        CallEnd,
        WrapEnd,
        DialStart,
        AttemptEnd,
    }

    private enum AgentState : byte
    {
        LoggedOut,
        Idle,
        Ringing,
        OnCall,
        WrapUp,
        Paused,
        Resting,
        Dialling,
    }

    private enum CallState : byte
    {
        Free,
        Waiting,
        Ringing,
        Connected,
    }

    private enum LeaveKind : byte
    {
        Abandon,
        Timeout,
        Key,
    }

    private enum CallbackOrigin : byte
    {
        SalesRequest,
        KeyPress,
        Abandon,
        Complaint,
    }

    /// <summary>Processes the next internal event, which emits zero or more contact events; false when the run is over.</summary>
    public bool Step()
    {
        if (!_agenda.TryPeek(out var ev, out var key))
        {
            return false;
        }

        var time = _startMs + (key >> SequenceBits);
        if (time >= _endMs)
        {
            return false;
        }

        _agenda.Dequeue();
        _now = time;
        Handle(ev);
        return true;
    }

    private void Handle(SimEvent ev)
    {
        switch (ev.Kind)
        {
            case SimKind.PlanDay:
                var day = DateOnly.FromDayNumber((int)ev.Arg);
                PlanDay(day);
                var next = day.AddDays(1);
                Schedule(_clock.ToUtcMs(next, TimeSpan.Zero), SimKind.PlanDay, 0, arg: next.DayNumber);
                return;
            case SimKind.Arrival:
                OnArrival(_queues[ev.Target], ev.Target);
                return;
            case SimKind.CallerLeaves:
                OnCallerLeaves(_calls[ev.Target], ev.Token, (LeaveKind)ev.Arg);
                return;
            case SimKind.Login:
                OnLogin(_agents[ev.Target]);
                return;
            case SimKind.Logout:
                OnLogout(_agents[ev.Target]);
                return;
            case SimKind.PauseRequest:
                OnPauseRequest(_agents[ev.Target], PauseReasons[ev.Token], ev.Arg);
                return;
            default:
                break;
        }

        // Everything else is an agent timer, valid only in the state it was scheduled in.
        var agent = _agents[ev.Target];
        if (agent.Epoch != ev.Token)
        {
            return;
        }

        switch (ev.Kind)
        {
            case SimKind.Unpause:
                Emit(ContactEventKind.AgentUnpaused, agent: agent.Id, reason: agent.PauseReason);
                AgentFree(agent, resetIdle: true);
                break;
            case SimKind.RingAnswered:
                OnRingAnswered(agent);
                break;
            case SimKind.RingNotAnswered:
                OnRingNotAnswered(agent);
                break;
            case SimKind.RestEnd:
                AgentFree(agent, resetIdle: false);
                break;
            case SimKind.Hold:
                var held = _calls[agent.Call];
                Emit(ContactEventKind.CallHeld, held.Id, _queues[held.Queue].Id, agent.Id);
                break;
            case SimKind.Resume:
                var resumed = _calls[agent.Call];
                Emit(ContactEventKind.CallResumed, resumed.Id, _queues[resumed.Queue].Id, agent.Id, holdMs: ev.Arg);
                break;
            case SimKind.CallEnd:
                OnCallEnd(agent);
                break;
            case SimKind.WrapEnd:
                OnWrapEnd(agent);
                break;
            case SimKind.DialStart:
                OnDialStart(agent);
                break;
            case SimKind.AttemptEnd:
                OnAttemptEnd(agent);
                break;
            default:
                throw new UnreachableException();
        }
    }

    // ---- shifts and pauses ----

    private void PlanDay(DateOnly date)
    {
        foreach (var agent in _agents)
        {
            var team = agent.Team;
            if (team.AlwaysOn)
            {
                continue;
            }

            var shiftStart = team.ShiftStarts[agent.ShiftSlot % team.ShiftStarts.Count];
            var login = _clock.ToUtcMs(date, shiftStart) + Uniform(-10 * Minute, 10 * Minute);
            var logout = login + (long)team.ShiftLength.TotalMilliseconds + Uniform(0, 10 * Minute);

            // Draw the pauses before deciding whether the shift is needed, so that the random
            // stream does not depend on where in the day the run starts.
            var firstBreak = login + (2 * Hour) + Uniform(-20 * Minute, 20 * Minute);
            var lunch = login + (4 * Hour) + Uniform(-30 * Minute, 30 * Minute);
            var lunchMs = Uniform(45 * Minute, 60 * Minute);
            var lastBreak = login + (6 * Hour) + (30 * Minute) + Uniform(-20 * Minute, 20 * Minute);
            var training = _random.NextDouble() < 0.12;
            var lastMs = training ? Uniform(30 * Minute, 60 * Minute) : 15 * Minute;
            if (logout <= _now)
            {
                continue;
            }

            Schedule(Math.Max(login, _now), SimKind.Login, agent.Index);
            Schedule(logout, SimKind.Logout, agent.Index);
            PlanPause(agent, firstBreak, 0, 15 * Minute);
            PlanPause(agent, lunch, 1, lunchMs);
            PlanPause(agent, lastBreak, training ? 2 : 0, lastMs);
        }
    }

    private void PlanPause(Agent agent, long at, int reason, long durationMs)
    {
        if (at > _now)
        {
            Schedule(at, SimKind.PauseRequest, agent.Index, reason, durationMs);
        }
    }

    private void OnLogin(Agent agent)
    {
        if (agent.State != AgentState.LoggedOut)
        {
            return;
        }

        Emit(ContactEventKind.AgentLoggedIn, agent: agent.Id);
        foreach (var q in agent.Queues)
        {
            _queues[q].LoggedIn++;
            Emit(ContactEventKind.MemberAdded, queue: _queues[q].Id, agent: agent.Id);
        }

        AgentFree(agent, resetIdle: true);
    }

    private void OnLogout(Agent agent)
    {
        switch (agent.State)
        {
            case AgentState.LoggedOut:
                return;
            case AgentState.Idle:
            case AgentState.Paused:
                DoLogout(agent);
                return;
            default:
                // Nobody hangs up on a customer at the end of a shift.
                agent.PendingLogout = true;
                return;
        }
    }

    private void DoLogout(Agent agent)
    {
        if (agent.State == AgentState.Paused)
        {
            // Close the pause so that pause time is measurable from the events alone.
            Emit(ContactEventKind.AgentUnpaused, agent: agent.Id, reason: agent.PauseReason);
        }

        foreach (var q in agent.Queues)
        {
            Emit(ContactEventKind.MemberRemoved, queue: _queues[q].Id, agent: agent.Id);
        }

        Emit(ContactEventKind.AgentLoggedOut, agent: agent.Id);
        SetState(agent, AgentState.LoggedOut);
        agent.PendingLogout = false;
        agent.PendingPauseReason = null;
        foreach (var q in agent.Queues)
        {
            var queue = _queues[q];
            if (--queue.LoggedIn == 0)
            {
                ExitEmpty(queue);
            }
        }
    }

    private void OnPauseRequest(Agent agent, string reason, long durationMs)
    {
        switch (agent.State)
        {
            case AgentState.LoggedOut:
            case AgentState.Paused:
                return;
            case AgentState.Idle:
                DoPause(agent, reason, durationMs);
                return;
            default:
                // Busy: the pause starts once the current contact (and its wrap-up) is done.
                if (agent.PendingPauseReason is null && !agent.PendingLogout)
                {
                    agent.PendingPauseReason = reason;
                    agent.PendingPauseMs = durationMs;
                }

                return;
        }
    }

    private void DoPause(Agent agent, string reason, long durationMs)
    {
        SetState(agent, AgentState.Paused);
        agent.PauseReason = reason;
        Emit(ContactEventKind.AgentPaused, agent: agent.Id, reason: reason);
        Schedule(_now + durationMs, SimKind.Unpause, agent.Index, agent.Epoch);
    }

    /// <summary>The agent is done with whatever it was doing: log out or pause if asked to, else take work.</summary>
    private void AgentFree(Agent agent, bool resetIdle)
    {
        if (agent.PendingLogout)
        {
            SetState(agent, AgentState.Idle);
            DoLogout(agent);
            return;
        }

        if (agent.PendingPauseReason is { } reason)
        {
            agent.PendingPauseReason = null;
            DoPause(agent, reason, agent.PendingPauseMs);
            return;
        }

        SetState(agent, AgentState.Idle);
        if (resetIdle)
        {
            agent.IdleSince = _now;
        }

        if (agent.Team.Outbound)
        {
            // Preview time before the dialler places the next call.
            Schedule(_now + Uniform(2 * Second, 8 * Second), SimKind.DialStart, agent.Index, agent.Epoch);
            return;
        }

        InboundCall? best = null;
        var bestPriority = int.MinValue;
        foreach (var q in agent.Queues)
        {
            var queue = _queues[q];
            foreach (var slot in queue.Waiting)
            {
                var call = _calls[slot];
                if (call.State != CallState.Waiting)
                {
                    continue;
                }

                // The list is in arrival order, so the first waiting call is this queue's oldest.
                var priority = queue.Definition.Priority;
                if (best is null || priority > bestPriority || (priority == bestPriority && call.QueuedAt < best.QueuedAt))
                {
                    best = call;
                    bestPriority = priority;
                }

                break;
            }
        }

        if (best is not null)
        {
            Ring(agent, best);
        }
    }

    // ---- inbound calls ----

    private long NextArrival(QueueState queue, long from)
    {
        var maxShare = _clock.MaxShare * _dayFactorBound;
        var meanGapMs = Hour / (queue.Definition.CallsPerDay * maxShare);
        var t = (double)from;
        while (true)
        {
            // Thinning: candidates at the peak rate, kept in proportion to the rate at their time.
            t += Exponential(meanGapMs);
            var at = (long)t;
            var share = _clock.HourlyShare(at);
            if (_dayFactorBound > 1)
            {
                share *= DayFactor(queue, at);
            }

            if (_random.NextDouble() * maxShare < share)
            {
                return at;
            }
        }
    }

    /// <summary>
    /// The day's volume factor of a queue: log-normal with mean 1, from a stream seeded by the run's
    /// seed, the queue and the local day, so it neither draws from nor depends on the main stream.
    /// </summary>
    private double DayFactor(QueueState queue, long utcMs)
    {
        var day = _clock.LocalDayNumber(utcMs);
        if (day != queue.FactorDay)
        {
            var random = new Random((int)SplitMix64(_numberSalt ^ (ulong)((day * 1024) + queue.Index)));
            var normal = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
            var spread = _options.DailyVolumeSpread;
            queue.DayFactor = Math.Clamp(Math.Exp((spread * normal) - (spread * spread / 2)), 1 / _dayFactorBound, _dayFactorBound);
            queue.FactorDay = day;
        }

        return queue.DayFactor;
    }

    private void OnArrival(QueueState queue, int queueIndex)
    {
        Schedule(NextArrival(queue, _now), SimKind.Arrival, queueIndex);

        var call = AllocateCall();
        call.State = CallState.Waiting;
        call.Queue = queueIndex;
        call.QueuedAt = _now;
        call.Id = NewCallId();
        call.Customer = InboundCaller(_random.Next(_inboundCallers.Length));
        Emit(ContactEventKind.CallQueued, call.Id, queue.Id, customer: call.Customer);
        if (queue.LoggedIn == 0)
        {
            Emit(ContactEventKind.CallExitedEmpty, call.Id, queue.Id, waitMs: 0, customer: call.Customer);
            FreeCall(call);
            return;
        }

        long patience;
        if (_random.NextDouble() < _options.ShortAbandonRate)
        {
            patience = Uniform(500, 5 * Second);
        }
        else
        {
            patience = (long)LogNormal(queue.Definition.MedianPatience.TotalMilliseconds, 0.9);
        }

        LeaveKind kind;
        if (patience >= queue.MaxWaitMs)
        {
            patience = queue.MaxWaitMs;
            kind = LeaveKind.Timeout;
        }
        else
        {
            // Pressing 1 needs the announcement to have been heard.
            kind = patience > 15 * Second && _random.NextDouble() < _options.ExitWithKeyRate ? LeaveKind.Key : LeaveKind.Abandon;
        }

        Schedule(_now + patience, SimKind.CallerLeaves, call.Slot, call.Generation, (long)kind);
        queue.Waiting.Add(call.Slot);
        var agent = LongestIdleMember(queue);
        if (agent is not null)
        {
            Ring(agent, call);
        }
    }

    private Agent? LongestIdleMember(QueueState queue)
    {
        Agent? best = null;
        foreach (var index in queue.Members)
        {
            var agent = _agents[index];
            if (agent.State == AgentState.Idle && (best is null || agent.IdleSince < best.IdleSince))
            {
                best = agent;
            }
        }

        return best;
    }

    private void Ring(Agent agent, InboundCall call)
    {
        call.State = CallState.Ringing;
        call.Agent = agent.Index;
        call.RingStart = _now;
        SetState(agent, AgentState.Ringing);
        agent.Call = call.Slot;
        Emit(ContactEventKind.CallRinging, call.Id, _queues[call.Queue].Id, agent.Id, customer: call.Customer);
        if (_random.NextDouble() < _options.RingNoAnswerRate)
        {
            Schedule(_now + _ringTimeoutMs, SimKind.RingNotAnswered, agent.Index, agent.Epoch);
        }
        else
        {
            // At least a second (nobody answers faster), and always before the ring would time out.
            var ringMs = Math.Max(0, Math.Min(Math.Max((long)LogNormal(4 * Second, 0.5), Second), _ringTimeoutMs - 1));
            Schedule(_now + ringMs, SimKind.RingAnswered, agent.Index, agent.Epoch);
        }
    }

    private void OnRingNotAnswered(Agent agent)
    {
        var call = _calls[agent.Call];
        var queue = _queues[call.Queue];
        Emit(ContactEventKind.RingNoAnswer, call.Id, queue.Id, agent.Id, ringMs: _now - call.RingStart);
        call.State = CallState.Waiting;
        call.Agent = -1;
        agent.Call = -1;

        // Like Asterisk's retry: the agent is skipped for a moment, so the call tries someone else.
        SetState(agent, AgentState.Resting);
        Schedule(_now + RestAfterRingNoAnswerMs, SimKind.RestEnd, agent.Index, agent.Epoch);
        var other = LongestIdleMember(queue);
        if (other is not null)
        {
            Ring(other, call);
        }
    }

    private void OnRingAnswered(Agent agent)
    {
        var call = _calls[agent.Call];
        var queue = _queues[call.Queue];
        call.State = CallState.Connected;
        queue.Waiting.Remove(call.Slot);
        Emit(ContactEventKind.CallAnswered, call.Id, queue.Id, agent.Id,
            waitMs: _now - call.QueuedAt, ringMs: _now - call.RingStart, customer: call.Customer);
        SetState(agent, AgentState.OnCall);
        call.AnsweredAt = _now;

        var talk = Math.Max(10 * Second, (long)LogNormalWithMean(queue.Definition.MeanTalk.TotalMilliseconds, 0.7));
        var hold = 0L;
        if (_random.NextDouble() < _options.HoldRate)
        {
            var holdStart = _now + (long)(talk * (0.2 + (0.5 * _random.NextDouble())));
            hold = Math.Clamp((long)LogNormal(30 * Second, 0.6), 3 * Second, 10 * Minute);
            Schedule(holdStart, SimKind.Hold, agent.Index, agent.Epoch);
            Schedule(holdStart + hold, SimKind.Resume, agent.Index, agent.Epoch, hold);
        }

        // Talk time as the switch reports it: connect to hang-up, holds included.
        call.TalkMs = talk + hold;
        call.HoldMs = hold;
        call.Transferred = _random.NextDouble() < _options.TransferRate;
        Schedule(_now + talk + hold, SimKind.CallEnd, agent.Index, agent.Epoch);
    }

    private void OnCallEnd(Agent agent)
    {
        var call = _calls[agent.Call];
        var queue = _queues[call.Queue];
        Emit(call.Transferred ? ContactEventKind.CallTransferred : ContactEventKind.CallCompleted, call.Id, queue.Id, agent.Id,
            waitMs: call.AnsweredAt - call.QueuedAt,
            talkMs: call.TalkMs, holdMs: call.HoldMs > 0 ? call.HoldMs : null, customer: call.Customer);
        SetState(agent, AgentState.WrapUp);
        agent.WrapStart = _now;
        var wrap = Math.Clamp((long)LogNormal(_options.MedianWrapUp.TotalMilliseconds, 0.5), 3 * Second, 5 * Minute);
        if (call.Transferred)
        {
            wrap /= 2;
        }

        Schedule(_now + wrap, SimKind.WrapEnd, agent.Index, agent.Epoch);
    }

    private void OnCallerLeaves(InboundCall call, int generation, LeaveKind kind)
    {
        if (call.Generation != generation || call.State is not (CallState.Waiting or CallState.Ringing))
        {
            return;
        }

        var queue = _queues[call.Queue];
        queue.Waiting.Remove(call.Slot);
        Agent? ringing = null;
        if (call.State == CallState.Ringing)
        {
            ringing = _agents[call.Agent];
            Emit(ContactEventKind.RingCanceled, call.Id, queue.Id, ringing.Id, ringMs: _now - call.RingStart);
            ringing.Call = -1;
        }

        var waitMs = _now - call.QueuedAt;
        switch (kind)
        {
            case LeaveKind.Timeout:
                Emit(ContactEventKind.CallTimedOut, call.Id, queue.Id, waitMs: waitMs, customer: call.Customer);
                break;
            case LeaveKind.Key:
                Emit(ContactEventKind.CallExitedWithKey, call.Id, queue.Id, waitMs: waitMs, reason: "1", customer: call.Customer);
                AddCallback(call.Customer, CallbackOrigin.KeyPress, _now + Uniform(5 * Minute, 30 * Minute));
                break;
            default:
                Emit(ContactEventKind.CallAbandoned, call.Id, queue.Id, waitMs: waitMs, customer: call.Customer);
                if (waitMs > 10 * Second && _random.NextDouble() < _options.Callback.AbandonCallbackRate)
                {
                    AddCallback(call.Customer, CallbackOrigin.Abandon, _now + Uniform(10 * Minute, 60 * Minute));
                }

                break;
        }

        FreeCall(call);
        if (ringing is not null)
        {
            AgentFree(ringing, resetIdle: false);
        }
    }

    private void ExitEmpty(QueueState queue)
    {
        // No member is logged in, so none can be ringing: every listed call is waiting.
        foreach (var slot in queue.Waiting)
        {
            var call = _calls[slot];
            Emit(ContactEventKind.CallExitedEmpty, call.Id, queue.Id, waitMs: _now - call.QueuedAt, customer: call.Customer);
            FreeCall(call);
        }

        queue.Waiting.Clear();
    }

    private void OnWrapEnd(Agent agent)
    {
        var wrapMs = _now - agent.WrapStart;
        if (agent.Call >= 0)
        {
            var call = _calls[agent.Call];
            var queue = _queues[call.Queue];
            if (_options.InboundDispositions)
            {
                var u = _random.NextDouble();
                var complaint = u < queue.Definition.ComplaintRate;
                var converted = !complaint && u < queue.Definition.ComplaintRate + queue.Definition.ConversionRate;
                Emit(ContactEventKind.Disposition, call.Id, queue.Id, agent.Id,
                    reason: complaint ? "complaint" : converted ? "sale" : "resolved",
                    customer: call.Customer, converted: converted, complaint: complaint);
                if (complaint)
                {
                    AddCallback(call.Customer, CallbackOrigin.Complaint, _now + Uniform(1 * Hour, 24 * Hour));
                }
            }

            Emit(ContactEventKind.WrapUpEnded, call.Id, queue.Id, agent.Id, wrapUpMs: wrapMs);
            FreeCall(call);
            agent.Call = -1;
        }
        else
        {
            EmitOutboundDisposition(agent);
            Emit(ContactEventKind.WrapUpEnded, agent.OutCallId, agent: agent.Id, wrapUpMs: wrapMs, campaign: CampaignId(agent));
        }

        AgentFree(agent, resetIdle: true);
    }

    // ---- outbound campaigns ----

    private string CampaignId(Agent agent) => agent.OutCallback ? _options.Callback.Id : _options.Outbound.Id;

    private void OnDialStart(Agent agent)
    {
        var outbound = _options.Outbound;
        var callback = _options.Callback;
        double connectRate;
        double meanTalkMs;
        if (callback.Enabled && _callbacks.TryPeek(out var item, out var due) && due <= _now)
        {
            _callbacks.Dequeue();
            agent.OutCallback = true;
            agent.OutCustomer = item.Customer;
            agent.OutOrigin = item.Origin;
            agent.OutAttempts = item.Attempts + 1;
            connectRate = callback.ConnectRate;
            meanTalkMs = callback.MeanTalk.TotalMilliseconds;
        }
        else
        {
            int customer;
            if (_salesRetries.TryPeek(out var retry, out due) && due <= _now)
            {
                _salesRetries.Dequeue();
                customer = retry.Customer;
                agent.OutAttempts = retry.Attempts + 1;
            }
            else
            {
                customer = _nextSalesCustomer;
                _nextSalesCustomer = (_nextSalesCustomer + 1) % _salesCustomers.Length;
                agent.OutAttempts = 1;
            }

            agent.OutCallback = false;
            agent.OutSalesCustomer = customer;
            agent.OutCustomer = SalesCustomer(customer);
            connectRate = outbound.ConnectRate;
            meanTalkMs = outbound.MeanTalk.TotalMilliseconds;
        }

        var u = _random.NextDouble();
        var result = u < connectRate ? OutboundResult.Connected
            : u < connectRate + outbound.BusyRate ? OutboundResult.Busy
            : u < connectRate + outbound.BusyRate + outbound.FailedRate ? OutboundResult.Failed
            : OutboundResult.NoAnswer;
        var setup = Uniform(1 * Second, 3 * Second);
        long ring = 0;
        long talk = 0;
        switch (result)
        {
            case OutboundResult.Connected:
                ring = Math.Clamp((long)LogNormal(8 * Second, 0.5), 1 * Second, 40 * Second);
                talk = Math.Max(5 * Second, (long)LogNormalWithMean(meanTalkMs, 0.8));
                break;
            case OutboundResult.NoAnswer:
                ring = Uniform(25 * Second, 35 * Second);
                break;
            case OutboundResult.Busy:
                // The busy tone, before the dialler gives up; nothing rang.
                setup += Uniform(1 * Second, 3 * Second);
                break;
            default:
                break;
        }

        agent.OutResult = result;
        agent.OutRingMs = ring;
        agent.OutTalkMs = talk;
        agent.OutCallId = NewCallId();
        SetState(agent, AgentState.Dialling);
        Schedule(_now + setup + ring + talk, SimKind.AttemptEnd, agent.Index, agent.Epoch);
    }

    private void OnAttemptEnd(Agent agent)
    {
        Emit(ContactEventKind.OutboundAttempt, agent.OutCallId, agent: agent.Id,
            ringMs: agent.OutRingMs, talkMs: agent.OutTalkMs, campaign: CampaignId(agent), customer: agent.OutCustomer,
            result: agent.OutResult);
        if (agent.OutResult == OutboundResult.Connected)
        {
            SetState(agent, AgentState.WrapUp);
            agent.WrapStart = _now;
            var wrap = Math.Clamp((long)LogNormal(_options.Outbound.MedianWrapUp.TotalMilliseconds, 0.5), 5 * Second, 5 * Minute);
            Schedule(_now + wrap, SimKind.WrapEnd, agent.Index, agent.Epoch);
            return;
        }

        if (agent.OutCallback)
        {
            if (agent.OutAttempts < _options.Callback.MaxAttempts)
            {
                _callbacks.Enqueue(
                    new CallbackItem(agent.OutCustomer, agent.OutOrigin, agent.OutAttempts),
                    _now + Uniform(30 * Minute, 2 * Hour));
            }
        }
        else if (agent.OutAttempts < _options.Outbound.MaxAttempts)
        {
            _salesRetries.Enqueue(new SalesRetry(agent.OutSalesCustomer, agent.OutAttempts), _now + Uniform(1 * Hour, 4 * Hour));
        }

        AgentFree(agent, resetIdle: true);
    }

    private void EmitOutboundDisposition(Agent agent)
    {
        var u = _random.NextDouble();
        string reason;
        var converted = false;
        var complaint = false;
        if (agent.OutCallback)
        {
            var campaign = _options.Callback;
            if (agent.OutOrigin == CallbackOrigin.Complaint)
            {
                complaint = u < 0.1;
                reason = complaint ? "complaint" : "resolved";
            }
            else if (u < campaign.ConversionRate)
            {
                converted = true;
                reason = "sale";
            }
            else if (u < campaign.ConversionRate + 0.02)
            {
                complaint = true;
                reason = "complaint";
            }
            else
            {
                reason = agent.OutOrigin == CallbackOrigin.SalesRequest ? "not_interested" : "resolved";
            }
        }
        else
        {
            var campaign = _options.Outbound;
            var complaintBound = campaign.ComplaintRate;
            var saleBound = complaintBound + campaign.ConversionRate;
            var callbackBound = saleBound + campaign.CallbackRequestRate;
            if (u < complaintBound)
            {
                complaint = true;
                reason = "complaint";
            }
            else if (u < saleBound)
            {
                converted = true;
                reason = "sale";
            }
            else if (u < callbackBound)
            {
                reason = "callback_requested";
                AddCallback(agent.OutCustomer, CallbackOrigin.SalesRequest, _now + Uniform(2 * Hour, 26 * Hour));
            }
            else
            {
                var v = _random.NextDouble();
                reason = v < 0.07 ? "wrong_number" : v < 0.13 ? "do_not_call" : "not_interested";
            }
        }

        Emit(ContactEventKind.Disposition, agent.OutCallId, agent: agent.Id, reason: reason, campaign: CampaignId(agent),
            customer: agent.OutCustomer, converted: converted, complaint: complaint);
    }

    private void AddCallback(string customer, CallbackOrigin origin, long due)
    {
        if (_options.Callback.Enabled)
        {
            _callbacks.Enqueue(new CallbackItem(customer, origin, 0), due);
        }
    }

    // ---- plumbing ----

    private static void SetState(Agent agent, AgentState state)
    {
        agent.State = state;
        agent.Epoch++;
    }

    private void Schedule(long at, SimKind kind, int target, int token = 0, long arg = 0)
    {
        Debug.Assert(at >= _now, "The past cannot be scheduled.");
        _agenda.Enqueue(new SimEvent(kind, target, token, arg), ((at - _startMs) << SequenceBits) | (_sequence++ & SequenceMask));
    }

    private InboundCall AllocateCall()
    {
        if (_freeCalls.TryPop(out var slot))
        {
            return _calls[slot];
        }

        var call = new InboundCall(_calls.Count);
        _calls.Add(call);
        return call;
    }

    private void FreeCall(InboundCall call)
    {
        call.State = CallState.Free;
        call.Generation++;
        call.Agent = -1;
        _freeCalls.Push(call.Slot);
    }

    private string NewCallId() =>
        string.Create(CultureInfo.InvariantCulture, $"{_now / 1000}.{++_callSequence}");

    private string InboundCaller(int index) => _inboundCallers[index] ??= PhoneNumber(1, index);

    private string SalesCustomer(int index) => _salesCustomers[index] ??= PhoneNumber(2, index);

    /// <summary>
    /// A pool entry's number is a hash of seed, pool and index rather than a draw from the random
    /// stream, so that creating pool entries lazily does not change the event sequence.
    /// </summary>
    private string PhoneNumber(int pool, int index)
    {
        var hash = SplitMix64(_numberSalt ^ ((ulong)pool << 40) ^ (ulong)index);
        var prefix = MobilePrefixes[(int)(hash % (ulong)MobilePrefixes.Length)];
        var rest = (hash >> 20) % 100_000_000UL;
        return string.Create(CultureInfo.InvariantCulture, $"{prefix}{rest:D8}");
    }

    private static ulong SplitMix64(ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }

    private long Uniform(long from, long to) => from + (long)(_random.NextDouble() * (to - from));

    private double Exponential(double mean) => -mean * Math.Log(1.0 - _random.NextDouble());

    private double LogNormal(double median, double sigma)
    {
        // Box–Muller; the second normal is thrown away to keep the stream simple to reason about.
        var u1 = 1.0 - _random.NextDouble();
        var u2 = _random.NextDouble();
        var normal = Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
        return median * Math.Exp(sigma * normal);
    }

    private double LogNormalWithMean(double mean, double sigma) =>
        LogNormal(mean * Math.Exp(-0.5 * sigma * sigma), sigma);

    private void Emit(
        ContactEventKind kind,
        string callId = "",
        string queue = "",
        string agent = "",
        long? waitMs = null,
        long? talkMs = null,
        long? ringMs = null,
        long? holdMs = null,
        long? wrapUpMs = null,
        string? reason = null,
        string? campaign = null,
        string? customer = null,
        OutboundResult result = OutboundResult.None,
        bool converted = false,
        bool complaint = false)
    {
        var contactEvent = new ContactEvent
        {
            Kind = kind,
            UnixTimeMs = _now,
            CallId = callId,
            Queue = queue,
            Agent = agent,
            WaitMs = waitMs,
            TalkMs = talkMs,
            RingMs = ringMs,
            HoldMs = holdMs,
            WrapUpMs = wrapUpMs,
            Reason = reason,
            Campaign = campaign,
            Customer = customer,
            Result = result,
            Converted = converted,
            Complaint = complaint,
        };
        _sink.Accept(in contactEvent);
    }

    private readonly record struct SimEvent(SimKind Kind, int Target, int Token, long Arg);

    private readonly record struct CallbackItem(string Customer, CallbackOrigin Origin, int Attempts);

    private readonly record struct SalesRetry(int Customer, int Attempts);

    private sealed class QueueState(QueueDefinition definition, int index)
    {
        public QueueDefinition Definition { get; } = definition;

        public int Index { get; } = index;

        /// <summary>The local day <see cref="DayFactor"/> was drawn for.</summary>
        public long FactorDay { get; set; } = long.MinValue;

        public double DayFactor { get; set; } = 1;

        public string Id { get; } = definition.Id;

        public long MaxWaitMs { get; } = (long)definition.MaxWait.TotalMilliseconds;

        public int[] Members { get; set; } = [];

        public int LoggedIn { get; set; }

        /// <summary>Calls in the queue in arrival order, including those ringing at an agent.</summary>
        public List<int> Waiting { get; } = [];
    }

    private sealed class Agent(int index, string id, TeamDefinition team, int[] queues, int shiftSlot)
    {
        public int Index { get; } = index;

        /// <summary>The local day <see cref="DayFactor"/> was drawn for.</summary>
        public long FactorDay { get; set; } = long.MinValue;

        public double DayFactor { get; set; } = 1;

        public string Id { get; } = id;

        public TeamDefinition Team { get; } = team;

        public int[] Queues { get; } = queues;

        public int ShiftSlot { get; } = shiftSlot;

        public AgentState State { get; set; }

        /// <summary>Bumped on every state change; timers scheduled under an older epoch are stale.</summary>
        public int Epoch { get; set; }

        public long IdleSince { get; set; }

        public long WrapStart { get; set; }

        public bool PendingLogout { get; set; }

        public string? PendingPauseReason { get; set; }

        public long PendingPauseMs { get; set; }

        public string? PauseReason { get; set; }

        /// <summary>Slot of the inbound call ringing, connected or in wrap-up; -1 for none (or an outbound contact).</summary>
        public int Call { get; set; } = -1;

        public bool OutCallback { get; set; }

        public string OutCallId { get; set; } = "";

        public string OutCustomer { get; set; } = "";

        public int OutSalesCustomer { get; set; }

        public CallbackOrigin OutOrigin { get; set; }

        public int OutAttempts { get; set; }

        public OutboundResult OutResult { get; set; }

        public long OutRingMs { get; set; }

        public long OutTalkMs { get; set; }
    }

    private sealed class InboundCall(int slot)
    {
        public int Slot { get; } = slot;

        /// <summary>Bumped when the slot is freed, so that timers of the previous call in it are stale.</summary>
        public int Generation { get; set; }

        public CallState State { get; set; }

        public string Id { get; set; } = "";

        public int Queue { get; set; }

        public string Customer { get; set; } = "";

        public long QueuedAt { get; set; }

        public int Agent { get; set; } = -1;

        public long RingStart { get; set; }

        public long AnsweredAt { get; set; }

        public long TalkMs { get; set; }

        public long HoldMs { get; set; }

        public bool Transferred { get; set; }
    }
}
