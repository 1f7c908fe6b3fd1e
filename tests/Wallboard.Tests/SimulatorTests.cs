using Microsoft.Extensions.Time.Testing;
using Wallboard.Ingest.Model;
using Wallboard.Ingest.Simulation;

namespace Wallboard.Tests;

public sealed class SimulatorTests
{
    private static readonly TimeSpan Shanghai = TimeSpan.FromHours(8);

    // One default day (a Monday, midnight to midnight in Shanghai) shared by the read-only tests.
    private static readonly Lazy<List<ContactEvent>> DefaultDay = new(() => Collect(new SimulationOptions()));

    [Fact]
    public void SameSeedGivesTheSameEvents()
    {
        var options = new SimulationOptions { Seed = 42, Duration = TimeSpan.FromHours(14) };

        var first = Collect(options);
        var second = Collect(options);

        Assert.NotEmpty(first);
        Assert.Equal(first, second);
    }

    [Fact]
    public void EnumerateGivesTheSameEventsAsRun()
    {
        var simulator = new ContactCentreSimulator(new SimulationOptions { Seed = 5, Duration = TimeSpan.FromHours(12) });

        Assert.Equal(Collect(simulator.Options), simulator.Enumerate().ToList());
    }

    [Fact]
    public void DifferentSeedsGiveDifferentEvents()
    {
        var first = Collect(new SimulationOptions { Seed = 1, Duration = TimeSpan.FromHours(12) });
        var second = Collect(new SimulationOptions { Seed = 2, Duration = TimeSpan.FromHours(12) });

        Assert.NotEqual(first, second);
    }

    [Fact]
    public void EventsAreInNonDecreasingTimeOrderWithinThePeriod()
    {
        var events = DefaultDay.Value;
        var options = new SimulationOptions();
        var start = options.Start.ToUnixTimeMilliseconds();
        var end = (options.Start + options.Duration).ToUnixTimeMilliseconds();

        Assert.InRange(events[0].UnixTimeMs, start, end - 1);
        for (var i = 1; i < events.Count; i++)
        {
            Assert.True(events[i].UnixTimeMs >= events[i - 1].UnixTimeMs, $"event {i} goes back in time");
        }

        Assert.InRange(events[^1].UnixTimeMs, start, end - 1);
    }

    [Fact]
    public void ADefaultDayHasTheVolumeOfASmallCentre()
    {
        var events = DefaultDay.Value;

        Assert.InRange(events.Count, 8_000, 30_000);
        Assert.InRange(events.Count(e => e.Kind == ContactEventKind.CallQueued), 1_300, 2_300);
        Assert.Equal(30, events.Count(e => e.Kind == ContactEventKind.AgentLoggedIn));
        Assert.Equal(30, events.Count(e => e.Kind == ContactEventKind.AgentLoggedOut));
    }

    [Fact]
    public void EveryCallHasAConsistentLifeCycle()
    {
        var checker = new LifeCycleChecker();
        foreach (var e in DefaultDay.Value)
        {
            checker.Apply(e);
        }

        // The default day ends at midnight, hours after the last shift: nothing may be left open.
        Assert.Empty(checker.OpenCalls);
        Assert.Empty(checker.BusyAgents);
        Assert.Empty(checker.LoggedIn);
        Assert.True(checker.Answered > 1_000, $"only {checker.Answered} calls answered");
    }

    [Fact]
    public void LifeCyclesStayConsistentOverAWeekWithAnotherSeed()
    {
        var checker = new LifeCycleChecker();
        new ContactCentreSimulator(new SimulationOptions { Seed = 99, Duration = TimeSpan.FromDays(7) })
            .Run(new DelegateSink(checker.Apply));

        Assert.Empty(checker.OpenCalls);
        Assert.Empty(checker.BusyAgents);
        Assert.True(checker.Answered > 7_000, $"only {checker.Answered} calls answered");
    }

