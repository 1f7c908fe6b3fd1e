using System.Globalization;
using Wallboard.Ingest.Model;
using Wallboard.Metrics;
using Wallboard.Metrics.Engine;

namespace Wallboard.Tests.Metrics;

/// <summary>Builds hand-worked event sequences on one day, with times written as the wall clock in UTC.</summary>
internal sealed class Scenario
{
    private readonly DateTimeOffset _day;
    private readonly List<ContactEvent> _events = [];

    public Scenario(string day = "2026-11-27")
    {
        _day = DateTimeOffset.Parse(day + "T00:00:00Z", CultureInfo.InvariantCulture);
    }

    public IReadOnlyList<ContactEvent> Events => _events;

    public long At(string time) => _day.Add(TimeSpan.Parse(time, CultureInfo.InvariantCulture)).ToUnixTimeMilliseconds();

    public Scenario Add(ContactEventKind kind, string time, string callId = "", string queue = "", string agent = "",
        double? wait = null, double? talk = null, double? ring = null, double? hold = null, double? wrapUp = null,
        string? reason = null, string? campaign = null, string? customer = null,
        OutboundResult result = OutboundResult.None, bool converted = false, bool complaint = false)
    {
        _events.Add(new ContactEvent
        {
            Kind = kind,
            UnixTimeMs = At(time),
            CallId = callId,
            Queue = queue,
            Agent = agent,
            WaitMs = Ms(wait),
            TalkMs = Ms(talk),
            RingMs = Ms(ring),
            HoldMs = Ms(hold),
            WrapUpMs = Ms(wrapUp),
            Reason = reason,
            Campaign = campaign,
            Customer = customer,
            Result = result,
            Converted = converted,
            Complaint = complaint,
        });
        return this;
    }

    public Scenario Queued(string time, string callId, string queue = "q") =>
        Add(ContactEventKind.CallQueued, time, callId, queue);

    public Scenario Answered(string time, string callId, string agent, double wait, double? ring = null, string queue = "q") =>
        Add(ContactEventKind.CallAnswered, time, callId, queue, agent, wait: wait, ring: ring);

    public Scenario Completed(string time, string callId, string agent, double wait, double talk, string queue = "q") =>
        Add(ContactEventKind.CallCompleted, time, callId, queue, agent, wait: wait, talk: talk);

    public Scenario Outcome(ContactEventKind kind, string time, string callId, double wait, string queue = "q") =>
        Add(kind, time, callId, queue, wait: wait);

    public KpiEngine Run(KpiOptions? options = null)
    {
        var engine = new KpiEngine(options ?? new KpiOptions());
        foreach (var e in _events)
        {
            engine.Accept(e);
        }

        return engine;
    }

    private static long? Ms(double? seconds) => seconds is { } s ? (long)Math.Round(s * 1000) : null;
}
