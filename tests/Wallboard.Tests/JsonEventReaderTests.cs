using System.Text;
using Wallboard.Ingest.Json;
using Wallboard.Ingest.Model;

namespace Wallboard.Tests;

public sealed class JsonEventReaderTests
{
    // 2024-05-01T09:30:00Z
    private const long T0 = 1714555800000;

    private const string Abandoned = """{"type":"call_abandoned","time":1714555800,"call_id":"c1","queue":"q","wait_seconds":3}""";

    [Fact]
    public void CountsEveryLineAndReportsBadOnesWithTheirLineNumber()
    {
        var text = "\uFEFF" + Abandoned + "\r\n"          // 1: event, after a byte-order mark, CRLF
            + "\n"                                        // 2: blank, not counted
            + """{"type":"call_parked","time":1}""" + "\n" // 3: unknown
            + "   \n"                                     // 4: blank
            + Abandoned.Replace(":3}", ":-3}", StringComparison.Ordinal) + "\n" // 5: malformed
            + "garbage\n"                                 // 6: malformed
            + Abandoned;                                  // 7: event, no final line break

        var (report, events) = Read(Encoding.UTF8.GetBytes(text));

        Assert.Equal(5, report.LinesRead);
        Assert.Equal(2, report.Events);
        Assert.Equal(1, report.Unknown);
        Assert.Equal(2, report.Malformed);
        Assert.Equal(2, events.Count);
        Assert.Equal("events.ndjson:5: field \"wait_seconds\": -3 is negative", report.Errors[0].ToString());
        Assert.Equal(6, report.Errors[1].Line);
        Assert.Equal(3_000, events[1].WaitMs);
    }

    [Fact]
    public void LinesSplitAcrossReadsAreReassembled()
    {
        var text = string.Join('\n', Enumerable.Repeat(Abandoned, 50));
        var report = new IngestReport();
        var events = new List<ContactEvent>();

        new JsonEventReader().Read(new TrickleStream(Encoding.UTF8.GetBytes(text), 7), "t", new ListSink(events), report);

        Assert.Equal(50, report.Events);
        Assert.Equal(0, report.Malformed);
    }

    [Fact]
    public void AnOverlongLineIsReportedOnceAndReadingGoesOn()
    {
        var longLine = "{\"type\":\"call_abandoned\",\"x\":\"" + new string('x', 500) + "\"}";
        var text = Abandoned + "\n" + longLine + "\n" + Abandoned + "\n" + longLine;
        var report = new IngestReport();
        var events = new List<ContactEvent>();

        new JsonEventReader(maxLineBytes: 200).Read(new TrickleStream(Encoding.UTF8.GetBytes(text), 33), "t", new ListSink(events), report);

        Assert.Equal(2, report.Events);
        Assert.Equal(2, report.Malformed);
        Assert.Equal([2L, 4], report.Errors.Select(e => e.Line));
        Assert.Equal("line is longer than 200 bytes", report.Errors[0].Message);
    }

    [Fact]
    public void ALineOfExactlyTheLimitIsRead()
    {
        var report = new IngestReport();
        var bytes = Encoding.UTF8.GetBytes(Abandoned + "\n" + Abandoned);

        new JsonEventReader(maxLineBytes: Abandoned.Length).Read(new TrickleStream(bytes, 5), "t", new ListSink([]), report);

        Assert.Equal(2, report.Events);
    }

    [Fact]
    public async Task ReadAsyncGivesTheSameResult()
    {
        var text = Abandoned + "\nnope\n" + Abandoned + "\n";
        var report = new IngestReport();
        var events = new List<ContactEvent>();

        await new JsonEventReader().ReadAsync(new MemoryStream(Encoding.UTF8.GetBytes(text)), "t", new ListSink(events), report);

        Assert.Equal(2, report.Events);
        Assert.Equal(2, Assert.Single(report.Errors).Line);
    }

    [Fact]
    public void RandomBytesAndTruncatedLinesNeverThrow()
    {
        var random = new Random(1714555800);
        var docLines = File.ReadAllLines(Path.Combine(RepositoryPaths.RepositoryRoot, "docs", "events.md"))
            .Where(l => l.StartsWith("{\"type\"", StringComparison.Ordinal))
            .ToArray();
        for (var i = 0; i < 500; i++)
        {
            byte[] bytes;
            if (i % 2 == 0)
            {
                bytes = new byte[random.Next(0, 3000)];
                random.NextBytes(bytes);
            }
            else
            {
                // Valid lines cut at random points, with random bytes flipped.
                var builder = new StringBuilder();
                for (var j = 0; j < 10; j++)
                {
                    var line = docLines[random.Next(docLines.Length)];
                    builder.Append(line.AsSpan(0, random.Next(line.Length + 1))).Append('\n');
                }

                bytes = Encoding.UTF8.GetBytes(builder.ToString());
                for (var k = 0; k < 3 && bytes.Length > 0; k++)
                {
                    bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
                }
            }

            var report = new IngestReport();
            new JsonEventReader(maxLineBytes: 1000).Read(new TrickleStream(bytes, 1 + random.Next(64)), "fuzz", new ListSink([]), report);

            Assert.Equal(report.LinesRead, report.Events + report.Unknown + report.Malformed);
        }
    }

