using System.Text;
using Wallboard.Ingest.Aliases;
using Wallboard.Ingest.Model;
using Wallboard.Ingest.QueueLog;

namespace Wallboard.Tests;

public sealed class QueueLogParserTests
{
    private readonly QueueLogParser _parser = new();

    private ContactEvent ParseEvent(string line)
    {
        var result = _parser.Parse(line, out var contactEvent, out var error);
        Assert.True(result == QueueLogLineResult.Event, $"{result}: {error}");
        Assert.Null(error);
        return contactEvent;
    }

    private string ParseError(string line)
    {
        var result = _parser.Parse(line, out var contactEvent, out var error);
        Assert.Equal(QueueLogLineResult.Malformed, result);
        Assert.Equal(default, contactEvent);
        Assert.NotNull(error);
        return error;
    }

    [Fact]
    public void EnterQueueIsACallQueuedWithTheCallerIdAsCustomer()
    {
        var e = ParseEvent("1700000000|1700000000.42|sales|NONE|ENTERQUEUE||0612345678|1");
        Assert.Equal(
            new ContactEvent
            {
                Kind = ContactEventKind.CallQueued,
                UnixTimeMs = 1_700_000_000_000,
                CallId = "1700000000.42",
                Queue = "sales",
                Agent = "",
                Customer = "0612345678",
            },
            e);
    }

    [Fact]
    public void EnterQueueWithoutCallerIdHasNoCustomer()
    {
        var e = ParseEvent("1700000000|1700000000.42|sales|NONE|ENTERQUEUE|||1");
        Assert.Null(e.Customer);
    }

    [Fact]
    public void ConnectWithFractionalEpochCarriesWaitAndRingInMilliseconds()
    {
        var e = ParseEvent("1700000000.5|1700000000.42|sales|SIP/1001|CONNECT|12|1700000010.43|3");
        Assert.Equal(
            new ContactEvent
            {
                Kind = ContactEventKind.CallAnswered,
                UnixTimeMs = 1_700_000_000_500,
                CallId = "1700000000.42",
                Queue = "sales",
                Agent = "SIP/1001",
                WaitMs = 12_000,
                RingMs = 3_000,
            },
            e);
    }

    [Fact]
    public void MicrosecondEpochIsTruncatedToMilliseconds()
    {
        var e = ParseEvent("1700000000.123456|1700000000.42|sales|SIP/1001|CONNECT|0||0");
        Assert.Equal(1_700_000_000_123, e.UnixTimeMs);
        Assert.Equal(0, e.WaitMs);
        Assert.Equal(0, e.RingMs);
    }

    [Fact]
    public void ConnectWithoutRingTimeHasUnknownRingTime()
    {
        var e = ParseEvent("1700000012|1700000000.42|sales|SIP/1001|CONNECT|12|1700000010.43");
        Assert.Equal(ContactEventKind.CallAnswered, e.Kind);
        Assert.Equal(12_000, e.WaitMs);
        Assert.Null(e.RingMs);
    }

    [Fact]
    public void ConnectWithEmptyRingTimeHasUnknownRingTime()
    {
        var e = ParseEvent("1700000012|1700000000.42|sales|SIP/1001|CONNECT|12|1700000010.43|");
        Assert.Null(e.RingMs);
    }

    [Theory]
    [InlineData("COMPLETEAGENT")]
    [InlineData("COMPLETECALLER")]
    public void CompletionCarriesWaitAndTalk(string verb)
    {
        var e = ParseEvent($"1700000100|1700000000.42|sales|SIP/1001|{verb}|12|88|1");
        Assert.Equal(ContactEventKind.CallCompleted, e.Kind);
        Assert.Equal(1_700_000_100_000, e.UnixTimeMs);
        Assert.Equal("SIP/1001", e.Agent);
        Assert.Equal(12_000, e.WaitMs);
        Assert.Equal(88_000, e.TalkMs);
        Assert.Null(e.RingMs);
    }

