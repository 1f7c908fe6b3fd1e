using System.Text;
using Wallboard.Ingest.Aliases;
using Wallboard.Ingest.Cdr;
using Wallboard.Ingest.Model;

namespace Wallboard.Tests;

public sealed class CdrReaderTests
{
    private const string CdrFile = "asterisk-cdr/cdrcsv-report-generator-cdr.csv";
    private const string SmallCdrFile = "asterisk-cdr/cdrcsv-report-generator-smallcdr.csv";

    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    // A good outbound row (dcontext "dialer"), ended 2024-03-01 10:00:30 in Berlin (CET, +01:00).
    private const string GoodRow =
        "\"camp-spring\",\"1001\",\"5551234\",\"dialer\",\"\"\"Alice\"\" <201>\",\"SIP/1001-0000001a\",\"SIP/trunk-0000001b\",\"Dial\",\"SIP/trunk/5551234,30\",\"2024-03-01 10:00:00\",\"2024-03-01 10:00:10\",\"2024-03-01 10:00:30\",30,20,\"ANSWERED\",\"DOCUMENTATION\",\"1709283600.26\",\"\"";

    [Theory]
    // Expected numbers were computed outside this code base, twice, and agreed:
    //   python3: rows = list(csv.reader(open(f, newline=''))); len(rows);
    //            sum(r[14] == "ANSWERED"); sum(int(r[13])); sum(int(r[12])); Counter(r[14])
    //   sed+awk: sed -E 's/.*",([0-9]+),([0-9]+),"([^"]*)".*/\1 \2 \3/' f | awk '{n++; d+=$1; b+=$2; if($3=="ANSWERED")a++} ...'
    // In cdr.csv five "door" rows are NO ANSWER with answer set and billsec 25/25/25/25/8; the PBX
    // sums them into billsec too, so the total is over all rows.
    [InlineData(CdrFile, 218, 133, 38947, 41114, 83, 2)]
    [InlineData(SmallCdrFile, 45, 27, 7408, 7855, 17, 1)]
    public void PublicTestDataLoadsWithoutErrorsAndMatchesIndependentTotals(
        string file, long rows, long answered, long billSec, long duration, long noAnswer, long busy)
    {
        var report = new IngestReport();
        var sink = new ListSink();

        var summary = new CdrReader(Berlin).ReadFile(TestDataPath(file), sink, report);

        Assert.Empty(report.Errors);
        Assert.Equal(0, report.Malformed);
        Assert.Equal(rows, report.LinesRead);
        Assert.Equal(rows, report.Ignored);
        Assert.Empty(sink.Events);
        Assert.Equal(rows, summary.Rows);
        Assert.Equal(answered, summary.Answered);
        Assert.Equal(billSec, summary.BillSecTotal);
        Assert.Equal(duration, summary.DurationTotal);
        Assert.Equal(answered, summary.ByDisposition["ANSWERED"]);
        Assert.Equal(noAnswer, summary.ByDisposition["NO ANSWER"]);
        Assert.Equal(busy, summary.ByDisposition["BUSY"]);
        Assert.Equal(3, summary.ByDisposition.Count);
    }

    [Fact]
    public void PublicTestDataWithOneContextOutboundYieldsOneEventPerRowOfThatContext()
    {
        // python3: Counter(r[3] for r in rows) -> hq 133, production 74, door 6, support 5.
        var report = new IngestReport();
        var sink = new ListSink();
        var rules = new CdrDirectionRules { OutboundContexts = new HashSet<string> { "production" } };

        var summary = new CdrReader(Berlin, rules).ReadFile(TestDataPath(CdrFile), sink, report);

        Assert.Equal(74, report.Events);
        Assert.Equal(218 - 74, report.Ignored);
        Assert.Equal(74, summary.Outbound);
        Assert.Equal(74, sink.Events.Count);
        Assert.All(sink.Events, e => Assert.Equal("production", e.Campaign));

        // Line 3: "2017-06-20 10:07:41","","2017-06-20 10:08:26",45,0,"NO ANSWER", uniqueid 1497953261.5.
        var first = sink.Events[0];
        Assert.Equal("1497953261.5", first.CallId);
        Assert.Equal("870-526-4260", first.Customer);
        Assert.Equal(OutboundResult.NoAnswer, first.Result);
        Assert.Equal(45_000, first.RingMs);
        Assert.Equal(0, first.TalkMs);
        Assert.Equal("", first.Agent); // channel is NOT_AVAILABLE in this data set
        // 10:08:26 CEST is 08:08:26 UTC.
        Assert.Equal(new DateTimeOffset(2017, 6, 20, 8, 8, 26, TimeSpan.Zero).ToUnixTimeMilliseconds(), first.UnixTimeMs);
    }

