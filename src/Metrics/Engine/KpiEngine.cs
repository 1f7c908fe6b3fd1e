using System.Numerics;
using System.Runtime.CompilerServices;
using Wallboard.Ingest.Model;
using Wallboard.Metrics.Calendar;
using Wallboard.Metrics.Counters;

namespace Wallboard.Metrics.Engine;

/// <summary>
/// The streaming KPI core: folds normalized events into additive counters per queue, agent and
/// campaign and interval, and keeps the live state (calls waiting, agents by state).
/// </summary>
/// <remarks>
/// Single-threaded by design: one ingest loop owns it, so the hot path takes no lock. State is
/// preallocated arrays of structs updated through <see langword="ref"/>; after warm-up an event
/// allocates nothing beyond the slot of a call seen for the first time.
/// A call is counted in the interval of its arrival once its outcome is known; agent figures
/// count in the interval of the answer; login and pause time is split at interval boundaries.
/// The per-event methods are compiled optimised at their first call
/// (<see cref="MethodImplOptions.AggressiveOptimization"/>), for the batch commands: see <see cref="Ingest.QueueLog.QueueLogParser"/>.
/// </remarks>
public sealed partial class KpiEngine : IContactEventSink
{
    /// <summary>
    /// How long (event time) a finished call is remembered so that its wrap-up still finds it. Half an
    /// hour is far beyond any after-call-work limit; a wrap-up later than that still counts for the agent.
    /// Longer is not free: with two hours, a large centre kept 12,800 calls instead of 2,900 and the
    /// core ran 40 % slower (the calls no longer fit in the cache).
    /// </summary>
    private const long FinishedRetentionMs = 30 * 60_000L;

    /// <summary>A call with no event for this long is forgotten (a PBX restart or a log that lost lines).</summary>
    private const long StaleCallMs = 12 * 3_600_000L;

    private readonly IntervalCalendar _calendar;
    private KpiOptions _options;
    private readonly long _shortAbandonMs;
    private readonly long _ringLimitMs;

    private readonly NameTable _queueNames = new();
    private readonly NameTable _agentNames = new();
    private readonly NameTable _campaignNames = new();
    private long[] _slThresholdMs = new long[16];
    private WaitingCalls[] _waiting = new WaitingCalls[16];
    private int _queuesPrepared;
    private AgentState[] _agentStates = new AgentState[64];

    // A bit per agent in a session or paused: the agents whose open time is accounted at each interval's end.
    private ulong[] _openAgents = new ulong[1];

    // Beside the agent states, not in them: the states are unmanaged, so a checkpoint copies them in bulk.
    private HashSet<int>?[] _agentQueues = new HashSet<int>?[64];
    private string?[] _pauseReasons = new string?[64];
    private readonly int _maxNameLength;
    private readonly int _maxQueues;
    private readonly int _maxAgents;
    private readonly int _maxCampaigns;
    private EngineRejections _rejected;

    // The latest call of each call id (by IdKey); calls of the same id in other queues are chained through OlderSameId.
    private readonly CallIndex _callsById = new();
    private CallState[] _calls = new CallState[1024];
    private readonly Stack<int> _freeCalls = new();
    private int _callHighWater;
    private readonly Queue<(int Slot, int Generation, long FinishedMs)> _finished = new();
    private readonly ContactedCustomers _contactedCustomers;
    private long _nextStaleSweepMs = long.MinValue;

    // The earliest watermark at which KeepHouse has something to do (most events advance the watermark).
    private long _nextHousekeepingMs = long.MinValue;

    // The end of the interval the watermark is in; open sessions are accounted up to it when it passes.
    private long _intervalEndMs = long.MinValue;

    public KpiEngine(KpiOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _calendar = new IntervalCalendar(IntervalCalendar.ResolveZone(options.TimeZone), options.Interval);
        _shortAbandonMs = ToMs(options.ShortAbandonSeconds);
        _ringLimitMs = ToMs(options.Rings * options.RingSeconds);
        _contactedCustomers = new ContactedCustomers(ToMs(options.RepeatContactDays * 86_400));
        (_maxNameLength, _maxQueues, _maxAgents, _maxCampaigns) = (options.Limits.MaxNameLength, options.Limits.MaxQueues, options.Limits.MaxAgents, options.Limits.MaxCampaigns);
    }

    public KpiOptions Options => _options;

    public IntervalCalendar Calendar => _calendar;

    public CounterStore<QueueCounters> Queues { get; } = new();

    public AgentCounterStore Agents { get; } = new();

    public CounterStore<CampaignCounters> Campaigns { get; } = new();

    public IReadOnlyList<string> QueueNames => _queueNames.Names;

    public IReadOnlyList<string> AgentNames => _agentNames.Names;

    public IReadOnlyList<string> CampaignNames => _campaignNames.Names;

    /// <summary>The latest event time seen (Unix ms); <see cref="long.MinValue"/> before the first.</summary>
    public long WatermarkMs { get; private set; } = long.MinValue;

    /// <summary>Events that referred to something the engine could not place (e.g. a completion with no agent); counted, not thrown.</summary>
    public long Inconsistent { get; private set; }

    /// <summary>Calls currently remembered (waiting, talking or recently finished).</summary>
    public int ActiveCalls => _callHighWater - _freeCalls.Count;