    [Theory]
    [InlineData("ABANDON", ContactEventKind.CallAbandoned)]
    [InlineData("EXITWITHTIMEOUT", ContactEventKind.CallTimedOut)]
    [InlineData("EXITEMPTY", ContactEventKind.CallExitedEmpty)]
    public void QueueExitsCarryTheWait(string verb, ContactEventKind kind)
    {
        var e = ParseEvent($"1700000030|1700000001.7|support|NONE|{verb}|2|3|45");
        Assert.Equal(
            new ContactEvent
            {
                Kind = kind,
                UnixTimeMs = 1_700_000_030_000,
                CallId = "1700000001.7",
                Queue = "support",
                Agent = "",
                WaitMs = 45_000,
            },
            e);
    }

    [Fact]
    public void OldStyleExitWithTimeoutHasUnknownWait()
    {
        var e = ParseEvent("1700000030|1700000001.7|support|NONE|EXITWITHTIMEOUT|1");
        Assert.Equal(ContactEventKind.CallTimedOut, e.Kind);
        Assert.Null(e.WaitMs);
    }

    [Fact]
    public void ExitWithKeyGivesTheKeyAsReason()
    {
        var e = ParseEvent("1700000030|1700000001.7|support|NONE|EXITWITHKEY|5|1|1|20");
        Assert.Equal(ContactEventKind.CallExitedWithKey, e.Kind);
        Assert.Equal("5", e.Reason);
        Assert.Equal(20_000, e.WaitMs);
    }

    [Theory]
    [InlineData("BLINDTRANSFER|2000|from-internal|7|120|1")]
    [InlineData("TRANSFER|2000|from-internal|7|120|1")]
    [InlineData("ATTENDEDTRANSFER|BRIDGE|1700000050.99|7|120|1")]
    [InlineData("ATTENDEDTRANSFER|APP|Voicemail|7|120|1")]
    [InlineData("ATTENDEDTRANSFER|LINK|SIP/1001-00000001|SIP/2000-00000002|7|120")]
    public void TransfersCarryWaitAndTalk(string verbAndData)
    {
        var e = ParseEvent($"1700000200|1700000000.42|sales|SIP/1001|{verbAndData}");
        Assert.Equal(ContactEventKind.CallTransferred, e.Kind);
        Assert.Equal(7_000, e.WaitMs);
        Assert.Equal(120_000, e.TalkMs);
    }

    /// <summary>
    /// app_queue.c (Asterisk 12 to 22), log_attended_transfer: <c>ast_str_set(&amp;transfer_str, 0, "LINK|%s|%s", …)</c>
    /// then <c>ast_queue_log(…, "ATTENDEDTRANSFER", "%s|%ld|%ld|%d", transfer_str, holdtime, calltime, pos)</c>:
    /// six data fields, so calltime|pos share data5. A realtime (database) back-end stores the same
    /// split: AST_NONSTANDARD_APP_ARGS with data[5] puts everything past the fourth '|' into data5, and
    /// a row exported as data1|…|data5 is this very line.
    /// </summary>
    [Fact]
    public void AttendedTransferViaLinkHasSixDataFieldsAndKeepsHoldAndCallTime()
    {
        var e = ParseEvent("1717397391|1717397243.239826|1501|PJSIP/7009|ATTENDEDTRANSFER|LINK|PJSIP/7009-0002ecea|PJSIP/7051-0002ecee|12|120|1");
        Assert.Equal(ContactEventKind.CallTransferred, e.Kind);
        Assert.Equal((12_000L, 120_000L), (e.WaitMs, e.TalkMs));
        Assert.Equal("PJSIP/7009", e.Agent);
    }