    [Fact]
    public void AZoneWithDaylightSavingTimeRunsThroughTheChange()
    {
        // Europe/Berlin falls back on 2025-10-26: that local day has 25 hours.
        var options = new SimulationOptions
        {
            Seed = 8,
            TimeZone = "Europe/Berlin",
            Start = new DateTimeOffset(2025, 10, 25, 0, 0, 0, TimeSpan.FromHours(2)),
            Duration = TimeSpan.FromDays(3),
        };
        var checker = new LifeCycleChecker();
        var last = long.MinValue;

        new ContactCentreSimulator(options).Run(new DelegateSink(e =>
        {
            Assert.True(e.UnixTimeMs >= last);
            last = e.UnixTimeMs;
            checker.Apply(e);
        }));

        Assert.Empty(checker.OpenCalls);
        Assert.True(checker.Answered > 2_000, $"only {checker.Answered} calls answered");
    }

    [Fact]
    public void StartingMidShiftLogsTheAgentsOnShiftInAtTheStart()
    {
        var options = new SimulationOptions { Start = new DateTimeOffset(2025, 11, 3, 14, 0, 0, Shanghai), Duration = TimeSpan.FromHours(1) };

        var events = Collect(options);

        // All three default shift patterns cover 14:00.
        var atStart = events.TakeWhile(e => e.UnixTimeMs == options.Start.ToUnixTimeMilliseconds()).ToList();
        Assert.Equal(30, atStart.Count(e => e.Kind == ContactEventKind.AgentLoggedIn));
        Assert.Contains(events, e => e.Kind == ContactEventKind.CallAnswered);
    }

    [Fact]
    public void MoreCallsArriveInTheMorningThanAtNight()
    {
        var arrivals = DefaultDay.Value.Where(e => e.Kind == ContactEventKind.CallQueued).Select(e => LocalHour(e)).ToList();

        var morning = arrivals.Count(h => h is >= 9 and < 12);
        var night = arrivals.Count(h => h is >= 2 and < 5);

        Assert.True(morning > 10 * Math.Max(1, night), $"{morning} calls between 09 and 12, {night} between 02 and 05");
    }

    [Fact]
    public void NightCallsFindNoAgentAndExitEmpty()
    {
        var nightCalls = DefaultDay.Value
            .Where(e => e.Kind == ContactEventKind.CallQueued && LocalHour(e) is >= 1 and < 6)
            .Select(e => e.CallId)
            .ToHashSet(StringComparer.Ordinal);
        var exits = DefaultDay.Value.Where(e => e.Kind == ContactEventKind.CallExitedEmpty && nightCalls.Contains(e.CallId)).ToList();

        Assert.NotEmpty(nightCalls);
        Assert.Equal(nightCalls.Count, exits.Count);
        Assert.All(exits, e => Assert.Equal(0, e.WaitMs));
    }

    [Fact]
    public void SomeCallersAbandonWithinFiveSeconds()
    {
        var abandons = DefaultDay.Value.Where(e => e.Kind == ContactEventKind.CallAbandoned).ToList();

        Assert.Contains(abandons, e => e.WaitMs < 5_000);
        Assert.Contains(abandons, e => e.WaitMs > 30_000);
    }

    [Fact]
    public void CallersLeaveInEveryWayAQueueAllows()
    {
        var events = Collect(new SimulationOptions { Seed = 7, Duration = TimeSpan.FromDays(3) });

        Assert.Contains(events, e => e.Kind == ContactEventKind.CallTimedOut);
        Assert.Contains(events, e => e.Kind == ContactEventKind.CallExitedWithKey && e.Reason == "1");
        Assert.Contains(events, e => e.Kind == ContactEventKind.RingNoAnswer && e.RingMs > 0);
        Assert.Contains(events, e => e.Kind == ContactEventKind.CallTransferred);
        Assert.Contains(events, e => e.Kind == ContactEventKind.CallResumed && e.HoldMs > 0);
        Assert.Contains(events, e => e.Kind == ContactEventKind.AgentPaused && e.Reason == "lunch");
    }