    [Fact]
    public void EveryTruncationOfEveryDocLineIsHandled()
    {
        var parser = new JsonEventParser();
        foreach (var line in File.ReadAllLines(Path.Combine(RepositoryPaths.RepositoryRoot, "docs", "events.md"))
            .Where(l => l.StartsWith("{\"type\"", StringComparison.Ordinal)))
        {
            var bytes = Encoding.UTF8.GetBytes(line);
            for (var cut = 1; cut < bytes.Length; cut++)
            {
                var status = parser.Parse(bytes.AsSpan(0, cut), out _, out var error);
                Assert.Equal(JsonParseStatus.Malformed, status);
                Assert.NotNull(error);
            }
        }
    }

    public static TheoryData<ContactEvent> EventsOfEveryType() =>
    [
        new ContactEvent { Kind = ContactEventKind.CallQueued, UnixTimeMs = T0, CallId = "c1", Queue = "sales", Agent = "", Customer = "\"Alice\" <201>" },
        new ContactEvent { Kind = ContactEventKind.CallRinging, UnixTimeMs = T0 + 1, CallId = "c1", Queue = "sales", Agent = "a7" },
        new ContactEvent { Kind = ContactEventKind.RingNoAnswer, UnixTimeMs = T0, CallId = "c1", Queue = "sales", Agent = "a7", RingMs = 15_001 },
        new ContactEvent { Kind = ContactEventKind.CallAnswered, UnixTimeMs = T0, CallId = "c1", Queue = "sales", Agent = "a7", WaitMs = 31_500, RingMs = 4_000 },
        new ContactEvent { Kind = ContactEventKind.CallAnswered, UnixTimeMs = T0, CallId = "c1", Queue = "sales", Agent = "a7", WaitMs = 0 },
        new ContactEvent { Kind = ContactEventKind.CallHeld, UnixTimeMs = T0, CallId = "c1", Queue = "sales", Agent = "a7" },
        new ContactEvent { Kind = ContactEventKind.CallResumed, UnixTimeMs = T0, CallId = "c1", Queue = "sales", Agent = "a7", HoldMs = 45_250 },
        new ContactEvent { Kind = ContactEventKind.CallCompleted, UnixTimeMs = T0, CallId = "c1", Queue = "sales", Agent = "a7", WaitMs = 12_000, TalkMs = 95_999, HoldMs = 5_000 },
        new ContactEvent { Kind = ContactEventKind.CallTransferred, UnixTimeMs = T0, CallId = "c1", Queue = "sales", Agent = "a7", WaitMs = 12_000, TalkMs = 95_000 },
        new ContactEvent { Kind = ContactEventKind.CallAbandoned, UnixTimeMs = T0, CallId = "c1", Queue = "sales", Agent = "", WaitMs = 48_000 },
        new ContactEvent { Kind = ContactEventKind.CallTimedOut, UnixTimeMs = T0, CallId = "c1", Queue = "sales", Agent = "", WaitMs = 300_000 },
        new ContactEvent { Kind = ContactEventKind.CallExitedWithKey, UnixTimeMs = T0, CallId = "c1", Queue = "sales", Agent = "", WaitMs = 65_000, Reason = "#" },
        new ContactEvent { Kind = ContactEventKind.CallExitedEmpty, UnixTimeMs = T0, CallId = "c1", Queue = "sales", Agent = "", WaitMs = 0 },
        new ContactEvent { Kind = ContactEventKind.WrapUpEnded, UnixTimeMs = T0, CallId = "c1", Queue = "sales", Agent = "a7", WrapUpMs = 60_000 },
        new ContactEvent { Kind = ContactEventKind.Disposition, UnixTimeMs = T0, CallId = "o1", Queue = "", Agent = "a7", Campaign = "spring", Customer = "+4930987", Reason = "renewed", Converted = true },
        new ContactEvent { Kind = ContactEventKind.Disposition, UnixTimeMs = T0, CallId = "c1", Queue = "support", Agent = "a7", Campaign = "", Customer = "+4930555", Reason = "complaint", Complaint = true },
        new ContactEvent { Kind = ContactEventKind.AgentLoggedIn, UnixTimeMs = T0, CallId = "", Queue = "", Agent = "a7" },
        new ContactEvent { Kind = ContactEventKind.AgentLoggedOut, UnixTimeMs = T0, CallId = "", Queue = "sales", Agent = "a7" },
        new ContactEvent { Kind = ContactEventKind.AgentAvailable, UnixTimeMs = T0, CallId = "", Queue = "", Agent = "a7" },
        new ContactEvent { Kind = ContactEventKind.AgentPaused, UnixTimeMs = T0, CallId = "", Queue = "", Agent = "a7", Reason = "lunch" },
        new ContactEvent { Kind = ContactEventKind.OutboundAttempt, UnixTimeMs = T0, CallId = "o1", Queue = "", Agent = "a7", Campaign = "spring", Customer = "+4930987", Result = OutboundResult.NoAnswer, RingMs = 30_000, TalkMs = 0 },
    ];