    /// <summary>Events refused, by reason: never applied, and never moving the watermark.</summary>
    public EngineRejections Rejected => _rejected;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Accept(in ContactEvent contactEvent)
    {
        var t = contactEvent.UnixTimeMs;
        if ((ulong)(t - EventTimeLimits.EarliestMs) >= CalendarSpan)
        {
            // Outside 1970–9000 a zone lookup can leave NodaTime's range and throw.
            _rejected.OutOfCalendar++;
            return;
        }

        if (t > WatermarkMs)
        {
            WatermarkMs = t;
            if (t >= _nextHousekeepingMs)
            {
                KeepHouse();
            }
        }

        switch (contactEvent.Kind)
        {
            case ContactEventKind.CallQueued:
                OnQueued(contactEvent);
                break;
            case ContactEventKind.CallAnswered:
            case ContactEventKind.CallAbandoned:
            case ContactEventKind.CallTimedOut:
            case ContactEventKind.CallExitedWithKey:
            case ContactEventKind.CallExitedEmpty:
            case ContactEventKind.CallWithdrawn:
                OnOutcome(contactEvent);
                break;
            case ContactEventKind.CallCompleted:
            case ContactEventKind.CallTransferred:
                OnCompleted(contactEvent);
                break;
            case ContactEventKind.CallHeld:
                OnHeld(contactEvent);
                break;
            case ContactEventKind.CallResumed:
                OnResumed(contactEvent);
                break;
            case ContactEventKind.WrapUpEnded:
                OnWrapUpEnded(contactEvent);
                break;
            case ContactEventKind.CallRinging:
                OnRinging(contactEvent);
                break;
            case ContactEventKind.RingNoAnswer:
            case ContactEventKind.RingCanceled:
                OnRingEnded(contactEvent);
                break;
            case ContactEventKind.Disposition:
                OnDisposition(contactEvent);
                break;
            case ContactEventKind.OutboundAttempt:
                OnOutboundAttempt(contactEvent);
                break;
            default:
                OnAgentEvent(contactEvent);
                break;
        }
    }

    /// <summary>
    /// Accounts login and pause time of sessions still open up to <paramref name="untilMs"/>, leaving them open.
    /// A batch run calls it once with the time of the input's last line; the live server calls it on each tick.
    /// </summary>
    /// <remarks>
    /// Only agents with something open are visited: at one-minute intervals this runs every minute,
    /// and walking every known agent then cost more than the events of the minute (300 agents, 130
    /// of them logged in, against 108 events a minute in the benchmark).
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void FlushOpenSessions(long untilMs)
    {
        // The interval just before untilMs: most open time since the last flush lies in it alone,
        // and goes straight into its row.
        var lastStart = long.MaxValue;
        AgentTime[]? times = null;
        for (var word = 0; word < _openAgents.Length; word++)
        {
            var bits = _openAgents[word];
            if (bits == 0)
            {
                continue;
            }

            if (lastStart == long.MaxValue)
            {
                lastStart = _calendar.StartOf(untilMs - 1);
                times = Agents.Time.RowFor(lastStart, _agentNames.Count);
            }

            var written = 0UL;
            for (; bits != 0; bits &= bits - 1)
            {
                var agent = (word << 6) + BitOperations.TrailingZeroCount(bits);
                written |= FlushOpenSession(agent, untilMs, lastStart, times) ? 1UL << agent : 0;
            }

            if (written != 0)
            {
                Agents.Time.Mark(lastStart, word, written);
            }
        }
    }

    /// <summary>The dense index of a queue name, adding it if new (for seeding and live lookups).</summary>
    public int QueueId(string name) => QueueIndex(name);

    /// <summary>The dense index of an agent name, adding it if new.</summary>
    public int AgentId(string name) => AgentIndex(name);

    /// <summary>The dense index of a campaign name, adding it if new.</summary>
    public int CampaignId(string name) => _campaignNames.IndexOf(name);

    /// <summary>The queue's service-level formula.</summary>
    public ServiceLevelFormula FormulaOf(int queue) => _options.TargetsFor(_queueNames.Names[queue]).SlFormula;

    /// <summary>
    /// Replaces the per-queue service-level settings (a reloaded directory). Counts already made stay as
    /// they are; calls that reach an outcome from now on are measured against the new threshold.
    /// </summary>
    public void ApplyQueueTargets(IReadOnlyDictionary<string, QueueTargets> queues)
    {
        ArgumentNullException.ThrowIfNull(queues);
        var options = _options with { Queues = queues };
        options.Validate();
        _options = options;
        for (var queue = 0; queue < _queuesPrepared; queue++)
        {
            _slThresholdMs[queue] = ToMs(_options.TargetsFor(_queueNames.Names[queue]).SlThresholdSeconds);
        }
    }

    /// <summary>Calls waiting in a queue now and the arrival (Unix ms) of the one waiting longest, or null.</summary>
    public (int Waiting, long? OldestArrivalMs) WaitingIn(int queue)
    {
        if (queue >= _queuesPrepared || _waiting[queue].Count == 0)
        {
            return (0, null);
        }

        var oldest = long.MaxValue;
        for (var slot = _waiting[queue].Head; slot >= 0; slot = _calls[slot].NextWaiting)
        {
            oldest = Math.Min(oldest, _calls[slot].ArrivalMs);
        }

        return (_waiting[queue].Count, oldest);
    }