    [Fact]
    public void TimeoutsHappenAtTheQueuesMaximumWait()
    {
        var options = new SimulationOptions { Seed = 7, Duration = TimeSpan.FromDays(3) };
        var maxWait = options.Queues.ToDictionary(q => q.Id, q => (long)q.MaxWait.TotalMilliseconds, StringComparer.Ordinal);

        var timeouts = Collect(options).Where(e => e.Kind == ContactEventKind.CallTimedOut).ToList();

        Assert.All(timeouts, e => Assert.Equal(maxWait[e.Queue], e.WaitMs));
    }

    [Fact]
    public void AnsweredCallsCarryWaitRingAndTalkTimes()
    {
        var events = DefaultDay.Value;
        var answered = events.Where(e => e.Kind == ContactEventKind.CallAnswered).ToList();
        var ended = events.Where(e => e.Kind is ContactEventKind.CallCompleted or ContactEventKind.CallTransferred)
            .ToDictionary(e => e.CallId, StringComparer.Ordinal);

        Assert.All(answered, e =>
        {
            Assert.InRange(e.RingMs!.Value, 1_000, 15_000);
            Assert.True(e.WaitMs >= e.RingMs, "the wait includes the ring");
            var end = ended[e.CallId];
            Assert.Equal(e.WaitMs, end.WaitMs);
            Assert.Equal(end.UnixTimeMs - e.UnixTimeMs, end.TalkMs);
            Assert.Equal(e.Agent, end.Agent);
        });
    }

    [Fact]
    public void OutboundConnectRateIsPlausibleForOneDay()
    {
        var attempts = DefaultDay.Value.Where(e => e.Kind == ContactEventKind.OutboundAttempt && e.Campaign == "sales-q4").ToList();

        var connectRate = attempts.Count(e => e.Result == OutboundResult.Connected) / (double)attempts.Count;

        Assert.True(attempts.Count > 1_000, $"only {attempts.Count} attempts");
        Assert.InRange(connectRate, 0.30, 0.40);
    }

    [Fact]
    public void OutboundAttemptsCarryTheirDurationsAndConnectedOnesAreDisposed()
    {
        var events = DefaultDay.Value;
        var attempts = events.Where(e => e.Kind == ContactEventKind.OutboundAttempt).ToList();
        var dispositions = events.Where(e => e.Kind == ContactEventKind.Disposition && e.Campaign is not null)
            .ToDictionary(e => e.CallId, StringComparer.Ordinal);

        Assert.All(attempts, e =>
        {
            Assert.False(string.IsNullOrEmpty(e.Customer));
            Assert.False(string.IsNullOrEmpty(e.Agent));
            Assert.False(string.IsNullOrEmpty(e.CallId));
            Assert.NotNull(e.RingMs);
            Assert.Equal(e.Result == OutboundResult.Connected, e.TalkMs > 0);
            Assert.Equal(e.Result == OutboundResult.Connected, dispositions.ContainsKey(e.CallId));
        });
        Assert.Equal(attempts.Count(e => e.Result == OutboundResult.Connected), dispositions.Count);

        var sales = dispositions.Values.Where(d => d.Campaign == "sales-q4").ToList();
        var conversion = sales.Count(d => d.Converted) / (double)sales.Count;
        Assert.InRange(conversion, 0.10, 0.20);
        Assert.All(sales.Where(d => d.Converted), d => Assert.Equal("sale", d.Reason));
    }

    [Fact]
    public void TheCallbackCampaignRecontactsEarlierCustomers()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var repeats = 0;
        var callbackAttempts = 0;
        foreach (var e in DefaultDay.Value)
        {
            if (e.Kind == ContactEventKind.OutboundAttempt && e.Campaign == "callback")
            {
                callbackAttempts++;
                if (seen.Contains(e.Customer!))
                {
                    repeats++;
                }
            }

            if (e.Customer is { } customer)
            {
                seen.Add(customer);
            }
        }

        Assert.True(callbackAttempts > 20, $"only {callbackAttempts} callback attempts");