    [Fact]
    public void OutboundRowMapsToOneAttemptAtTheEndTime()
    {
        var (report, sink, _) = Read(GoodRow, new CdrDirectionRules { OutboundContexts = new HashSet<string> { "dialer" } });

        Assert.Equal(1, report.Events);
        var e = Assert.Single(sink.Events);
        Assert.Equal(ContactEventKind.OutboundAttempt, e.Kind);
        Assert.Equal(1709283630000, e.UnixTimeMs); // 2024-03-01 09:00:30Z
        Assert.Equal("1709283600.26", e.CallId);
        Assert.Equal("1001", e.Agent);
        Assert.Equal("5551234", e.Customer);
        Assert.Equal("camp-spring", e.Campaign);
        Assert.Equal(OutboundResult.Connected, e.Result);
        Assert.Equal(10_000, e.RingMs);
        Assert.Equal(20_000, e.TalkMs);
        Assert.Equal("", e.Queue);
    }

    [Fact]
    public void QuotedUnquotedAndEmptyFieldsAreRead()
    {
        // clid holds doubled quotes, lastdata a comma inside quotes, dstchannel is empty and unquoted,
        // numbers are unquoted, and there are exactly 16 columns (no uniqueid).
        const string Row =
            "\"\",201,5551234,dialer,\"\"\"Smith, John\"\" <201>\",PJSIP/2001-00000005,,Dial,\"PJSIP/trunk/5551234,30,tT\",2024-03-01 10:00:00,,2024-03-01 10:00:25,25,0,BUSY,DOCUMENTATION";
        var rules = new CdrDirectionRules { OutboundContexts = new HashSet<string> { "dialer" } };

        var (report, sink, summary) = Read(Row, rules);

        Assert.Equal(1, report.Events);
        var e = Assert.Single(sink.Events);
        Assert.Equal("2001", e.Agent);
        Assert.Equal("dialer", e.Campaign); // accountcode is empty
        Assert.Equal(OutboundResult.Busy, e.Result);
        Assert.Equal(25_000, e.RingMs);
        Assert.Equal(0, e.TalkMs);
        // No uniqueid: a composite of start (09:00:00Z), channel and dst.
        Assert.Equal("cdr-1709283600-PJSIP/2001-00000005-5551234", e.CallId);
        Assert.Equal(0, summary.Answered);
        Assert.Equal(1, summary.ByDisposition["BUSY"]);
    }

    [Fact]
    public void RecordKeepsUnescapedTextAndLocalOffset()
    {
        var record = CaptureRecord(GoodRow);

        Assert.Equal("\"Alice\" <201>", record.CallerId);
        Assert.Equal("SIP/trunk/5551234,30", record.LastData);
        Assert.Equal(new DateTimeOffset(2024, 3, 1, 10, 0, 10, TimeSpan.FromHours(1)), record.Answer);
        Assert.Equal(TimeSpan.FromHours(1), record.End.Offset);
        Assert.Equal("1709283600.26", record.UniqueId);
        Assert.Equal("", record.UserField);
        Assert.Null(record.LinkedId);
    }

    [Fact]
    public void AllTwentyOneColumnsAreRead()
    {
        var record = CaptureRecord(GoodRow + ",\"peer\",\"1709283600.20\",42");

        Assert.Equal("peer", record.PeerAccount);
        Assert.Equal("1709283600.20", record.LinkedId);
        Assert.Equal(42, record.Sequence);
    }

    [Theory]
    [InlineData("dcontext")]
    [InlineData("accountcode")]
    [InlineData("prefix")]
    [InlineData("channel")]
    public void EachRuleClassifiesOutboundOnItsOwn(string rule)
    {
        var rules = rule switch
        {
            "dcontext" => new CdrDirectionRules { OutboundContexts = new HashSet<string> { "dialer" } },
            "accountcode" => new CdrDirectionRules { OutboundAccountCodes = new HashSet<string> { "camp-spring" } },
            "prefix" => new CdrDirectionRules { OutboundAccountCodePrefixes = ["camp-"] },
            _ => new CdrDirectionRules { OutboundChannelPattern = CdrDirectionRules.CreateChannelPattern("^SIP/10[0-9]{2}-") },
        };
        // Matches no rule: context from-internal, no account code, channel SIP/2001-…
        const string Inbound =
            "\"\",\"5559999\",\"600\",\"from-internal\",\"\",\"SIP/2001-00000020\",\"\",\"Queue\",\"support\",\"2024-03-01 11:00:00\",\"2024-03-01 11:00:05\",\"2024-03-01 11:01:05\",65,60,\"ANSWERED\",\"DOCUMENTATION\",\"1709287200.1\",\"\"";

        var (report, sink, summary) = Read(GoodRow + "\n" + Inbound, rules);

        Assert.Equal(1, report.Events);
        Assert.Equal(1, report.Ignored);
        Assert.Equal("1709283600.26", Assert.Single(sink.Events).CallId);
        Assert.Equal(2, summary.Rows);
        Assert.Equal(2, summary.Answered);
        Assert.Equal(80, summary.BillSecTotal);
    }