    /// <summary>The live state of an agent.</summary>
    public AgentLiveState AgentLive(int agent)
    {
        ref readonly var state = ref _agentStates[agent];
        IReadOnlyList<string> queues = _agentQueues[agent] is { Count: > 0 } members ? [.. members.Select(q => _queueNames.Names[q])] : [];
        var campaign = state.CampaignPlusOne > 0 ? _campaignNames.Names[state.CampaignPlusOne - 1] : null;
        return new AgentLiveState(_agentNames.Names[agent], state.Status, state.StatusSinceMs, state.Paused ? _pauseReasons[agent] : null, queues, campaign)
        {
            CurrentQueue = CurrentQueueOf(agent),
        };
    }

    /// <summary>Sums a queue's counters over the intervals that start in [fromMs, toMs): the rolling windows of the live board.</summary>
    public QueueCounters SumQueue(int queue, long fromMs, long toMs) => Sum(Queues, queue, fromMs, toMs, static (ref s, in v) => s.Add(v));

    /// <summary>Sums an agent's counters over the intervals that start in [fromMs, toMs).</summary>
    public AgentCounters SumAgent(int agent, long fromMs, long toMs)
    {
        var sum = default(AgentCounters);
        Agents.AddTo(ref sum, agent, _calendar, _calendar.StartOf(fromMs), toMs);
        return sum;
    }

    /// <summary>Sums a campaign's counters over the intervals that start in [fromMs, toMs).</summary>
    public CampaignCounters SumCampaign(int campaign, long fromMs, long toMs) => Sum(Campaigns, campaign, fromMs, toMs, static (ref s, in v) => s.Add(v));

    /// <summary>Counter updates dropped because their interval was forgotten (<see cref="ForgetIntervalsBefore"/>).</summary>
    public long TooLate => Queues.TooLate + Agents.TooLate + Campaigns.TooLate;

    /// <summary>
    /// Forgets intervals that start before <paramref name="cutoffMs"/>, so that a long-running engine
    /// keeps only what its windows can reach or its history has yet to take; later updates to them
    /// are dropped and counted (<see cref="TooLate"/>).
    /// </summary>
    public void ForgetIntervalsBefore(long cutoffMs)
    {
        var start = _calendar.StartOf(cutoffMs);
        Queues.RemoveBefore(start);
        Agents.RemoveBefore(start);
        Campaigns.RemoveBefore(start);
    }