        // Every callback is someone who called, was called or asked to be called earlier.
        Assert.Equal(callbackAttempts, repeats);
    }

    [Fact]
    public void CustomersConvertOnTheRepeatContact()
    {
        var events = Collect(new SimulationOptions { Seed = 3, Duration = TimeSpan.FromDays(2) });

        Assert.Contains(events, e => e.Kind == ContactEventKind.Disposition && e.Campaign == "callback" && e.Converted);
        Assert.Contains(events, e => e.Kind == ContactEventKind.Disposition && e.Complaint);
    }

    [Fact]
    public async Task LiveModeReleasesAnEventOnlyOnceTheClockReachesIt()
    {
        // Start mid-morning so that some agents are already on shift and calls follow quickly.
        var options = new SimulationOptions
        {
            Seed = 11,
            Start = new DateTimeOffset(2025, 11, 3, 10, 0, 0, Shanghai),
            Duration = TimeSpan.FromMinutes(20),
        };
        var simulator = new ContactCentreSimulator(options);
        var expected = simulator.Enumerate().Take(150).ToList();
        var clock = new FakeTimeProvider(options.Start);
        var waited = 0;

        await using (var live = simulator.RunLiveAsync(clock).GetAsyncEnumerator())
        {
            foreach (var next in expected)
            {
                var moved = live.MoveNextAsync();
                var due = DateTimeOffset.FromUnixTimeMilliseconds(next.UnixTimeMs);
                if (due > clock.GetUtcNow())
                {
                    waited++;
                    Assert.False(moved.IsCompleted, "released before its time");
                    clock.Advance(due - clock.GetUtcNow() - TimeSpan.FromMilliseconds(1));
                    Assert.False(moved.IsCompleted, "released a millisecond early");
                    clock.Advance(TimeSpan.FromMilliseconds(1));
                }

                Assert.True(await moved.AsTask().WaitAsync(TimeSpan.FromSeconds(10)), "not released once due");
                Assert.Equal(next, live.Current);
            }
        }

        Assert.True(waited > 20, $"only {waited} events had to wait for the clock");
    }

    [Fact]
    public async Task LiveModeReleasesEventsAlreadyDueAtOnceAndStopsOnCancellation()
    {
        var options = new SimulationOptions { Seed = 12, Start = new DateTimeOffset(2025, 11, 3, 9, 0, 0, Shanghai), Duration = Timeout.InfiniteTimeSpan };
        var clock = new FakeTimeProvider(options.Start + TimeSpan.FromMinutes(30));
        using var cancellation = new CancellationTokenSource();
        var released = 0;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var e in new ContactCentreSimulator(options).RunLiveAsync(clock, cancellation.Token))
            {
                Assert.True(e.UnixTimeMs <= clock.GetUtcNow().ToUnixTimeMilliseconds());
                if (++released == 100)
                {
                    await cancellation.CancelAsync();
                }
            }
        });

        Assert.Equal(100, released);
    }

    [Fact]
    public void RunNeedsAnEnd()
    {
        var simulator = new ContactCentreSimulator(new SimulationOptions { Duration = Timeout.InfiniteTimeSpan });

        Assert.Throws<InvalidOperationException>(() => simulator.Run(new DelegateSink(_ => { })));
    }

    [Fact]
    public void BadOptionsAreRejectedNamingTheKey()
    {
        var zone = Assert.Throws<ArgumentException>(() => new ContactCentreSimulator(new SimulationOptions { TimeZone = "Mars/Olympus" }));
        Assert.Contains("TimeZone", zone.Message, StringComparison.Ordinal);

        var team = Assert.Throws<ArgumentException>(() => new ContactCentreSimulator(new SimulationOptions
        {
            Teams = [new TeamDefinition("t", "T", 3, ["nowhere"])],
        }));
        Assert.Contains("Teams[0].Queues", team.Message, StringComparison.Ordinal);

        var rate = Assert.Throws<ArgumentException>(() => new ContactCentreSimulator(new SimulationOptions
        {
            Outbound = new OutboundCampaignOptions { ConnectRate = 0.9, BusyRate = 0.2 },
        }));
        Assert.Contains("Outbound.ConnectRate", rate.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ScaledOptionsGiveProportionallyMoreCalls()
    {
        var options = new SimulationOptions { Seed = 4, Duration = TimeSpan.FromHours(12) };
        var small = Collect(options).Count(e => e.Kind == ContactEventKind.CallQueued);
        var large = Collect(options.ScaledBy(4)).Count(e => e.Kind == ContactEventKind.CallQueued);

        Assert.Equal(120, options.ScaledBy(4).AgentCount);
        Assert.InRange(large / (double)small, 3.4, 4.6);
    }

    private static List<ContactEvent> Collect(SimulationOptions options)
    {
        var events = new List<ContactEvent>();
        new ContactCentreSimulator(options).Run(new DelegateSink(e => events.Add(e)));
        return events;
    }

    private static int LocalHour(ContactEvent e) =>
        DateTimeOffset.FromUnixTimeMilliseconds(e.UnixTimeMs).ToOffset(Shanghai).Hour;

    private sealed class DelegateSink(Action<ContactEvent> accept) : IContactEventSink
    {
        public void Accept(in ContactEvent contactEvent) => accept(contactEvent);
    }

    /// <summary>Replays events through the states a call and an agent may be in, failing on any impossible step.</summary>
    private sealed class LifeCycleChecker
    {
        private readonly Dictionary<string, CallLife> _calls = new(StringComparer.Ordinal);
        private readonly Dictionary<string, HashSet<string>> _membership = new(StringComparer.Ordinal);
        private readonly HashSet<string> _paused = new(StringComparer.Ordinal);

        private enum Phase
        {
            Waiting,
            Ringing,
            Talking,
            WrapUp,
            Done,
        }

        public HashSet<string> LoggedIn { get; } = new(StringComparer.Ordinal);

        /// <summary>Agent → the inbound call it is ringing with, talking on or wrapping up.</summary>
        public Dictionary<string, string> BusyAgents { get; } = new(StringComparer.Ordinal);

        public IEnumerable<string> OpenCalls => _calls.Where(c => c.Value.Phase != Phase.Done).Select(c => c.Key);

        public int Answered { get; private set; }

        public void Apply(ContactEvent e)
        {
            switch (e.Kind)
            {
                case ContactEventKind.AgentLoggedIn:
                    Assert.True(LoggedIn.Add(e.Agent), $"{e.Agent} logged in twice");
                    _membership[e.Agent] = new HashSet<string>(StringComparer.Ordinal);
                    break;
                case ContactEventKind.MemberAdded:
                    Assert.Contains(e.Agent, LoggedIn);
                    _membership[e.Agent].Add(e.Queue);
                    break;
                case ContactEventKind.MemberRemoved:
                    Assert.False(BusyAgents.ContainsKey(e.Agent), $"{e.Agent} left a queue while busy");
                    Assert.True(_membership[e.Agent].Remove(e.Queue));
                    break;
                case ContactEventKind.AgentLoggedOut:
                    Assert.False(BusyAgents.ContainsKey(e.Agent), $"{e.Agent} logged out while busy");
                    Assert.False(_paused.Contains(e.Agent), $"{e.Agent} logged out while paused");
                    Assert.True(LoggedIn.Remove(e.Agent));
                    Assert.Empty(_membership[e.Agent]);
                    break;
                case ContactEventKind.AgentPaused:
                    Assert.Contains(e.Agent, LoggedIn);
                    Assert.False(BusyAgents.ContainsKey(e.Agent), $"{e.Agent} paused while busy");
                    Assert.True(_paused.Add(e.Agent));
                    Assert.False(string.IsNullOrEmpty(e.Reason));
                    break;
                case ContactEventKind.AgentUnpaused:
                    Assert.True(_paused.Remove(e.Agent));
                    break;
                case ContactEventKind.CallQueued:
                    Assert.False(_calls.ContainsKey(e.CallId), $"{e.CallId} queued twice");
                    Assert.False(string.IsNullOrEmpty(e.Customer));
                    _calls[e.CallId] = new CallLife { Queue = e.Queue, QueuedAt = e.UnixTimeMs };
                    break;
                case ContactEventKind.CallRinging:
                {
                    var call = Expect(e, Phase.Waiting);
                    Assert.Contains(e.Agent, LoggedIn);
                    Assert.Contains(e.Queue, _membership[e.Agent]);
                    Assert.DoesNotContain(e.Agent, _paused);
                    Assert.False(BusyAgents.ContainsKey(e.Agent), $"{e.Agent} rung while busy with {BusyAgents.GetValueOrDefault(e.Agent)}");
                    BusyAgents[e.Agent] = e.CallId;
                    call.Phase = Phase.Ringing;
                    call.Agent = e.Agent;
                    break;
                }

                case ContactEventKind.RingNoAnswer:
                case ContactEventKind.RingCanceled:
                {
                    var call = Expect(e, Phase.Ringing);
                    Assert.Equal(call.Agent, e.Agent);
                    BusyAgents.Remove(e.Agent);
                    call.Phase = Phase.Waiting;
                    break;
                }

                case ContactEventKind.CallAnswered:
                {
                    var call = Expect(e, Phase.Ringing);
                    Assert.Equal(call.Agent, e.Agent);
                    Assert.DoesNotContain(e.Agent, _paused);
                    Assert.Equal(e.UnixTimeMs - call.QueuedAt, e.WaitMs);
                    call.Phase = Phase.Talking;
                    Answered++;
                    break;
                }

                case ContactEventKind.CallHeld:
                case ContactEventKind.CallResumed:
                    Assert.Equal(_calls[e.CallId].Agent, e.Agent);
                    Expect(e, Phase.Talking);
                    break;
                case ContactEventKind.CallCompleted:
                case ContactEventKind.CallTransferred:
                    Expect(e, Phase.Talking).Phase = Phase.WrapUp;
                    Assert.Equal(BusyAgents[e.Agent], e.CallId);
                    break;
                case ContactEventKind.WrapUpEnded when e.Campaign is null:
                    Expect(e, Phase.WrapUp).Phase = Phase.Done;
                    Assert.True(BusyAgents.Remove(e.Agent));
                    Assert.True(e.WrapUpMs > 0);
                    break;
                case ContactEventKind.Disposition when e.Campaign is null:
                    Expect(e, Phase.WrapUp);
                    break;
                case ContactEventKind.CallAbandoned:
                case ContactEventKind.CallTimedOut:
                case ContactEventKind.CallExitedWithKey:
                case ContactEventKind.CallExitedEmpty:
                {
                    // A caller can only leave while not (or no longer) ringing: a cancelled ring comes first.
                    var call = Expect(e, Phase.Waiting);
                    Assert.Equal(e.UnixTimeMs - call.QueuedAt, e.WaitMs);
                    call.Phase = Phase.Done;
                    break;
                }

                case ContactEventKind.OutboundAttempt:
                    Assert.Contains(e.Agent, LoggedIn);
                    Assert.DoesNotContain(e.Agent, _paused);
                    Assert.False(BusyAgents.ContainsKey(e.Agent));
                    break;
                default:
                    break;
            }
        }

        private CallLife Expect(ContactEvent e, Phase phase)
        {
            Assert.True(_calls.TryGetValue(e.CallId, out var call), $"{e.Kind} for unknown call {e.CallId}");
            Assert.True(call.Phase == phase, $"{e.Kind} for {e.CallId} in phase {call.Phase}, expected {phase}");
            Assert.Equal(call.Queue, e.Queue);
            return call;
        }

        private sealed class CallLife
        {
            public required string Queue { get; init; }

            public long QueuedAt { get; init; }

            public Phase Phase { get; set; }

            public string Agent { get; set; } = "";
        }
    }
}