    /// <summary>app_queue.c: <c>"ATTENDEDTRANSFER", "%s|%ld|%ld|%d"</c> with <c>"BRIDGE|%s"</c> or <c>"APP|%s"</c>: five data fields.</summary>
    [Theory]
    [InlineData("BRIDGE|5f6c1b0e-8f1a-4a43-9bd8-2f6d7c0a1e33")]
    [InlineData("APP|Queue")]
    public void AttendedTransferViaBridgeOrAppHasFiveDataFields(string method)
    {
        var e = ParseEvent($"1717397391|1717397390.239830|1501|PJSIP/7009|ATTENDEDTRANSFER|{method}|12|120|1");
        Assert.Equal((12_000L, 120_000L), (e.WaitMs, e.TalkMs));
    }

    /// <summary>
    /// app_queue.c (Asterisk 16+): <c>ast_queue_log(…, "NONE", "WITHDRAW", "%d|%d|%ld|%.40s", qe.pos, qe.opos,
    /// (long) (time(NULL) - qe.start), qe.withdraw_info)</c>: position, original position, wait, info.
    /// </summary>
    [Fact]
    public void WithdrawIsACallWithdrawnWithItsWaitAndInfo()
    {
        var e = ParseEvent("1700000090|1700000001.7|support|NONE|WITHDRAW|2|3|89|callback 13800000001");
        Assert.Equal(
            new ContactEvent
            {
                Kind = ContactEventKind.CallWithdrawn,
                UnixTimeMs = 1_700_000_090_000,
                CallId = "1700000001.7",
                Queue = "support",
                Agent = "",
                WaitMs = 89_000,
                Reason = "callback 13800000001",
            },
            e);
    }

    /// <summary>The info is free text (<c>%.40s</c>): a '|' in it does not cut it.</summary>
    [Fact]
    public void WithdrawInfoKeepsItsSeparators()
    {
        Assert.Equal("ticket|42", ParseEvent("1700000090|1.7|support|NONE|WITHDRAW|1|1|30|ticket|42").Reason);
        Assert.Null(ParseEvent("1700000090|1.7|support|NONE|WITHDRAW|1|1|30|").Reason);
    }

    /// <summary>
    /// Asterisk 1.4 app_queue.c: <c>ast_queue_log(…, "EXITWITHKEY", "%s|%d", qe.digits, qe.pos)</c> and
    /// <c>"EXITWITHTIMEOUT", "%d", qe.pos</c>: no wait field. The wait is then unknown here; the core
    /// takes outcome time − ENTERQUEUE time (KpiEngineDialectTests).
    /// </summary>
    [Theory]
    [InlineData("EXITWITHKEY|5|1", ContactEventKind.CallExitedWithKey)]
    [InlineData("EXITWITHTIMEOUT|1", ContactEventKind.CallTimedOut)]
    public void OldOutcomesWithoutAWaitFieldHaveAnUnknownWait(string verbAndData, ContactEventKind kind)
    {
        var e = ParseEvent($"1700000030|1700000001.7|support|NONE|{verbAndData}");
        Assert.Equal(kind, e.Kind);
        Assert.Null(e.WaitMs);
    }

    [Fact]
    public void ALineStartingWithNulBytesIsReportedByNumberAndTheLineAfterThemIsRead()
    {
        var sink = new QueueLogReaderTests.ListSink();
        var report = new IngestReport();
        var result = _parser.Feed(new string('\0', 4096) + "1700000030|1700000001.7|support|NONE|ABANDON|1|1|12", sink, report, "queue_log", 7);

        Assert.Equal(QueueLogLineResult.Event, result);
        Assert.Equal(ContactEventKind.CallAbandoned, Assert.Single(sink.Events).Kind);
        Assert.Equal((1L, 1L, 1L, 0L), (report.LinesRead, report.Events, report.Repaired, report.Malformed));
        var notice = Assert.Single(report.Errors);
        Assert.True(notice.Repaired);
        Assert.Equal("queue_log:7: 4096 NUL bytes before the line (left by an unclean shutdown); the line after them was read", notice.ToString());
    }

    [Fact]
    public void ALineOfNulBytesOnlyIsMalformed()
    {
        var report = new IngestReport();
        var result = _parser.Feed(new string('\0', 512), new QueueLogReaderTests.ListSink(), report, "queue_log", 3);

        Assert.Equal(QueueLogLineResult.Malformed, result);
        Assert.Equal("queue_log:3: 512 NUL bytes and no line after them (left by an unclean shutdown)", Assert.Single(report.Errors).ToString());
    }

