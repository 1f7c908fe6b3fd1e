using System.Text;
using Wallboard.Ingest.Aliases;
using Wallboard.Ingest.Json;
using Wallboard.Ingest.Model;

namespace Wallboard.Tests;

public sealed class JsonEventParserTests
{
    // 2024-05-01T09:30:00Z
    private const long T0 = 1714555800000;

    private static ContactEvent Parse(string line)
    {
        var status = new JsonEventParser().Parse(Encoding.UTF8.GetBytes(line), out var e, out var error);
        Assert.True(status == JsonParseStatus.Event, $"{status}: {error}");
        return e;
    }

    private static string Malformed(string line)
    {
        var status = new JsonEventParser().Parse(Encoding.UTF8.GetBytes(line), out _, out var error);
        Assert.Equal(JsonParseStatus.Malformed, status);
        Assert.NotNull(error);
        return error;
    }

    private static ContactEvent Call(ContactEventKind kind, string agent = "") =>
        new() { Kind = kind, UnixTimeMs = T0, CallId = "c1", Queue = "sales", Agent = agent };

    [Fact]
    public void CallQueuedCarriesTheCallerAsCustomer() => Assert.Equal(
        Call(ContactEventKind.CallQueued) with { Customer = "+4930123" },
        Parse("""{"type":"call_queued","time":"2024-05-01T09:30:00Z","call_id":"c1","queue":"sales","caller":"+4930123"}"""));

    [Fact]
    public void RingingAndRingNoAnswer()
    {
        Assert.Equal(
            Call(ContactEventKind.CallRinging, "a7"),
            Parse("""{"type":"call_ringing","time":"2024-05-01T09:30:00Z","call_id":"c1","queue":"sales","agent":"a7"}"""));
        Assert.Equal(
            Call(ContactEventKind.RingNoAnswer, "a7") with { RingMs = 15_000 },
            Parse("""{"type":"ring_no_answer","time":"2024-05-01T09:30:00Z","call_id":"c1","queue":"sales","agent":"a7","ring_seconds":15}"""));
    }

    [Fact]
    public void CallAnsweredWithAndWithoutRingTime()
    {
        Assert.Equal(
            Call(ContactEventKind.CallAnswered, "a7") with { WaitMs = 31_500, RingMs = 4_000 },
            Parse("""{"type":"call_answered","time":"2024-05-01T11:30:00+02:00","call_id":"c1","queue":"sales","agent":"a7","wait_seconds":31.5,"ring_seconds":4}"""));
        Assert.Equal(
            Call(ContactEventKind.CallAnswered, "a7") with { WaitMs = 0 },
            Parse("""{"type":"call_answered","time":"2024-05-01T09:30:00Z","call_id":"c1","queue":"sales","agent":"a7","wait_seconds":0}"""));
    }

    [Fact]
    public void HeldAndResumed()
    {
        Assert.Equal(
            Call(ContactEventKind.CallHeld, "a7"),
            Parse("""{"type":"call_held","time":1714555800,"call_id":"c1","queue":"sales","agent":"a7"}"""));
        Assert.Equal(
            Call(ContactEventKind.CallResumed, "a7") with { HoldMs = 45_250 },
            Parse("""{"type":"call_resumed","time":1714555800,"call_id":"c1","queue":"sales","agent":"a7","hold_seconds":45.25}"""));
        Assert.Equal(
            Call(ContactEventKind.CallResumed, "a7"),
            Parse("""{"type":"call_resumed","time":1714555800,"call_id":"c1","queue":"sales","agent":"a7"}"""));
    }

    [Fact]
    public void CallEndedIsCompletedOrTransferred()
    {
        Assert.Equal(
            Call(ContactEventKind.CallCompleted, "a7") with { WaitMs = 12_000, TalkMs = 95_000, HoldMs = 5_000 },
            Parse("""{"type":"call_ended","time":"2024-05-01T09:30:00Z","call_id":"c1","queue":"sales","agent":"a7","wait_seconds":12,"talk_seconds":95,"hold_seconds":5,"transferred":false}"""));
        Assert.Equal(
            Call(ContactEventKind.CallTransferred, "a7") with { WaitMs = 12_000, TalkMs = 95_000 },
            Parse("""{"type":"call_ended","time":"2024-05-01T09:30:00Z","call_id":"c1","queue":"sales","agent":"a7","wait_seconds":12,"talk_seconds":95,"transferred":true}"""));
    }