    private T Sum<T>(CounterStore<T> store, int entity, long fromMs, long toMs, AddCounters<T> add)
        where T : unmanaged
    {
        var sum = default(T);
        for (var start = _calendar.StartOf(fromMs); start < toMs; start = _calendar.EndOf(start))
        {
            if (store.TryGet(entity, start, out var counters))
            {
                add(ref sum, counters);
            }

            if (start == IntervalCalendar.TotalStart)
            {
                break;
            }
        }

        return sum;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void OnQueued(in ContactEvent e)
    {
        var queue = QueueIndex(e.Queue);
        ref var call = ref FindOrAddCall(e.CallKey, queue, out var slot, out var existed);
        if (existed && call.Outcome != CallOutcome.None)
        {
            // The same call entered the same queue again after leaving it: a new queue call.
            ReleaseCall(slot);
            call = ref FindOrAddCall(e.CallKey, queue, out slot, out _);
        }

        call.ArrivalMs = e.UnixTimeMs;
        call.HasArrival = true;
        if (e.CustomerKey != 0)
        {
            // A caller who reached a queue has been in contact: a later callback to them is a repeat contact.
            _contactedCustomers.Record(e.CustomerKey, e.UnixTimeMs);
        }

        call.LastEventMs = e.UnixTimeMs;
        if (!call.Waiting)
        {
            AddWaiting(ref call, slot);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void OnOutcome(in ContactEvent e)
    {
        var queue = QueueIndex(e.Queue);
        ref var call = ref FindOrAddCall(e.CallKey, queue, out var slot, out var existed);
        if (!existed && e.Kind == ContactEventKind.CallAnswered && TryTakeOverConsultation(e.CallKey, queue, slot, out var consultation))
        {
            slot = consultation;
            call = ref _calls[slot];
        }

        call.LastEventMs = Math.Max(call.LastEventMs, e.UnixTimeMs);
        if (call.Outcome != CallOutcome.None)
        {
            // The outcome is the first of these; a repeated line changes nothing.
            return;
        }

        var wait = e.WaitMs ?? (call.HasArrival ? Math.Max(0, e.UnixTimeMs - call.ArrivalMs) : 0);
        var outcome = e.Kind switch
        {
            ContactEventKind.CallAnswered => CallOutcome.Answered,
            ContactEventKind.CallAbandoned => CallOutcome.Abandoned,
            ContactEventKind.CallTimedOut => CallOutcome.TimedOut,
            ContactEventKind.CallExitedWithKey => CallOutcome.ExitedKey,
            ContactEventKind.CallWithdrawn => CallOutcome.Withdrawn,
            _ => CallOutcome.ExitedEmpty,
        };
        RecordOutcome(ref call, slot, outcome, e.UnixTimeMs, wait, e.RingMs, e.Agent);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void RecordOutcome(ref CallState call, int slot, CallOutcome outcome, long outcomeMs, long waitMs, long? ringMs, string agentName)
    {
        if (!call.HasArrival)
        {
            call.ArrivalMs = outcomeMs - waitMs;
            call.HasArrival = true;
        }

        if (call.Waiting)
        {
            RemoveWaiting(ref call);
        }

        call.Outcome = outcome;
        call.QueueBucket = _calendar.StartOf(call.ArrivalMs);
        ref var q = ref Queues.Update(call.Queue, call.QueueBucket);
        q.Offered++;
        q.MaxWaitMs = Math.Max(q.MaxWaitMs, waitMs);
        var withinSl = waitMs <= _slThresholdMs[call.Queue];
        switch (outcome)
        {
            case CallOutcome.Answered:
                q.Answered++;
                q.AnsweredWaitMs += waitMs;
                q.CountAnsweredWait(waitMs);
                if (withinSl)
                {
                    q.AnsweredWithinSl++;
                }

                if (ringMs is { } ring)
                {
                    q.RingKnown++;
                    if (ring <= _ringLimitMs)
                    {
                        q.AnsweredWithinRings++;
                    }
                }

                RecordAnswerAtAgent(ref call, slot, outcomeMs, agentName);
                break;
            case CallOutcome.Abandoned:
                q.Abandoned++;
                if (waitMs < _shortAbandonMs)
                {
                    q.ShortAbandoned++;
                }
                else
                {
                    q.AbandonWaitMs += waitMs;
                    q.CountAbandonedWait(waitMs);
                    if (withinSl)
                    {
                        q.AbandonedWithinSl++;
                    }
                }

                Finish(ref call, slot, outcomeMs);
                break;
            case CallOutcome.TimedOut:
                q.TimedOut++;
                Finish(ref call, slot, outcomeMs);
                break;
            case CallOutcome.ExitedKey:
                q.ExitedKey++;
                Finish(ref call, slot, outcomeMs);
                break;
            case CallOutcome.Withdrawn:
                q.Withdrawn++;
                Finish(ref call, slot, outcomeMs);
                break;
            default:
                q.ExitedEmpty++;
                Finish(ref call, slot, outcomeMs);
                break;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void RecordAnswerAtAgent(ref CallState call, int slot, long answeredMs, string agentName)
    {
        call.AnsweredMs = answeredMs;
        if (agentName.Length == 0)
        {
            call.Agent = -1;
            Inconsistent++;
            return;
        }

        var agent = AgentIndex(agentName);
        call.Agent = agent;
        call.AgentBucket = _calendar.StartOf(answeredMs);
        Agents.Update(agent, call.AgentBucket).Answered++;
        ref var state = ref _agentStates[agent];
        state.Activity = CallActivity.OnCall;
        state.CurrentCall = slot;
        state.OpenCalls++;
        UpdateStatus(ref state, answeredMs);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void OnCompleted(in ContactEvent e)
    {
        var queue = QueueIndex(e.Queue);
        ref var call = ref FindOrAddCall(e.CallKey, queue, out var slot, out var existed);
        if (!existed && TryTakeOverOpenCall(e.CallKey, queue, e.Agent, slot, out var open))
        {
            slot = open;
            call = ref _calls[slot];
        }

        call.LastEventMs = Math.Max(call.LastEventMs, e.UnixTimeMs);
        var talk = e.TalkMs ?? (call.Outcome == CallOutcome.Answered ? Math.Max(0, e.UnixTimeMs - call.AnsweredMs) : 0);
        if (call.Outcome == CallOutcome.None)
        {
            // The log began after the answer: the answer is implied by the completion.
            RecordOutcome(ref call, slot, CallOutcome.Answered, e.UnixTimeMs - talk, e.WaitMs ?? 0, ringMs: null, e.Agent);
        }
        else if (call.Outcome != CallOutcome.Answered || call.Completed)
        {
            Inconsistent++;
            return;
        }

        call.Completed = true;
        call.CompletedMs = e.UnixTimeMs;
        if (call.OnHold)
        {
            call.HoldMs += Math.Max(0, e.UnixTimeMs - call.HoldStartMs);
            call.OnHold = false;
        }

        var hold = e.HoldMs ?? call.HoldMs;
        ref var q = ref Queues.Update(call.Queue, call.QueueBucket);
        q.Handled++;
        q.TalkMs += talk;
        q.HoldMs += hold;
        if (call.Agent >= 0)
        {
            ref var a = ref Agents.Update(call.Agent, call.AgentBucket);
            a.Handled++;
            a.TalkMs += talk;
            a.HoldMs += hold;
            ref var state = ref _agentStates[call.Agent];
            state.OpenCalls--;
            if (state.CurrentCall == slot)
            {
                state.Activity = state.ReportsWrapUp ? CallActivity.WrapUp : CallActivity.None;
                UpdateStatus(ref state, e.UnixTimeMs);
            }
        }

        Finish(ref call, slot, e.UnixTimeMs);
    }

    private void OnHeld(in ContactEvent e)
    {
        if (TryFindCall(e.CallKey, e.Queue, out var slot))
        {
            ref var call = ref _calls[slot];
            call.OnHold = true;
            call.HoldStartMs = e.UnixTimeMs;
            call.LastEventMs = Math.Max(call.LastEventMs, e.UnixTimeMs);
        }
        else
        {
            Inconsistent++;
        }
    }

    private void OnResumed(in ContactEvent e)
    {
        if (!TryFindCall(e.CallKey, e.Queue, out var slot))
        {
            Inconsistent++;
            return;
        }

        ref var call = ref _calls[slot];
        if (e.HoldMs is { } hold)
        {
            call.HoldMs += hold;
        }
        else if (call.OnHold)
        {
            call.HoldMs += Math.Max(0, e.UnixTimeMs - call.HoldStartMs);
        }

        call.OnHold = false;
        call.LastEventMs = Math.Max(call.LastEventMs, e.UnixTimeMs);
    }

    private void OnWrapUpEnded(in ContactEvent e)
    {
        var agent = e.Agent.Length > 0 ? AgentIndex(e.Agent) : -1;
        if (TryFindCall(e.CallKey, e.Queue, out var slot) && _calls[slot].Completed && !_calls[slot].WrapUpCounted)
        {
            ref var call = ref _calls[slot];
            var wrapUp = e.WrapUpMs ?? Math.Max(0, e.UnixTimeMs - call.CompletedMs);
            call.WrapUpCounted = true;
            Queues.Update(call.Queue, call.QueueBucket).WrapUpMs += wrapUp;
            if (call.Agent >= 0)
            {
                Agents.Update(call.Agent, call.AgentBucket).WrapUpMs += wrapUp;
                agent = call.Agent;
            }
        }
        else if (agent >= 0 && e.WrapUpMs is { } wrapUp)
        {
            // Wrap-up after an outbound call or a call we never saw: it is still the agent's time.
            Agents.Update(agent, _calendar.StartOf(e.UnixTimeMs)).WrapUpMs += wrapUp;
        }

        if (agent >= 0)
        {
            ref var state = ref _agentStates[agent];
            state.ReportsWrapUp = true;
            if (state.Activity == CallActivity.WrapUp)
            {
                state.Activity = CallActivity.None;
            }

            UpdateStatus(ref state, e.UnixTimeMs);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void OnRinging(in ContactEvent e)
    {
        if (e.Agent.Length == 0)
        {
            return;
        }

        ref var state = ref _agentStates[AgentIndex(e.Agent)];
        if (state.Activity == CallActivity.None)
        {
            state.Activity = CallActivity.Ringing;
            UpdateStatus(ref state, e.UnixTimeMs);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void OnRingEnded(in ContactEvent e)
    {
        if (e.Agent.Length == 0)
        {
            Inconsistent++;
            return;
        }

        var agent = AgentIndex(e.Agent);
        if (e.Kind == ContactEventKind.RingNoAnswer)
        {
            Agents.Update(agent, _calendar.StartOf(e.UnixTimeMs)).RingNoAnswer++;
        }

        ref var state = ref _agentStates[agent];
        if (state.Activity == CallActivity.Ringing)
        {
            state.Activity = CallActivity.None;
            UpdateStatus(ref state, e.UnixTimeMs);
        }
    }

    private void OnDisposition(in ContactEvent e)
    {
        var bucket = _calendar.StartOf(e.UnixTimeMs);
        var campaign = string.IsNullOrEmpty(e.Campaign) ? -1 : _campaignNames.IndexOf(e.Campaign);
        if (e.Agent.Length > 0)
        {
            var agent = AgentIndex(e.Agent);
            ref var state = ref _agentStates[agent];
            if (campaign >= 0)
            {
                state.CampaignPlusOne = campaign + 1;
            }

            // An attempt is reported when it ends: an available dialler has been idle since then,
            // not since it logged in.
            if (state.Status == AgentStatus.Available && e.UnixTimeMs > state.StatusSinceMs)
            {
                state.StatusSinceMs = e.UnixTimeMs;
            }

            ref var a = ref Agents.Update(agent, bucket);
            a.Contacts++;
            a.Conversions += e.Converted ? 1 : 0;
            a.Complaints += e.Complaint ? 1 : 0;
        }

        if (campaign < 0)
        {
            return;
        }

        ref var c = ref Campaigns.Update(campaign, bucket);
        c.Contacts++;
        c.Conversions += e.Converted ? 1 : 0;
        c.Complaints += e.Complaint ? 1 : 0;
        if (e.CustomerKey != 0 && _contactedCustomers.RecordAndCheckRepeat(e.CustomerKey, e.UnixTimeMs))
        {
            c.RepeatContacts++;
            c.RepeatConversions += e.Converted ? 1 : 0;
        }
    }

    private void OnOutboundAttempt(in ContactEvent e)
    {
        var bucket = _calendar.StartOf(e.UnixTimeMs);
        var connected = e.Result == OutboundResult.Connected;
        var talk = connected ? e.TalkMs ?? 0 : 0;
        var campaign = -1;
        if (!string.IsNullOrEmpty(e.Campaign))
        {
            campaign = _campaignNames.IndexOf(e.Campaign);
            ref var c = ref Campaigns.Update(campaign, bucket);
            c.Attempts++;
            c.TalkMs += talk;
            switch (e.Result)
            {
                case OutboundResult.Connected:
                    c.Connected++;
                    break;
                case OutboundResult.NoAnswer:
                    c.NoAnswer++;
                    break;
                case OutboundResult.Busy:
                    c.Busy++;
                    break;
                default:
                    c.Failed++;
                    break;
            }
        }

        if (e.Agent.Length > 0)
        {
            var agent = AgentIndex(e.Agent);
            ref var state = ref _agentStates[agent];
            if (campaign >= 0)
            {
                state.CampaignPlusOne = campaign + 1;
            }

            // An attempt is reported when it ends: an available dialler has been idle since then,
            // not since it logged in.
            if (state.Status == AgentStatus.Available && e.UnixTimeMs > state.StatusSinceMs)
            {
                state.StatusSinceMs = e.UnixTimeMs;
            }

            ref var a = ref Agents.Update(agent, bucket);
            a.OutboundAttempts++;
            a.OutboundConnected += connected ? 1 : 0;
            a.OutboundTalkMs += talk;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void OnAgentEvent(in ContactEvent e)
    {
        if (e.Agent.Length == 0)
        {
            Inconsistent++;
            return;
        }

        var agent = AgentIndex(e.Agent);
        ref var state = ref _agentStates[agent];
        var t = e.UnixTimeMs;
        switch (e.Kind)
        {
            case ContactEventKind.MemberAdded when e.Queue.Length > 0:
                (_agentQueues[agent] ??= []).Add(QueueIndex(e.Queue));
                break;
            case ContactEventKind.MemberRemoved when e.Queue.Length > 0:
                _agentQueues[agent]?.Remove(QueueIndex(e.Queue));
                break;
            case ContactEventKind.AgentLoggedIn:
                state.LoggedInAsAgent = true;
                break;
            case ContactEventKind.AgentLoggedOut:
                state.LoggedInAsAgent = false;
                // Logging off an agent ends its membership everywhere, as Asterisk does.
                _agentQueues[agent]?.Clear();
                break;
            case ContactEventKind.AgentPaused when !state.Paused:
                state.Paused = true;
                state.PauseAccountedToMs = t;
                _pauseReasons[agent] = e.Reason;
                break;
            case ContactEventKind.AgentPaused:
                _pauseReasons[agent] = e.Reason;
                break;
            case ContactEventKind.AgentUnpaused:
            case ContactEventKind.AgentAvailable:
                EndPause(agent, ref state, t);
                if (e.Kind == ContactEventKind.AgentAvailable)
                {
                    // A source that reports "available" means the agent is logged in and ready.
                    state.LoggedInAsAgent = true;
                }

                break;
        }

        var loggedIn = state.LoggedInAsAgent || _agentQueues[agent] is { Count: > 0 };
        if (loggedIn && !state.InSession)
        {
            state.InSession = true;
            state.LoginAccountedToMs = t;
        }
        else if (!loggedIn && state.InSession)
        {
            AddLogin(agent, state.LoginAccountedToMs, t);
            state.InSession = false;
            EndPause(agent, ref state, t);
            state.Activity = CallActivity.None;
        }

        UpdateStatus(ref state, t);
        NoteOpen(agent, state);
    }

    /// <summary>Keeps <see cref="_openAgents"/> in step with an agent's session and pause.</summary>
    private void NoteOpen(int agent, in AgentState state)
    {
        var bit = 1UL << agent;
        if (state.InSession || state.Paused)
        {
            _openAgents[agent >> 6] |= bit;
        }
        else
        {
            _openAgents[agent >> 6] &= ~bit;
        }
    }

    /// <summary>
    /// Accounts an agent's open time up to <paramref name="untilMs"/>. A span within the interval
    /// starting at <paramref name="lastStart"/> (which holds untilMs - 1) goes into that interval's
    /// <paramref name="times"/> (null when forgotten), and true is returned: the caller flags it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool FlushOpenSession(int agent, long untilMs, long lastStart, AgentTime[]? times)
    {
        ref var state = ref _agentStates[agent];
        var written = state.InSession && FlushOpenTime(agent, ref state.LoginAccountedToMs, untilMs, lastStart, times, pause: false);
        return (state.Paused && FlushOpenTime(agent, ref state.PauseAccountedToMs, untilMs, lastStart, times, pause: true)) || written;
    }

    /// <summary>One open span of login or pause time, accounted from <paramref name="accountedToMs"/> up to <paramref name="untilMs"/> (see <see cref="FlushOpenSession"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool FlushOpenTime(int agent, ref long accountedToMs, long untilMs, long lastStart, AgentTime[]? times, bool pause)
    {
        var fromMs = accountedToMs;
        if (untilMs <= fromMs)
        {
            return false;
        }

        accountedToMs = untilMs;
        if (times is null || fromMs < lastStart)
        {
            AddAgentTime(agent, fromMs, untilMs, pause);
            return false;
        }

        ref var time = ref times[agent];
        if (pause)
        {
            time.PauseMs += untilMs - fromMs;
        }
        else
        {
            time.LoginMs += untilMs - fromMs;
        }

        return true;
    }

    private void EndPause(int agent, ref AgentState state, long t)
    {
        if (state.Paused)
        {
            AddPause(agent, state.PauseAccountedToMs, t);
            state.Paused = false;
            _pauseReasons[agent] = null;
        }
    }

    private void AddLogin(int agent, long fromMs, long toMs) => AddAgentTime(agent, fromMs, toMs, pause: false);

    private void AddPause(int agent, long fromMs, long toMs) => AddAgentTime(agent, fromMs, toMs, pause: true);

    /// <summary>
    /// Adds a span of login or pause time, split at interval boundaries. A span that ends before it
    /// starts takes time back: open sessions are accounted up to the server's clock at each tick,
    /// and a logout read later but dated earlier (a source catching up after a restart, or one
    /// running behind another) ends the session before the time already accounted. A span longer
    /// than <see cref="EntityLimits.MaxSilenceDays"/> is not accounted (<see cref="SpansNotAccounted"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void AddAgentTime(int agent, long fromMs, long toMs, bool pause)
    {
        var sign = 1;
        if (toMs < fromMs)
        {
            (fromMs, toMs, sign) = (toMs, fromMs, -1);
        }

        if (toMs - fromMs > _options.Limits.MaxSilenceDays * 86_400_000L)
        {
            SpansNotAccounted++;
            return;
        }

        while (fromMs < toMs)
        {
            var start = _calendar.StartOf(fromMs, out var untilMs);
            var end = Math.Min(untilMs, toMs);
            ref var time = ref Agents.UpdateTime(agent, start);
            if (pause)
            {
                time.PauseMs += sign * (end - fromMs);
            }
            else
            {
                time.LoginMs += sign * (end - fromMs);
            }

            fromMs = end;
        }
    }

    private static void UpdateStatus(ref AgentState state, long t)
    {
        var status = !state.InSession && state.Activity == CallActivity.None ? AgentStatus.LoggedOut
            : state.Activity switch
            {
                CallActivity.OnCall => AgentStatus.OnCall,
                CallActivity.Ringing => AgentStatus.Ringing,
                CallActivity.WrapUp => AgentStatus.WrapUp,
                _ => state.Paused ? AgentStatus.Paused : AgentStatus.Available,
            };
        if (status != state.Status || state.StatusSinceMs == 0)
        {
            state.Status = status;
            state.StatusSinceMs = t;
        }
    }

    private void Finish(ref CallState call, int slot, long finishedMs)
    {
        call.Finished = true;
        _finished.Enqueue((slot, call.Generation, finishedMs));
        if (_finished.Count == 1)
        {
            _nextHousekeepingMs = Math.Min(_nextHousekeepingMs, ForgetAfter(finishedMs));
        }
    }

    /// <summary>The watermark from which a call finished at <paramref name="finishedMs"/> is forgotten.</summary>
    private static long ForgetAfter(long finishedMs) => finishedMs + FinishedRetentionMs + 1;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void KeepHouse()
    {
        if (WatermarkMs >= _intervalEndMs)
        {
            // The watermark entered a new interval: open login and pause time is accounted up to its start
            // now, first to the end of the interval just ended, while the calendar and the agents' slots
            // of it are still in the cache. A logout then adds only the time since; closing an 8-hour
            // session in one go walked 32 cold slots (5 µs a logout, a tenth of the core's time on the
            // benchmark's traffic).
            var ended = _intervalEndMs;
            if (ended != long.MinValue)
            {
                FlushOpenSessions(ended);
            }

            var start = _calendar.StartOf(WatermarkMs, out _intervalEndMs);
            if (ended != long.MinValue && start > ended)
            {
                // The watermark skipped intervals (a quiet night): they are accounted too.
                FlushOpenSessions(start);
            }
        }

        while (_finished.Count > 0 && ForgetAfter(_finished.Peek().FinishedMs) <= WatermarkMs)
        {
            var (slot, generation, _) = _finished.Dequeue();
            if (_calls[slot].Generation == generation && _calls[slot].InUse)
            {
                ReleaseCall(slot);
            }
        }

        if (WatermarkMs >= _nextStaleSweepMs)
        {
            // Calls that never finish (lost lines, a PBX restart) would otherwise stay forever.
            _nextStaleSweepMs = WatermarkMs + 3_600_000L;
            for (var slot = 0; slot < _callHighWater; slot++)
            {
                if (_calls[slot].InUse && !_calls[slot].Finished && _calls[slot].LastEventMs + StaleCallMs < WatermarkMs)
                {
                    ReleaseCall(slot);
                }
            }
        }

        var nextForgetMs = _finished.Count > 0 ? ForgetAfter(_finished.Peek().FinishedMs) : long.MaxValue;
        _nextHousekeepingMs = Math.Min(_intervalEndMs, Math.Min(nextForgetMs, _nextStaleSweepMs));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private ref CallState FindOrAddCall(ulong callKey, int queue, out int slot, out bool existed)
    {
        ref var latest = ref _callsById.GetValueRefOrAddDefault(callKey, out var known);
        slot = known ? CallInQueue(latest, queue) : -1;
        existed = slot >= 0;
        if (existed)
        {
            return ref _calls[slot];
        }

        slot = _freeCalls.Count > 0 ? _freeCalls.Pop() : _callHighWater++;
        if (slot == _calls.Length)
        {
            Array.Resize(ref _calls, _calls.Length * 2);
        }

        ref var call = ref _calls[slot];
        var generation = call.Generation + 1;
        call = default;
        call.Generation = generation;
        call.InUse = true;
        call.CallKey = callKey;
        call.Queue = queue;
        call.Agent = -1;
        call.OlderSameId = known ? latest : -1;
        latest = slot;
        return ref call;
    }

    private bool TryFindCall(ulong callKey, string queue, out int slot)
    {
        if (!_callsById.TryGetValue(callKey, out slot))
        {
            return false;
        }

        if (queue.Length > 0 && _queueNames.TryGetIndex(queue, out var queueIndex))
        {
            slot = CallInQueue(slot, queueIndex);
            return slot >= 0;
        }

        return true;
    }

    /// <summary>The call of the chain starting at <paramref name="latest"/> (one call id) that is in <paramref name="queue"/>, or -1.</summary>
    private int CallInQueue(int latest, int queue)
    {
        for (var slot = latest; slot >= 0; slot = _calls[slot].OlderSameId)
        {
            if (_calls[slot].Queue == queue)
            {
                return slot;
            }
        }

        return -1;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ReleaseCall(int slot)
    {
        ref var call = ref _calls[slot];
        UnlinkId(slot);
        if (call.Waiting)
        {
            RemoveWaiting(ref call);
        }

        if (call.Outcome == CallOutcome.Answered && !call.Completed && call.Agent >= 0)
        {
            // Forgotten before its completion (a lost line): it is no longer in progress at the agent.
            _agentStates[call.Agent].OpenCalls--;
        }

        call.InUse = false;
        _freeCalls.Push(slot);
    }

    /// <summary>Takes a call out of the chain of its id (<see cref="_callsById"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void UnlinkId(int slot)
    {
        ref var call = ref _calls[slot];

        // Removed first, put back in the rare case of one call id in several queues: one lookup, not two.
        _callsById.Remove(call.CallKey, out var latest);
        if (latest != slot)
        {
            _callsById.Add(call.CallKey, latest);
            for (var newer = latest; newer >= 0; newer = _calls[newer].OlderSameId)
            {
                if (_calls[newer].OlderSameId == slot)
                {
                    _calls[newer].OlderSameId = call.OlderSameId;
                    break;
                }
            }
        }
        else if (call.OlderSameId >= 0)
        {
            _callsById.Add(call.CallKey, call.OlderSameId);
        }
    }

    /// <summary>Appends a call to its queue's waiting list (linked through the call slots, so no set is hashed per call).</summary>
    private void AddWaiting(ref CallState call, int slot)
    {
        ref var waiting = ref _waiting[call.Queue];
        call.Waiting = true;
        call.PreviousWaiting = waiting.Tail;
        call.NextWaiting = -1;
        if (waiting.Tail >= 0)
        {
            _calls[waiting.Tail].NextWaiting = slot;
        }
        else
        {
            waiting.Head = slot;
        }

        waiting.Tail = slot;
        waiting.Count++;
    }

    private void RemoveWaiting(ref CallState call)
    {
        ref var waiting = ref _waiting[call.Queue];
        call.Waiting = false;
        if (call.PreviousWaiting >= 0)
        {
            _calls[call.PreviousWaiting].NextWaiting = call.NextWaiting;
        }
        else
        {
            waiting.Head = call.NextWaiting;
        }

        if (call.NextWaiting >= 0)
        {
            _calls[call.NextWaiting].PreviousWaiting = call.PreviousWaiting;
        }
        else
        {
            waiting.Tail = call.PreviousWaiting;
        }

        waiting.Count--;
    }

    private int QueueIndex(string name)
    {
        var index = _queueNames.IndexOf(name);
        if (index == _slThresholdMs.Length)
        {
            Array.Resize(ref _slThresholdMs, index * 2);
            Array.Resize(ref _waiting, index * 2);
        }

        if (index == _queuesPrepared)
        {
            _waiting[index] = new WaitingCalls { Head = -1, Tail = -1 };
            _slThresholdMs[index] = ToMs(_options.TargetsFor(name).SlThresholdSeconds);
            _queuesPrepared++;
        }

        return index;
    }

    private int AgentIndex(string name)
    {
        var index = _agentNames.IndexOf(name);
        if (index == _agentStates.Length)
        {
            Array.Resize(ref _agentStates, index * 2);
            Array.Resize(ref _agentQueues, index * 2);
            Array.Resize(ref _pauseReasons, index * 2);
            Array.Resize(ref _openAgents, ((index * 2) + 63) >> 6);
        }

        return index;
    }

    private static long ToMs(double seconds) => (long)Math.Round(seconds * 1000, MidpointRounding.AwayFromZero);

    private delegate void AddCounters<T>(ref T sum, in T value);

    private enum CallOutcome : byte
    {
        None,
        Answered,
        Abandoned,
        TimedOut,
        ExitedKey,
        ExitedEmpty,
        Withdrawn,
    }

    private enum CallActivity : byte
    {
        None,
        Ringing,
        OnCall,
        WrapUp,
    }

    private struct WaitingCalls
    {
        public int Head;
        public int Tail;
        public int Count;
    }

    private struct CallState
    {
        public ulong CallKey;
        public int Queue;
        public int OlderSameId;
        public int PreviousWaiting;
        public int NextWaiting;
        public int Generation;
        public bool InUse;
        public bool HasArrival;
        public bool Waiting;
        public bool Finished;
        public bool Completed;
        public bool WrapUpCounted;
        public bool OnHold;
        public CallOutcome Outcome;
        public long ArrivalMs;
        public long QueueBucket;
        public int Agent;
        public long AgentBucket;
        public long AnsweredMs;
        public long CompletedMs;
        public long HoldStartMs;
        public long HoldMs;
        public long LastEventMs;

        /// <summary>The id of the consultation call under which an attended transfer of this call was logged; 0 for none.</summary>
        public ulong ConsultationKey;
    }

    private struct AgentState
    {
        public bool LoggedInAsAgent;
        public bool InSession;
        public long LoginAccountedToMs;
        public bool Paused;
        public long PauseAccountedToMs;
        public CallActivity Activity;
        public int CurrentCall;
        public bool ReportsWrapUp;
        public AgentStatus Status;
        public long StatusSinceMs;

        /// <summary>Answered calls of this agent not completed yet (the masquerade rules need "exactly one").</summary>
        public int OpenCalls;

        /// <summary>The campaign of the agent's latest outbound attempt or disposition, plus one; 0 for none.</summary>
        public int CampaignPlusOne;
    }
}