    /// <summary>
    /// app_queue.c logs ADDMEMBER with the interface unless log_membername_as_agent
    /// (<c>ast_queue_log(q->name, "REALTIME", m->interface, "ADDMEMBER", "%s", …)</c>) and CONNECT with the
    /// member name (<c>ast_queue_log(queuename, …, member->membername, "CONNECT", "%ld|%s|%ld", …)</c>).
    /// </summary>
    [Fact]
    public void AnAliasIsResolvedToTheMemberNameAsTheLineIsRead()
    {
        var aliases = new AgentAliases(AgentAliasMap.Create([("PJSIP/1001", "Sathish"), ("Local/1001@from-queue/n", "Sathish")]));
        var parser = new QueueLogParser(aliases);

        parser.Parse("1700000000|NONE|sales|Local/1001@from-queue/n|ADDMEMBER|", out var added, out _);
        parser.Parse("1700000012|1700000000.42|sales|Sathish|CONNECT|12|1700000010.43|3", out var answered, out _);
        parser.Parse("1700000013|NONE|sales|PJSIP/1002|ADDMEMBER|", out var other, out _);

        Assert.Equal("Sathish", added.Agent);
        Assert.Same(added.Agent, answered.Agent); // one instance: the core finds it by identity
        Assert.Equal("PJSIP/1002", other.Agent);

        // A reloaded directory applies from the next line on.
        aliases.Replace(AgentAliasMap.Create([("PJSIP/1002", "Meena")]));
        parser.Parse("1700000014|NONE|sales|PJSIP/1002|REMOVEMEMBER|", out var removed, out _);
        Assert.Equal("Meena", removed.Agent);
    }

    [Fact]
    public void AttendedTransferWithUnknownMethodNamesTheMethod()
    {
        var error = ParseError("1700000200|1700000000.42|sales|SIP/1001|ATTENDEDTRANSFER|WORMHOLE|x|7|120|1");
        Assert.Equal("field data1 (method) of ATTENDEDTRANSFER: 'WORMHOLE' is not BRIDGE, APP or LINK", error);
    }

    [Theory]
    [InlineData("RINGNOANSWER", ContactEventKind.RingNoAnswer)]
    [InlineData("RINGCANCELED", ContactEventKind.RingCanceled)]
    public void RingTimesAreAlreadyMilliseconds(string verb, ContactEventKind kind)
    {
        var e = ParseEvent($"1700000005|1700000000.42|sales|SIP/1002|{verb}|15000");
        Assert.Equal(kind, e.Kind);
        Assert.Equal(15_000, e.RingMs);
        Assert.Equal("SIP/1002", e.Agent);
    }

    [Theory]
    [InlineData("ADDMEMBER", ContactEventKind.MemberAdded)]
    [InlineData("REMOVEMEMBER", ContactEventKind.MemberRemoved)]
    public void MembershipNamesQueueAndAgent(string verb, ContactEventKind kind)
    {
        var e = ParseEvent($"1700000000|NONE|sales|SIP/1001|{verb}|");
        Assert.Equal(
            new ContactEvent { Kind = kind, UnixTimeMs = 1_700_000_000_000, CallId = "", Queue = "sales", Agent = "SIP/1001" },
            e);
    }

    [Theory]
    [InlineData("AGENTLOGIN|SIP/1001-00000001", ContactEventKind.AgentLoggedIn)]
    [InlineData("AGENTCALLBACKLOGIN|1001@default", ContactEventKind.AgentLoggedIn)]
    [InlineData("AGENTLOGOFF|SIP/1001-00000001|3600", ContactEventKind.AgentLoggedOut)]
    [InlineData("AGENTCALLBACKLOGOFF|1001@default|3600|Autologoff", ContactEventKind.AgentLoggedOut)]
    public void LoginsAreAgentEventsWithoutACall(string verbAndData, ContactEventKind kind)
    {
        var e = ParseEvent($"1700000000|1700000000.1|NONE|Agent/1001|{verbAndData}");
        Assert.Equal(
            new ContactEvent { Kind = kind, UnixTimeMs = 1_700_000_000_000, CallId = "", Queue = "", Agent = "Agent/1001" },
            e);
    }