    [Fact]
    public void AbandonedAndTheThreeWaysOfExiting()
    {
        Assert.Equal(
            Call(ContactEventKind.CallAbandoned) with { WaitMs = 48_000 },
            Parse("""{"type":"call_abandoned","time":"2024-05-01T09:30:00Z","call_id":"c1","queue":"sales","wait_seconds":48}"""));
        Assert.Equal(
            Call(ContactEventKind.CallTimedOut) with { WaitMs = 300_000 },
            Parse("""{"type":"call_exited","time":"2024-05-01T09:30:00Z","call_id":"c1","queue":"sales","wait_seconds":300,"reason":"timeout"}"""));
        Assert.Equal(
            Call(ContactEventKind.CallExitedWithKey) with { WaitMs = 65_000, Reason = "1" },
            Parse("""{"type":"call_exited","time":"2024-05-01T09:30:00Z","call_id":"c1","queue":"sales","wait_seconds":65,"reason":"key","key":"1"}"""));
        Assert.Equal(
            Call(ContactEventKind.CallExitedEmpty) with { WaitMs = 0 },
            Parse("""{"type":"call_exited","time":"2024-05-01T09:30:00Z","call_id":"c1","queue":"sales","wait_seconds":0,"reason":"empty"}"""));
    }

    [Fact]
    public void WrapUpEnded() => Assert.Equal(
        Call(ContactEventKind.WrapUpEnded, "a7") with { WrapUpMs = 60_000 },
        Parse("""{"type":"wrapup_ended","time":"2024-05-01T09:30:00Z","call_id":"c1","queue":"sales","agent":"a7","wrapup_seconds":60}"""));

    [Fact]
    public void DispositionCarriesOutcomeCampaignAndFlags()
    {
        var expected = new ContactEvent
        {
            Kind = ContactEventKind.Disposition,
            UnixTimeMs = T0,
            CallId = "o1",
            Queue = "",
            Agent = "a7",
            Campaign = "spring",
            Customer = "+4930987",
            Reason = "renewed",
            Converted = true,
        };
        Assert.Equal(expected, Parse("""{"type":"disposition","time":"2024-05-01T09:30:00Z","call_id":"o1","agent":"a7","campaign":"spring","customer":"+4930987","outcome":"renewed","converted":true}"""));
        Assert.Equal(
            expected with { Queue = "support", Reason = "complaint", Converted = false, Complaint = true },
            Parse("""{"type":"disposition","time":"2024-05-01T09:30:00Z","call_id":"o1","queue":"support","agent":"a7","campaign":"spring","customer":"+4930987","outcome":"complaint","converted":false,"complaint":true}"""));
    }

    [Theory]
    [InlineData("logged_in", ContactEventKind.AgentLoggedIn)]
    [InlineData("logged_out", ContactEventKind.AgentLoggedOut)]
    [InlineData("available", ContactEventKind.AgentAvailable)]
    [InlineData("paused", ContactEventKind.AgentPaused)]
    public void AgentStates(string state, ContactEventKind kind) => Assert.Equal(
        new ContactEvent { Kind = kind, UnixTimeMs = T0, CallId = "", Queue = "sales", Agent = "a7", Reason = "lunch" },
        Parse($$"""{"type":"agent_state","time":"2024-05-01T09:30:00Z","agent":"a7","queue":"sales","state":"{{state}}","reason":"lunch"}"""));

    [Theory]
    [InlineData("connected", OutboundResult.Connected)]
    [InlineData("no_answer", OutboundResult.NoAnswer)]
    [InlineData("busy", OutboundResult.Busy)]
    [InlineData("failed", OutboundResult.Failed)]
    public void OutboundAttempts(string result, OutboundResult expected) => Assert.Equal(
        new ContactEvent
        {
            Kind = ContactEventKind.OutboundAttempt,
            UnixTimeMs = T0,
            CallId = "o1",
            Queue = "",
            Agent = "a7",
            Campaign = "spring",
            Customer = "+4930987",
            Result = expected,
            RingMs = 8_000,
            TalkMs = 212_000,
        },
        Parse($$"""{"type":"outbound_attempt","time":"2024-05-01T09:30:00Z","call_id":"o1","campaign":"spring","agent":"a7","customer":"+4930987","result":"{{result}}","ring_seconds":8,"talk_seconds":212}"""));

    [Theory]
    [InlineData("1714555800", T0)]
    [InlineData("1714555800.25", T0 + 250)]
    [InlineData("1714555800.0004", T0)]
    [InlineData("1714555800.0005", T0 + 1)] // half a millisecond rounds up
    [InlineData("1.7145558e9", T0)]
    [InlineData("\"2024-05-01T09:30:00Z\"", T0)]
    [InlineData("\"2024-05-01T11:30:00.123+02:00\"", T0 + 123)]
    [InlineData("\"2024-05-01T04:30:00-05:00\"", T0)]
    [InlineData("\"2024-05-01T11:30:00\\u002B02:00\"", T0)] // System.Text.Json escapes '+' by default
    public void TimeIsIsoWithOffsetOrUnixSeconds(string time, long expected) =>
        Assert.Equal(expected, Parse($$"""{"type":"agent_state","time":{{time}},"agent":"a7","state":"available"}""").UnixTimeMs);

