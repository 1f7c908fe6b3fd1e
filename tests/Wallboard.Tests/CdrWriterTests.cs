using Wallboard.Ingest.Cdr;
using Wallboard.Ingest.Model;

namespace Wallboard.Tests;

public sealed class CdrWriterTests
{
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    private static ContactEvent Attempt(string callId, long unixTimeMs, OutboundResult result, long ringMs, long talkMs) => new()
    {
        Kind = ContactEventKind.OutboundAttempt,
        UnixTimeMs = unixTimeMs,
        CallId = callId,
        Queue = "",
        Agent = "1001",
        Customer = "5551234",
        Campaign = "spring",
        Result = result,
        RingMs = ringMs,
        TalkMs = talkMs,
    };

    [Fact]
    public void WritesTheInverseOfTheReaderMappingAsAMasterCsvRow()
    {
        var text = new StringWriter { NewLine = "\n" };
        using (var writer = new CdrWriter(text, Berlin))
        {
            // 2024-03-01 09:00:30Z is 10:00:30 CET; answer 20 s earlier, start 10 s before that.
            writer.Accept(Attempt("1709283600.26", 1709283630000, OutboundResult.Connected, 10_000, 20_000));
        }

        Assert.Equal(
            "spring,1001,5551234,outbound,\"\"\"\"\" <1001>\",SIP/1001-00000000,,Dial,,2024-03-01 10:00:00,2024-03-01 10:00:10,2024-03-01 10:00:30,30,20,ANSWERED,DOCUMENTATION,1709283600.26,\n",
            text.ToString());
    }

    [Fact]
    public void RoundTripsOutboundAttemptsThroughTheReader()
    {
        ContactEvent[] events =
        [
            Attempt("a1", 1709283630000, OutboundResult.Connected, 10_000, 20_000),
            Attempt("a2", 1709283700000, OutboundResult.NoAnswer, 25_000, 0),
            Attempt("a3", 1719835200000, OutboundResult.Busy, 3_000, 0), // summer: CEST
            Attempt("a4", 1719835260000, OutboundResult.Failed, 0, 0),
        ];
        var text = new StringWriter();
        using (var writer = new CdrWriter(text, Berlin))
        {
            foreach (var e in events)
            {
                writer.Accept(e);
            }

            Assert.Equal(4, writer.Written);
        }

        var report = new IngestReport();
        var sink = new List<ContactEvent>();
        var rules = new CdrDirectionRules { OutboundContexts = new HashSet<string> { "outbound" } };
        var summary = new CdrReader(Berlin, rules).Read(new StringReader(text.ToString()), "written.csv", new ListSink(sink), report);

        Assert.Equal(0, report.Malformed);
        Assert.Equal(events, sink);
        Assert.Equal(1, summary.Answered);
        Assert.Equal(20, summary.BillSecTotal);
    }

    [Fact]
    public void SkipsAndCountsEventsThatAreNotOutboundAttempts()
    {
        var text = new StringWriter();
        using var writer = new CdrWriter(text, Berlin);

        writer.Accept(new ContactEvent { Kind = ContactEventKind.CallQueued, UnixTimeMs = 1709283630000, CallId = "q1", Queue = "sales", Agent = "" });
        writer.Accept(Attempt("a1", 1709283630000, OutboundResult.None, 0, 0));
        writer.Flush();

        Assert.Equal(0, writer.Written);
        Assert.Equal(2, writer.Skipped);
        Assert.Equal("", text.ToString());
    }

    private sealed class ListSink(List<ContactEvent> events) : IContactEventSink
    {
        public void Accept(in ContactEvent contactEvent) => events.Add(contactEvent);
    }
}