    [Fact]
    public void PauseCarriesTheReason()
    {
        var e = ParseEvent("1700000000|NONE|sales|SIP/1001|PAUSE|lunch");
        Assert.Equal(ContactEventKind.AgentPaused, e.Kind);
        Assert.Equal("lunch", e.Reason);
        Assert.Equal("sales", e.Queue);
    }

    [Fact]
    public void PauseAllWithoutReasonHasNoReasonAndNoQueue()
    {
        var e = ParseEvent("1700000000|NONE|NONE|SIP/1001|PAUSEALL|");
        Assert.Equal(ContactEventKind.AgentPaused, e.Kind);
        Assert.Null(e.Reason);
        Assert.Equal("", e.Queue);
    }

    [Theory]
    [InlineData("UNPAUSE")]
    [InlineData("UNPAUSEALL")]
    public void UnpauseIsAgentUnpaused(string verb)
    {
        var e = ParseEvent($"1700000000|NONE|sales|SIP/1001|{verb}|");
        Assert.Equal(ContactEventKind.AgentUnpaused, e.Kind);
        Assert.Equal("SIP/1001", e.Agent);
    }

    [Theory]
    [InlineData("1700000000|NONE|NONE|NONE|QUEUESTART|")]
    [InlineData("1700000000|NONE|NONE|NONE|CONFIGRELOAD|")]
    [InlineData("1700000000|NONE|NONE|NONE|SYSCOMPAT|")]
    [InlineData("1700000000|NONE|sales|SIP/1001|PENALTY|5")]
    [InlineData("1700000000|NONE|sales|SIP/1001|RINGINUSE|1")]
    [InlineData("1700000000|1700000000.3|sales|SIP/1001|OUTCALL|")]
    [InlineData("1700000000|1700000000.3|sales|Agent/1001|AGENTDUMP|")]
    [InlineData("1700000000|1700000000.3|sales|NONE|DID|0201234567")]
    public void RecognisedVerbsWithoutMetricsAreIgnored(string line)
    {
        Assert.Equal(QueueLogLineResult.Ignored, _parser.Parse(line, out _, out var error));
        Assert.Null(error);
    }

