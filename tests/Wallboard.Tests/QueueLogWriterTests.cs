using Wallboard.Ingest.Model;
using Wallboard.Ingest.QueueLog;

namespace Wallboard.Tests;

public sealed class QueueLogWriterTests
{
    private const long T = 1_700_000_000_500;

    public static TheoryData<ContactEvent> EventsQueueLogCanExpress() =>
    [
        new() { Kind = ContactEventKind.CallQueued, UnixTimeMs = T, CallId = "1700000000.42", Queue = "sales", Agent = "", Customer = "0612345678" },
        new() { Kind = ContactEventKind.CallQueued, UnixTimeMs = T, CallId = "1700000000.42", Queue = "sales", Agent = "" },
        new() { Kind = ContactEventKind.CallAnswered, UnixTimeMs = T, CallId = "1700000000.42", Queue = "sales", Agent = "SIP/1001", WaitMs = 12_000, RingMs = 3_000 },
        new() { Kind = ContactEventKind.CallAnswered, UnixTimeMs = T, CallId = "1700000000.42", Queue = "sales", Agent = "SIP/1001", WaitMs = 12_250 },
        new() { Kind = ContactEventKind.CallCompleted, UnixTimeMs = T, CallId = "1700000000.42", Queue = "sales", Agent = "SIP/1001", WaitMs = 12_000, TalkMs = 88_000 },
        new() { Kind = ContactEventKind.CallTransferred, UnixTimeMs = T, CallId = "1700000000.42", Queue = "sales", Agent = "SIP/1001", WaitMs = 7_000, TalkMs = 120_000 },
        new() { Kind = ContactEventKind.CallAbandoned, UnixTimeMs = T, CallId = "1700000001.7", Queue = "support", Agent = "", WaitMs = 45_000 },
        new() { Kind = ContactEventKind.CallTimedOut, UnixTimeMs = T, CallId = "1700000001.7", Queue = "support", Agent = "", WaitMs = 300_000 },
        new() { Kind = ContactEventKind.CallTimedOut, UnixTimeMs = T, CallId = "1700000001.7", Queue = "support", Agent = "" },
        new() { Kind = ContactEventKind.CallExitedEmpty, UnixTimeMs = T, CallId = "1700000001.7", Queue = "support", Agent = "", WaitMs = 5_000 },
        new() { Kind = ContactEventKind.CallExitedWithKey, UnixTimeMs = T, CallId = "1700000001.7", Queue = "support", Agent = "", WaitMs = 20_000, Reason = "5" },
        new() { Kind = ContactEventKind.RingNoAnswer, UnixTimeMs = T, CallId = "1700000000.42", Queue = "sales", Agent = "SIP/1002", RingMs = 15_001 },
        new() { Kind = ContactEventKind.RingCanceled, UnixTimeMs = T, CallId = "1700000000.42", Queue = "sales", Agent = "SIP/1002", RingMs = 2_345 },
        new() { Kind = ContactEventKind.MemberAdded, UnixTimeMs = T, CallId = "", Queue = "sales", Agent = "SIP/1001" },
        new() { Kind = ContactEventKind.MemberRemoved, UnixTimeMs = T, CallId = "", Queue = "sales", Agent = "SIP/1001" },
        new() { Kind = ContactEventKind.AgentLoggedIn, UnixTimeMs = T, CallId = "", Queue = "", Agent = "Agent/1001" },
        new() { Kind = ContactEventKind.AgentLoggedOut, UnixTimeMs = T, CallId = "", Queue = "", Agent = "Agent/1001" },
        new() { Kind = ContactEventKind.AgentPaused, UnixTimeMs = T, CallId = "", Queue = "sales", Agent = "SIP/1001", Reason = "lunch" },
        new() { Kind = ContactEventKind.AgentPaused, UnixTimeMs = T, CallId = "", Queue = "", Agent = "SIP/1001" },
        new() { Kind = ContactEventKind.AgentUnpaused, UnixTimeMs = T, CallId = "", Queue = "sales", Agent = "SIP/1001" },
    ];

    [Theory]
    [MemberData(nameof(EventsQueueLogCanExpress))]
    public void ParsingAWrittenLineGivesBackTheEvent(ContactEvent contactEvent)
    {
        using var text = new StringWriter();
        var writer = new QueueLogWriter(text);
        writer.Accept(contactEvent);

        var line = text.ToString();
        Assert.EndsWith("\n", line, StringComparison.Ordinal);
        var result = new QueueLogParser().Parse(line.AsSpan()[..^1], out var parsed, out var error);
        Assert.True(result == QueueLogLineResult.Event, $"{line}: {result} {error}");
        Assert.Equal(contactEvent, parsed);
        Assert.Equal(1, writer.Written);
    }

    [Fact]
    public void AnsweredCallIsWrittenAsAsteriskWouldWriteIt()
    {
        using var text = new StringWriter();
        new QueueLogWriter(text).Accept(new ContactEvent
        {
            Kind = ContactEventKind.CallAnswered,
            UnixTimeMs = 1_700_000_000_000,
            CallId = "1700000000.42",
            Queue = "sales",
            Agent = "SIP/1001",
            WaitMs = 12_000,
            RingMs = 3_000,
        });
        Assert.Equal("1700000000|1700000000.42|sales|SIP/1001|CONNECT|12||3\n", text.ToString());
    }

    [Fact]
    public void MillisecondsBecomeASecondsFraction()
    {
        using var text = new StringWriter();
        new QueueLogWriter(text).Accept(new ContactEvent
        {
            Kind = ContactEventKind.CallAbandoned,
            UnixTimeMs = 1_700_000_000_050,
            CallId = "1.7",
            Queue = "support",
            Agent = "",
            WaitMs = 45_500,
        });
        Assert.Equal("1700000000.050|1.7|support|NONE|ABANDON|1|1|45.500\n", text.ToString());
    }

    [Fact]
    public void SeparatorsInsideValuesCannotBreakTheLine()
    {
        using var text = new StringWriter();
        new QueueLogWriter(text).Accept(new ContactEvent
        {
            Kind = ContactEventKind.AgentPaused,
            UnixTimeMs = 1_700_000_000_000,
            CallId = "",
            Queue = "sales",
            Agent = "SIP/1001",
            Reason = "a|b\nc",
        });
        Assert.Equal("1700000000|NONE|sales|SIP/1001|PAUSE|a b c\n", text.ToString());
    }

    [Theory]
    [InlineData(ContactEventKind.WrapUpEnded)]
    [InlineData(ContactEventKind.Disposition)]
    [InlineData(ContactEventKind.OutboundAttempt)]
    [InlineData(ContactEventKind.CallHeld)]
    [InlineData(ContactEventKind.CallResumed)]
    [InlineData(ContactEventKind.CallRinging)]
    [InlineData(ContactEventKind.AgentAvailable)]
    public void KindsQueueLogCannotExpressAreSkippedAndCounted(ContactEventKind kind)
    {
        using var text = new StringWriter();
        var writer = new QueueLogWriter(text);
        writer.Accept(new ContactEvent { Kind = kind, UnixTimeMs = T, CallId = "1.2", Queue = "q", Agent = "a" });
        Assert.Equal("", text.ToString());
        Assert.Equal(1, writer.Skipped);
        Assert.Equal(0, writer.Written);
        Assert.False(QueueLogWriter.CanWrite(kind));
    }
}