    [Fact]
    public void WithoutRulesEveryRowIsInboundAndIgnored()
    {
        var (report, sink, summary) = Read(GoodRow);

        Assert.Equal(1, report.Ignored);
        Assert.Empty(sink.Events);
        Assert.Equal(1, summary.Rows);
        Assert.Equal(0, summary.Outbound);
    }

    [Theory]
    [InlineData("SIP/1001-0000001a", "1001")]
    [InlineData("PJSIP/2001-00000005", "2001")]
    [InlineData("Local/1001@from-queue-00000003;1", "1001")]
    [InlineData("IAX2/sales-team-1234", "sales-team")]
    [InlineData("SIP/1001", "1001")]
    [InlineData("NOT_AVAILABLE", "")]
    [InlineData("", "")]
    public void AgentIsTheResourcePartOfTheChannel(string channel, string agent) =>
        Assert.Equal(agent, CdrReader.AgentOfChannel(channel).ToString());

    [Fact]
    public void BadRowsAreCountedWithLineFieldAndValueAndGoodRowsAroundThemStillCount()
    {
        var text = string.Join('\n',
            GoodRow,                                                                   // 1
            "\"too\",\"few\",\"columns\"",                                             // 2
            GoodRow.Replace("2024-03-01 10:00:00", "2024-13-01 10:00:00", StringComparison.Ordinal), // 3
            GoodRow.Replace(",30,20,", ",thirty,20,", StringComparison.Ordinal),       // 4
            GoodRow.Replace(",30,20,", ",-3,0,", StringComparison.Ordinal),            // 5
            GoodRow.Replace(",30,20,", ",30,31,", StringComparison.Ordinal),           // 6
            GoodRow.Replace("\"ANSWERED\"", "\"WEIRD\"", StringComparison.Ordinal),    // 7
            GoodRow);                                                                  // 8
        var rules = new CdrDirectionRules { OutboundContexts = new HashSet<string> { "dialer" } };

        var (report, sink, summary) = Read(text, rules);

        Assert.Equal(8, report.LinesRead);
        Assert.Equal(2, report.Events);
        Assert.Equal(2, sink.Events.Count);
        Assert.Equal(2, summary.Rows);
        Assert.Equal(6, report.Malformed);
        Assert.Equal([2L, 3, 4, 5, 6, 7], report.Errors.Select(e => e.Line));
        Assert.All(report.Errors, e => Assert.Equal("test.csv", e.Source));
        Assert.Equal("row has 3 columns, expected 16 to 21", report.Errors[0].Message);
        Assert.Equal("field \"start\": \"2024-13-01 10:00:00\" is not a time (yyyy-MM-dd HH:mm:ss)", report.Errors[1].Message);
        Assert.Equal("field \"duration\": \"thirty\" is not a whole number of seconds", report.Errors[2].Message);
        Assert.Equal("field \"duration\": -3 is negative", report.Errors[3].Message);
        Assert.Equal("field \"billsec\": 31 is greater than duration 30", report.Errors[4].Message);
        Assert.Equal("field \"disposition\": \"WEIRD\" is not ANSWERED, NO ANSWER, BUSY, FAILED or CONGESTION", report.Errors[5].Message);
    }

    [Fact]
    public void LineNumbersArePhysicalLinesAfterAQuotedNewlineAndBlankLines()
    {
        var multiLine = GoodRow.Replace("SIP/trunk/5551234,30", "first\nsecond", StringComparison.Ordinal);
        var text = multiLine + "\n\n" + "bad\n" + GoodRow + "\n";

        var (report, _, summary) = Read(text);

        Assert.Equal(3, report.LinesRead); // the blank line is not a row
        Assert.Equal(2, summary.Rows);
        Assert.Equal(4, Assert.Single(report.Errors).Line);
    }

    [Fact]
    public void DaylightSavingTransitionsDoNotThrow()
    {
        // 02:30 on 2024-10-27 happens twice in Berlin: the first (CEST) is taken, 00:30Z.
        var ambiguous = GoodRow.Replace("2024-03-01 10:00:30", "2024-10-27 02:30:00", StringComparison.Ordinal)
            .Replace("2024-03-01", "2024-10-27", StringComparison.Ordinal);
        // 02:30 on 2024-03-31 never happens in Berlin: read with the offset before the gap (+01:00), 01:30Z.
        var invalid = GoodRow.Replace("2024-03-01 10:00:30", "2024-03-31 02:30:00", StringComparison.Ordinal)
            .Replace("2024-03-01", "2024-03-31", StringComparison.Ordinal);
        var rules = new CdrDirectionRules { OutboundContexts = new HashSet<string> { "dialer" } };

        var (report, sink, _) = Read(ambiguous + "\n" + invalid, rules);

        Assert.Equal(2, report.Events);
        Assert.Equal(1729989000000, sink.Events[0].UnixTimeMs);
        Assert.Equal(1711848600000, sink.Events[1].UnixTimeMs);
    }