    [Fact]
    public void AnUnknownVerbIsUnknown()
    {
        Assert.Equal(QueueLogLineResult.Unknown, _parser.Parse("1700000000|1.2|sales|NONE|TELEPORT|x", out _, out var error));
        Assert.Null(error);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\r")]
    [InlineData(" \t\r")]
    public void BlankLinesAreBlank(string line)
    {
        Assert.Equal(QueueLogLineResult.Blank, _parser.Parse(line, out _, out var error));
        Assert.Null(error);
    }

    [Fact]
    public void TrailingCarriageReturnIsTolerated()
    {
        var withCr = ParseEvent("1700000000.5|1700000000.42|sales|SIP/1001|CONNECT|12|1700000010.43|3\r");
        var without = ParseEvent("1700000000.5|1700000000.42|sales|SIP/1001|CONNECT|12|1700000010.43|3");
        Assert.Equal(without, withCr);
    }

    [Theory]
    [InlineData("1700000000|1.2|sales", "expected at least 5 fields, got 3")]
    [InlineData("abc|1.2|sales|NONE|ENTERQUEUE||1|1", "epoch 'abc' is not a Unix time")]
    [InlineData("|1.2|sales|NONE|ENTERQUEUE||1|1", "epoch '' is not a Unix time")]
    [InlineData("1700000000.|1.2|sales|NONE|ENTERQUEUE||1|1", "epoch '1700000000.' is not a Unix time")]
    [InlineData("-1700000000|1.2|sales|NONE|ENTERQUEUE||1|1", "epoch '-1700000000' is not a Unix time")]
    [InlineData("1700000000000000000|1.2|sales|NONE|ENTERQUEUE||1|1", "epoch '1700000000000000000' is not a Unix time")]
    [InlineData("1700000030|1.7|support|NONE|ABANDON|2|3|x1", "field data3 (waittime) of ABANDON: 'x1' is not a number")]
    [InlineData("1700000030|1.7|support|NONE|ABANDON|2|3", "field data3 (waittime) of ABANDON is missing")]
    [InlineData("1700000100|1.7|sales|SIP/1001|COMPLETEAGENT|-5|88|1", "field data1 (holdtime) of COMPLETEAGENT: '-5' is negative")]
    [InlineData("1700000100|1.7|sales|SIP/1001|COMPLETECALLER|12||1", "field data2 (calltime) of COMPLETECALLER is empty")]
    [InlineData("1700000100|1.7|sales|SIP/1001|CONNECT|12|1.8|3s", "field data3 (ringtime) of CONNECT: '3s' is not a number")]
    [InlineData("1700000005|1.7|sales|SIP/1002|RINGNOANSWER|1.5e3", "field data1 (ringtime) of RINGNOANSWER: '1.5e3' is not a number")]
    [InlineData("1700000012||sales|SIP/1001|CONNECT|12|1.8|3", "callid is empty on CONNECT")]
    [InlineData("1700000012|NONE|sales|SIP/1001|CONNECT|12|1.8|3", "callid is empty on CONNECT")]
    [InlineData("1700000000|NONE|sales||PAUSE|lunch", "agent is empty on PAUSE")]
    [InlineData("1700000000|NONE|sales|NONE|ADDMEMBER|", "agent is empty on ADDMEMBER")]
    public void MalformedLinesNameTheFieldAndValue(string line, string expected)
    {
        Assert.Equal(expected, ParseError(line));
    }

    [Fact]
    public void AVeryLongBadValueIsShortenedInTheMessage()
    {
        var error = ParseError(new string('x', 10_000) + "|1|q|a|ABANDON|1|1|1");
        Assert.True(error.Length < 100, error);
    }

    [Fact]
    public void RepeatedIdsAreTheSameStringInstance()
    {
        var first = ParseEvent("1700000000|1700000000.42|sales|SIP/1001|CONNECT|12|1.8|3");
        var second = ParseEvent("1700000100|1700000000.42|sales|SIP/1001|COMPLETEAGENT|12|88|1");
        Assert.Same(first.CallId, second.CallId);
        Assert.Same(first.Queue, second.Queue);
        Assert.Same(first.Agent, second.Agent);
    }

    [Fact]
    public void ParsingAKnownLineAllocatesNothing()
    {
        const string Line = "1700000000.5|1700000000.42|sales|SIP/1001|CONNECT|12|1700000010.43|3";
        const string Other = "1700000100|1700000000.42|support|SIP/1002|COMPLETEAGENT|12|88|1";
        _ = _parser.Parse(Line, out _, out _);
        _ = _parser.Parse(Other, out _, out _);

        // Rounds: what the runtime allocates once on this thread (as the JIT replaces code that ran
        // often) falls in one of them; an allocation per line would be in every one.
        var rounds = new long[5];
        for (var round = 0; round < rounds.Length; round++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var i = 0; i < 1000; i++)
            {
                _ = _parser.Parse(Line, out _, out _);
                _ = _parser.Parse(Other, out _, out _);
            }

            rounds[round] = GC.GetAllocatedBytesForCurrentThread() - before;
        }

        Assert.True(rounds.Min() == 0, $"bytes allocated in each round of 2,000 lines: {string.Join(", ", rounds)}");
    }