    [Theory]
    [MemberData(nameof(EventsOfEveryType))]
    public void WriterOutputParsesBackToTheSameEvent(ContactEvent expected)
    {
        var text = new StringWriter();
        using (var writer = new JsonEventWriter(text, leaveOpen: true))
        {
            writer.Accept(expected);
            Assert.Equal(1, writer.Written);
        }

        var line = text.ToString();
        Assert.EndsWith("\n", line, StringComparison.Ordinal);
        var status = new JsonEventParser().Parse(Encoding.UTF8.GetBytes(line.TrimEnd('\n')), out var actual, out var error);
        Assert.True(status == JsonParseStatus.Event, $"{line} {status}: {error}");
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void WriterWritesTheDocumentedShape()
    {
        var stream = new MemoryStream();
        using (var writer = new JsonEventWriter(stream, leaveOpen: true))
        {
            writer.Accept(new ContactEvent { Kind = ContactEventKind.CallAnswered, UnixTimeMs = T0 + 250, CallId = "c1", Queue = "sales", Agent = "a7", WaitMs = 31_500 });
            writer.Accept(new ContactEvent { Kind = ContactEventKind.CallQueued, UnixTimeMs = T0, CallId = "c2", Queue = "sales", Agent = "", Customer = "\"Zoë\" <201>" });
        }

        Assert.Equal(
            """
            {"type":"call_answered","time":"2024-05-01T09:30:00.25Z","call_id":"c1","queue":"sales","agent":"a7","wait_seconds":31.5}
            {"type":"call_queued","time":"2024-05-01T09:30:00Z","call_id":"c2","queue":"sales","caller":"\"Zoë\" <201>"}

            """.ReplaceLineEndings("\n"),
            Encoding.UTF8.GetString(stream.ToArray()));
    }

    [Theory]
    [InlineData(ContactEventKind.MemberAdded, ContactEventKind.AgentLoggedIn)]
    [InlineData(ContactEventKind.MemberRemoved, ContactEventKind.AgentLoggedOut)]
    [InlineData(ContactEventKind.AgentUnpaused, ContactEventKind.AgentAvailable)]
    public void QueueLogOnlyKindsAreWrittenAsTheNearestAgentState(ContactEventKind written, ContactEventKind readBack)
    {
        var stream = new MemoryStream();
        using (var writer = new JsonEventWriter(stream, leaveOpen: true))
        {
            writer.Accept(new ContactEvent { Kind = written, UnixTimeMs = T0, CallId = "", Queue = "sales", Agent = "a7" });
        }

        stream.Position = 0;
        var report = new IngestReport();
        var events = new List<ContactEvent>();
        new JsonEventReader().Read(stream, "t", new ListSink(events), report);

        Assert.Equal(
            new ContactEvent { Kind = readBack, UnixTimeMs = T0, CallId = "", Queue = "sales", Agent = "a7" },
            Assert.Single(events));
    }

    [Fact]
    public void KindsWithoutALineAreSkippedAndCounted()
    {
        var text = new StringWriter();
        using var writer = new JsonEventWriter(text);

        writer.Accept(new ContactEvent { Kind = ContactEventKind.RingCanceled, UnixTimeMs = T0, CallId = "c1", Queue = "q", Agent = "a7" });
        writer.Accept(new ContactEvent { Kind = ContactEventKind.OutboundAttempt, UnixTimeMs = T0, CallId = "o1", Queue = "", Agent = "a7" });
        writer.Accept(new ContactEvent { Kind = ContactEventKind.CallHeld, UnixTimeMs = long.MaxValue, CallId = "c1", Queue = "q", Agent = "a7" });

        Assert.Equal(3, writer.Skipped);
        Assert.Equal(0, writer.Written);
        Assert.Equal("", text.ToString());
    }

    private static (IngestReport Report, List<ContactEvent> Events) Read(byte[] bytes)
    {
        var report = new IngestReport();
        var events = new List<ContactEvent>();
        new JsonEventReader().Read(new MemoryStream(bytes), "events.ndjson", new ListSink(events), report);
        return (report, events);
    }

    private sealed class ListSink(List<ContactEvent> events) : IContactEventSink
    {
        public void Accept(in ContactEvent contactEvent) => events.Add(contactEvent);
    }

    /// <summary>Hands out at most a few bytes per read, so that lines straddle reads.</summary>
    private sealed class TrickleStream(byte[] data, int chunk) : MemoryStream(data)
    {
        public override int Read(Span<byte> buffer) => base.Read(buffer[..Math.Min(chunk, buffer.Length)]);

        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(chunk, count));
    }
}