    [Theory]
    [InlineData("0.0005", 1)]
    [InlineData("1.2344", 1234)]
    [InlineData("2.5", 2500)]
    [InlineData("1e2", 100_000)]
    public void SecondsBecomeMillisecondsRoundedToNearest(string seconds, long ms) =>
        Assert.Equal(ms, Parse($$"""{"type":"call_abandoned","time":1714555800,"call_id":"c1","queue":"q","wait_seconds":{{seconds}}}""").WaitMs);

    [Theory]
    [InlineData("""{"type":"call_abandoned","time":1714555800,"call_id":"c1","queue":"q","wait_seconds":-3}""", "field \"wait_seconds\": -3 is negative")]
    [InlineData("""{"type":"call_abandoned","time":1714555800,"call_id":"c1","queue":"q","wait_seconds":"3"}""", "field \"wait_seconds\": \"3\" is not a number of seconds")]
    [InlineData("""{"type":"call_abandoned","time":1714555800,"call_id":"c1","queue":"q","wait_seconds":1e300}""", "field \"wait_seconds\": 1e300 is too large")]
    [InlineData("""{"type":"call_abandoned","time":1714555800,"call_id":"c1","wait_seconds":3}""", "field \"queue\" is missing")]
    [InlineData("""{"type":"call_abandoned","time":1714555800,"call_id":"c1","queue":null,"wait_seconds":3}""", "field \"queue\" is missing")]
    [InlineData("""{"type":"call_abandoned","call_id":"c1","queue":"q","wait_seconds":3}""", "field \"time\" is missing")]
    [InlineData("""{"time":1714555800,"call_id":"c1"}""", "field \"type\" is missing")]
    [InlineData("""{"type":7,"time":1714555800}""", "field \"type\": 7 is not a string")]
    [InlineData("""{"type":"call_abandoned","time":1714555800,"call_id":["c1"],"queue":"q","wait_seconds":3}""", "field \"call_id\": an array is not a string")]
    [InlineData("""{"type":"call_ended","time":1714555800,"call_id":"c1","queue":"q","agent":"a","wait_seconds":1,"talk_seconds":2,"transferred":"yes"}""", "field \"transferred\": \"yes\" is not true or false")]
    [InlineData("""{"type":"agent_state","time":1714555800,"agent":"a7","state":"sleeping"}""", "field \"state\": \"sleeping\" is not one of logged_in, logged_out, available, paused")]
    [InlineData("""{"type":"call_exited","time":1714555800,"call_id":"c1","queue":"q","wait_seconds":3,"reason":"bored"}""", "field \"reason\": \"bored\" is not one of timeout, key, empty, withdrawn")]
    [InlineData("""{"type":"call_exited","time":1714555800,"call_id":"c1","queue":"q","wait_seconds":3,"reason":"key"}""", "field \"key\" is missing")]
    [InlineData("""{"type":"outbound_attempt","time":1714555800,"call_id":"o1","campaign":"c","agent":"a","customer":"x","result":"maybe","ring_seconds":1,"talk_seconds":0}""", "field \"result\": \"maybe\" is not one of connected, no_answer, busy, failed")]
    [InlineData("""{"type":"agent_state","time":"2024-05-01T09:30:00","agent":"a7","state":"available"}""", "field \"time\": \"2024-05-01T09:30:00\" has no UTC offset (add Z or +hh:mm)")]
    [InlineData("""{"type":"agent_state","time":"yesterday","agent":"a7","state":"available"}""", "field \"time\": \"yesterday\" is not an ISO 8601 time")]
    [InlineData("""{"type":"agent_state","time":true,"agent":"a7","state":"available"}""", "field \"time\": true is not an ISO 8601 time or Unix seconds")]
    [InlineData("""{"type":"agent_state","time":1e20,"agent":"a7","state":"available"}""", "field \"time\": 1e20 is out of range for Unix seconds")]
    [InlineData("""[1,2]""", "not a JSON object: starts with an array")]
    [InlineData("""42""", "not a JSON object: starts with 42")]
    public void MalformedLinesNameTheFieldAndTheValue(string line, string message) =>
        Assert.Equal(message, Malformed(line));