    [Fact]
    public void NamesBeyondAsciiAreReadAsTextAndInterned()
    {
        // app_queue.c logs the member name as configured: "ast_queue_log(queuename, …, member->membername, "CONNECT", "%ld|%s|%ld", …)".
        var first = ParseEvent("1700000000|1700000000.42|销售|张三|CONNECT|12|1700000010.43|3");
        var second = ParseEvent("1700000100|1700000000.42|销售|张三|COMPLETEAGENT|12|88|1");
        var third = ParseEvent("1700000200|1700000000.43|销售|SIP/1001|CONNECT|1|1700000190.1|1");
        var fourth = ParseEvent("1700000300|1700000000.44|销售|张三|CONNECT|1|1700000290.1|1");
        Assert.Equal(("销售", "张三"), (first.Queue, first.Agent));
        Assert.Same(first.Agent, second.Agent);
        Assert.Same(first.Agent, fourth.Agent); // found again in the table after another agent
        Assert.Same(first.Queue, third.Queue);
        Assert.Equal(IdKey.Of("1700000000.42"), second.CallKey);
        Assert.Equal("客户 0612", ParseEvent("1700000000|1700000000.45|销售|NONE|ENTERQUEUE||客户 0612|1").Customer);
    }

    [Theory]
    [InlineData("\u3000")] // an ideographic space
    [InlineData("\u00a0 \t")]
    [InlineData("\u2003\r")]
    public void LinesOfWhiteSpaceBeyondAsciiAreBlank(string line)
    {
        Assert.Equal(QueueLogLineResult.Blank, _parser.Parse(line, out _, out _));
    }

    [Fact]
    public void BytesThatAreNotUtf8AreReadAsTheirReplacementCharacter()
    {
        // As decoding the file first did: each invalid sequence becomes U+FFFD.
        byte[] line = [.. "1700000000|1700000000.42|sa"u8, 0xFF, 0xC3, .. "les|NONE|ENTERQUEUE||06"u8, 0xE2, 0x82, .. "|1"u8];
        Assert.Equal(QueueLogLineResult.Event, _parser.Parse(line, out var e, out _));
        Assert.Equal(("sa\uFFFD\uFFFDles", "06\uFFFD"), (e.Queue, e.Customer));
        Assert.Equal(Encoding.UTF8.GetString(line).Split('|')[2], e.Queue);
    }

    [Fact]
    public void ABadValueBeyondAsciiIsShownAsText()
    {
        Assert.Equal("epoch '一七零零' is not a Unix time", ParseError("一七零零|1.2|sales|NONE|ENTERQUEUE||1|1"));
        Assert.Equal("field data3 (waittime) of ABANDON: '十二' is not a number", ParseError("1700000030|1.7|support|NONE|ABANDON|2|3|十二"));
    }

    [Theory]
    [InlineData("0", 0L)]
    [InlineData("7", 7_000L)]
    [InlineData("12345678", 12_345_678_000L)] // eight digits, read at once
    [InlineData("123456789", 123_456_789_000L)]
    [InlineData("1700000000.5", 1_700_000_000_500L)]
    [InlineData("1700000000.123456", 1_700_000_000_123L)] // truncated, not rounded
    [InlineData("00000000.1", 100L)]
    [InlineData("999999999999999", 999_999_999_999_999_000L)] // fifteen integer digits
    public void NumbersAreScaledToThousandths(string text, long expected)
    {
        Assert.True(QueueLogParser.TryParseScaled(Encoding.ASCII.GetBytes(text), 3, out var value));
        Assert.Equal(expected, value);
    }