    [Fact]
    public void RandomGarbageNeverThrows()
    {
        var random = new Random(20240301);
        const string Alphabet = "\",\n\r ab01-:;\\\t\u00e9\0";
        for (var i = 0; i < 300; i++)
        {
            var report = new IngestReport();
            string text;
            if (i % 3 == 0)
            {
                var bytes = new byte[random.Next(0, 2000)];
                random.NextBytes(bytes);
                text = Encoding.UTF8.GetString(bytes);
            }
            else if (i % 3 == 1)
            {
                text = new string(Enumerable.Range(0, random.Next(0, 2000)).Select(_ => Alphabet[random.Next(Alphabet.Length)]).ToArray());
            }
            else
            {
                // Valid rows cut at a random point and spliced together.
                var rows = string.Join('\n', Enumerable.Repeat(GoodRow, 5));
                text = rows[..random.Next(rows.Length)] + rows[random.Next(rows.Length)..];
            }

            var summary = new CdrReader(Berlin).Read(new StringReader(text), "fuzz", new ListSink(), report);

            Assert.Equal(report.LinesRead, report.Ignored + report.Malformed);
            Assert.Equal(report.Ignored, summary.Rows);
        }
    }

    [Fact]
    public void ReadsFromAStreamWithAByteOrderMark()
    {
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(GoodRow + "\r\n" + GoodRow + "\r\n")).ToArray();
        var report = new IngestReport();

        var summary = new CdrReader(Berlin).Read(new MemoryStream(bytes), "bom.csv", new ListSink(), report);

        Assert.Equal(0, report.Malformed);
        Assert.Equal(2, summary.Rows);
    }

    [Fact]
    public void TheCallersReaderIsLeftOpen()
    {
        var reader = new StringReader(GoodRow + "\n");

        new CdrReader(Berlin).Read(reader, "test.csv", new ListSink(), new IngestReport());

        Assert.Equal(-1, reader.Peek()); // throws if disposed
    }

    /// <summary>An outbound row's agent is found by the channel's interface (queues.conf names members so), then by its extension.</summary>
    [Theory]
    [InlineData("PJSIP/1001-0000001a", "Sathish")]
    [InlineData("Local/1002@from-queue-0000000a;1", "Meena")]
    [InlineData("SIP/1003-00000001", "Ravi")]
    [InlineData("SIP/1004-00000001", "1004")]
    public void AnOutboundRowsAgentIsResolvedThroughTheAliases(string channel, string agent)
    {
        var aliases = new AgentAliases(AgentAliasMap.Create([("PJSIP/1001", "Sathish"), ("Local/1002@from-queue/n", "Meena"), ("1003", "Ravi")]));
        var report = new IngestReport();
        var sink = new ListSink();
        var row = GoodRow.Replace("\"SIP/1001-0000001a\"", $"\"{channel}\"", StringComparison.Ordinal);

        new CdrReader(Berlin, new CdrDirectionRules { OutboundContexts = new HashSet<string> { "dialer" } }, aliases).Read(new StringReader(row), "test.csv", sink, report);

        Assert.Equal(agent, Assert.Single(sink.Events).Agent);
    }

    internal static string TestDataPath(string relative) =>
        Path.Combine(RepositoryPaths.TestData, relative);

    private static (IngestReport Report, ListSink Sink, CdrSummary Summary) Read(string text, CdrDirectionRules? rules = null)
    {
        var report = new IngestReport();
        var sink = new ListSink();
        var summary = new CdrReader(Berlin, rules).Read(new StringReader(text), "test.csv", sink, report);
        return (report, sink, summary);
    }

    private static CdrRecord CaptureRecord(string row)
    {
        var records = new List<CdrRecord>();
        var report = new IngestReport();
        new CdrReader(Berlin).ReadRecords(new StringReader(row), "test.csv", records.Add, report);
        Assert.Equal(0, report.Malformed);
        Assert.Equal(1, report.Events);
        return Assert.Single(records);
    }

    private sealed class ListSink : IContactEventSink
    {
        public List<ContactEvent> Events { get; } = [];

        public void Accept(in ContactEvent contactEvent) => Events.Add(contactEvent);
    }
}