    [Theory]
    [InlineData("""{"type":"call_abandoned",""")]
    [InlineData("""{"type":"call_abandoned"} trailing""")]
    [InlineData("""{"type":"call_abandoned"}{"type":"call_abandoned"}""")]
    [InlineData("""not json""")]
    [InlineData("""{"type":"call_queued","time":1714555800,"call_id":"\ud800","queue":"q","caller":""}""")]
    public void InvalidJsonIsMalformed(string line) =>
        Assert.StartsWith("not valid JSON", Malformed(line), StringComparison.Ordinal);

    [Fact]
    public void InvalidUtf8IsMalformed()
    {
        byte[] line = [.. """{"type":"call_queued","time":1714555800,"call_id":"""u8, (byte)'"', 0xC3, 0x28, (byte)'"', (byte)'}'];

        var status = new JsonEventParser().Parse(line, out _, out var error);

        Assert.Equal(JsonParseStatus.Malformed, status);
        Assert.Equal("not valid UTF-8", error);
    }

    [Fact]
    public void UnknownTypeIsUnknownNotMalformed()
    {
        var status = new JsonEventParser().Parse("""{"type":"call_parked","time":"whenever"}"""u8, out _, out var error);

        Assert.Equal(JsonParseStatus.Unknown, status);
        Assert.Equal("unknown type \"call_parked\"", error);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   \t")]
    public void BlankLinesAreBlank(string line) =>
        Assert.Equal(JsonParseStatus.Blank, new JsonEventParser().Parse(Encoding.UTF8.GetBytes(line), out _, out _));

    [Fact]
    public void ExtraFieldsOfAnyShapeAreIgnoredAndFieldOrderIsFree()
    {
        var e = Parse("""{"queue":"sales","vendor":{"line":7,"tags":["a",{"b":null}]},"wait_seconds":48,"call_id":"c1","x":null,"time":"2024-05-01T09:30:00Z","type":"call_abandoned"}""");

        Assert.Equal(Call(ContactEventKind.CallAbandoned) with { WaitMs = 48_000 }, e);
    }

    [Fact]
    public void EscapedStringsAreUnescaped()
    {
        var e = Parse("""{"type":"call_queued","time":1714555800,"call_id":"c\"1","queue":"caf\u00e9","caller":"\"Alice\" <201>"}""");

        Assert.Equal("c\"1", e.CallId);
        Assert.Equal("café", e.Queue);
        Assert.Equal("\"Alice\" <201>", e.Customer);
    }

    [Fact]
    public void IdsAreInterned()
    {
        var parser = new JsonEventParser(new IdInterner());
        const string Line = """{"type":"call_ringing","time":1714555800,"call_id":"c-42","queue":"sales","agent":"a7"}""";
        parser.Parse(Encoding.UTF8.GetBytes(Line), out var first, out _);
        parser.Parse(Encoding.UTF8.GetBytes(Line), out var second, out _);

        Assert.Same(first.CallId, second.CallId);
        Assert.Same(first.Queue, second.Queue);
        Assert.Same(first.Agent, second.Agent);
    }

    [Fact]
    public void EveryExampleLineInTheDocsParses()
    {
        var path = Path.Combine(RepositoryPaths.RepositoryRoot, "docs", "events.md");
        var lines = File.ReadAllLines(path).Where(l => l.StartsWith("{\"type\"", StringComparison.Ordinal)).ToList();
        var parser = new JsonEventParser();
        var kinds = new HashSet<ContactEventKind>();

        foreach (var line in lines)
        {
            var status = parser.Parse(Encoding.UTF8.GetBytes(line), out var e, out var error);
            Assert.True(status == JsonParseStatus.Event, $"{line}\n{status}: {error}");
            kinds.Add(e.Kind);
        }

        Assert.Equal(21, lines.Count);
        // Every kind the schema can express appears at least once.
        Assert.Equal(19, kinds.Count);
    }

    [Fact]
    public void AWithdrawnCallIsACallExitedWithReasonWithdrawn()
    {
        var e = Parse("""{"type":"call_exited","time":1714555800,"call_id":"c1","queue":"sales","wait_seconds":42,"reason":"withdrawn"}""");
        Assert.Equal(Call(ContactEventKind.CallWithdrawn) with { WaitMs = 42_000 }, e);
    }

    [Fact]
    public void TheAgentOfAnEventIsResolvedThroughTheAliases()
    {
        var parser = new JsonEventParser(aliases: new AgentAliases(AgentAliasMap.Create([("PJSIP/1001", "Sathish")])));
        parser.Parse("""{"type":"call_answered","time":1714555800,"call_id":"c1","queue":"sales","agent":"PJSIP/1001","wait_seconds":3}"""u8, out var answered, out _);
        parser.Parse("""{"type":"agent_state","time":1714555800,"agent":"a-17","state":"logged_in"}"""u8, out var other, out _);
        Assert.Equal(("Sathish", "a-17"), (answered.Agent, other.Agent));
    }
}