    [Fact]
    public void NumbersAreReadAsTheirDecimalValueWhateverTheirDigits()
    {
        // Digits, dots and a few bytes just beside the digits ('/' and ':', which fool a careless
        // check of eight bytes at once), against decimal arithmetic: digits[.digits], at most 15
        // integer digits, truncated to thousandths.
        var random = new Random(16);
        for (var n = 0; n < 50_000; n++)
        {
            var text = QueueLogSplitTests.RandomText(random, "0123456789012345678901234567890123456789../:- a", 22);
            var parts = text.Split('.');
            var valid = parts.Length <= 2 && parts[0].Length is > 0 and <= 15 && parts.All(part => part.All(char.IsAsciiDigit))
                && (parts.Length == 1 || parts[1].Length > 0);
            var parsed = QueueLogParser.TryParseScaled(Encoding.ASCII.GetBytes(text), 3, out var value);
            Assert.True(valid == parsed, $"'{text}'");
            if (valid)
            {
                var expected = (long)decimal.Truncate(decimal.Parse(parts.Length == 1 ? text : $"{parts[0]}.{parts[1][..Math.Min(parts[1].Length, 20)]}", System.Globalization.CultureInfo.InvariantCulture) * 1000);
                Assert.True(expected == value, $"'{text}': {value} against {expected}");
            }
        }
    }

    [Fact]
    public void RandomInputNeverThrowsAndEveryLineIsAccounted()
    {
        var random = new Random(20240611);
        string[] pieces =
        [
            "|", "|", "|", "NONE", "1700000000", ".", "-", "5", "CONNECT", "ABANDON", "ATTENDEDTRANSFER", "LINK",
            "BRIDGE", "PAUSE", "EXITWITHKEY", "RINGNOANSWER", "\r", " ", "x", "\u00e9", "\uffff", "\ud800", "999999999999999999999",
        ];
        var sink = new List<ContactEvent>();
        var counts = new int[5];
        for (var i = 0; i < 20_000; i++)
        {
            string line;
            if (i % 2 == 0)
            {
                var bytes = new byte[random.Next(0, 80)];
                random.NextBytes(bytes);
                line = System.Text.Encoding.UTF8.GetString(bytes);
            }
            else
            {
                var parts = new string[random.Next(0, 14)];
                for (var p = 0; p < parts.Length; p++)
                {
                    parts[p] = pieces[random.Next(pieces.Length)];
                }

                line = string.Concat(parts);
            }

            var result = _parser.Parse(line, out var contactEvent, out var error);
            Assert.True(Enum.IsDefined(result));
            Assert.Equal(result == QueueLogLineResult.Malformed, error is not null);
            if (result == QueueLogLineResult.Event)
            {
                sink.Add(contactEvent);
                Assert.NotNull(contactEvent.CallId);
                Assert.NotNull(contactEvent.Queue);
                Assert.NotNull(contactEvent.Agent);
            }

            counts[(int)result]++;
        }

        Assert.Equal(20_000, counts.Sum());
        Assert.Equal(counts[(int)QueueLogLineResult.Event], sink.Count);
    }
}

public sealed class QueueLogSplitTests
{
    [Fact]
    public void SplitFieldsCutsTheBytesExactlyAsMemoryExtensionsSplitCutsTheText()
    {
        // The text is cut by MemoryExtensions.Split and its fields encoded; the bytes are cut by SplitFields.
        var random = new Random(7);
        for (var n = 0; n < 20_000; n++)
        {
            var line = RandomText(random, "|||ab1.\r ,€", 120);
            var utf8 = Encoding.UTF8.GetBytes(line);
            var size = random.Next(1, 12);
            var expected = new Range[size];
            var actual = new Range[size];
            var expectedCount = line.AsSpan().Split(expected, '|');
            var actualCount = QueueLogParser.SplitFields(utf8, actual);
            Assert.True(expectedCount == actualCount, $"'{line}' into {size}: {expectedCount} fields expected, got {actualCount}");
            Assert.Equal(
                expected[..expectedCount].Select(range => line[range]),
                actual[..actualCount].Select(range => Encoding.UTF8.GetString(utf8.AsSpan(range))));
        }
    }

    /// <summary>Up to <paramref name="maxLength"/> characters drawn from <paramref name="alphabet"/> (repeat a character to make it likelier).</summary>
    internal static string RandomText(Random random, string alphabet, int maxLength) =>
        new([.. Enumerable.Range(0, random.Next(0, maxLength)).Select(_ => alphabet[random.Next(alphabet.Length)])]);
}
