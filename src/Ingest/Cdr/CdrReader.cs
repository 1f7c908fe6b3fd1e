using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.RegularExpressions;
using nietras.SeparatedValues;
using Wallboard.Ingest.Aliases;
using Wallboard.Ingest.Model;

namespace Wallboard.Ingest.Cdr;

/// <summary>
/// Reads Asterisk <c>Master.csv</c> (no header row) into outbound-attempt events, with a
/// <see cref="CdrSummary"/> of everything read. Inbound rows produce no event, because queue
/// KPIs come from queue_log, where the queue wait and the agent legs are visible; they are
/// counted as ignored.
/// </summary>
/// <remarks>
/// Never throws because of what the input contains: each bad row is counted in the
/// <see cref="IngestReport"/> with its line, field and value, and reading goes on with the next.
/// Repeated values (contexts, agents, numbers) are interned in a table of the reader's own, so a
/// reader is not thread-safe: one per file or tail.
/// </remarks>
public sealed class CdrReader
{
    /// <summary>Columns every Master.csv row has.</summary>
    public const int StandardColumnCount = 16;

    /// <summary>Standard columns plus uniqueid, userfield, peeraccount, linkedid and sequence.</summary>
    public const int MaxColumnCount = 21;

    internal const string TimeFormat = "yyyy-MM-dd HH:mm:ss";

    private const int MaxQuotedValueLength = 60;

    private static readonly SearchValues<char> HexDigits = SearchValues.Create("0123456789abcdefABCDEF");

    private readonly TimeZoneInfo _timeZone;
    private readonly CdrDirectionRules _rules;
    private readonly IdInterner _ids = new();
    private readonly AgentAliases _aliases;

    /// <summary>
    /// Event times accepted; an outbound row ending outside is malformed. The calendar's range by
    /// default; the live server narrows it to its clock before each read.
    /// </summary>
    public EventTimeLimits TimeLimits { get; set; } = EventTimeLimits.Supported;

    /// <param name="timeZone">The PBX's time zone, in which Master.csv writes its times.</param>
    /// <param name="rules">Which rows are outbound; <see cref="CdrDirectionRules.None"/> when omitted.</param>
    /// <param name="aliases">Agent aliases (queues.conf, the directory); none when omitted.</param>
    public CdrReader(TimeZoneInfo timeZone, CdrDirectionRules? rules = null, AgentAliases? aliases = null)
    {
        ArgumentNullException.ThrowIfNull(timeZone);
        _timeZone = timeZone;
        _rules = rules ?? CdrDirectionRules.None;
        _aliases = aliases ?? new AgentAliases();
    }

    /// <summary>Reads a Master.csv file; the path is the report's source.</summary>
    public CdrSummary ReadFile(string path, IContactEventSink sink, IngestReport report)
    {
        using var reader = new StreamReader(path, detectEncodingFromByteOrderMarks: true);
        return Read(reader, path, sink, report);
    }

    /// <summary>Reads Master.csv rows from a UTF-8 stream (a byte-order mark is skipped).</summary>
    public CdrSummary Read(Stream stream, string source, IContactEventSink sink, IngestReport report)
    {
        using var reader = new StreamReader(stream, leaveOpen: true);
        return Read(reader, source, sink, report);
    }

    /// <summary>Reads Master.csv rows, sends outbound attempts to the sink and counts every row in the report.</summary>
    /// <returns>Totals over the good rows.</returns>
    public CdrSummary Read(TextReader reader, string source, IContactEventSink sink, IngestReport report)
    {
        ArgumentNullException.ThrowIfNull(sink);
        ArgumentNullException.ThrowIfNull(report);
        var summary = new CdrSummary();
        ReadRows(reader, source, report, (record, line) =>
        {
            bool outbound;
            try
            {
                outbound = _rules.IsOutbound(record);
            }
            catch (RegexMatchTimeoutException)
            {
                report.CountMalformed(new IngestError(source, line, $"field \"channel\": {Quote(record.Channel)} took too long to match the outbound channel pattern"));
                return;
            }

            if (!outbound)
            {
                summary.Count(record, outbound: false);
                report.CountIgnored();
                return;
            }

            if (!TryMapOutbound(record, out var contactEvent, out var error))
            {
                report.CountMalformed(new IngestError(source, line, error));
                return;
            }

            summary.Count(record, outbound: true);
            report.CountEvent();
            sink.Accept(contactEvent);
        });
        return summary;
    }

    /// <summary>
    /// Reads Master.csv rows and hands each good one over as it is, for tools that need the rows
    /// themselves (reconciliation with the PBX, export). Each good row counts as an event in the
    /// report; bad rows are counted as malformed and skipped.
    /// </summary>
    /// <returns>Totals over the good rows (<see cref="CdrSummary.Outbound"/> stays 0: nothing is classified).</returns>
    public CdrSummary ReadRecords(TextReader reader, string source, Action<CdrRecord> onRecord, IngestReport report)
    {
        ArgumentNullException.ThrowIfNull(onRecord);
        ArgumentNullException.ThrowIfNull(report);
        var summary = new CdrSummary();
        ReadRows(reader, source, report, (record, _) =>
        {
            summary.Count(record, outbound: false);
            report.CountEvent();
            onRecord(record);
        });
        return summary;
    }

    private void ReadRows(TextReader reader, string source, IngestReport report, Action<CdrRecord, int> onRow)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(source);
        var line = 1;
        try
        {
            using var csv = Sep.New(',')
                .Reader(o => o with { HasHeader = false, Unescape = true, DisableColCountCheck = true })
                .From(reader, leaveOpen: true);
            foreach (var row in csv)
            {
                line = row.LineNumberFrom;
                if (row.Span.IsWhiteSpace())
                {
                    continue;
                }

                if (TryParse(row, out var record, out var error))
                {
                    onRow(record, line);
                }
                else
                {
                    report.CountMalformed(new IngestError(source, line, error));
                }
            }
        }
        catch (Exception e) when (e is not (IOException or OutOfMemoryException or ObjectDisposedException))
        {
            // Sep accepts any text we have tried; this is the backstop for the promise that content
            // never throws. The rest of the input cannot be resynchronised, so it is one bad row.
            report.CountMalformed(new IngestError(source, line, $"unreadable CSV: {e.Message}"));
        }
    }

    /// <summary>
    /// Maps an outbound row to its <see cref="ContactEventKind.OutboundAttempt"/> event, at the
    /// call's end time. Fails only on a disposition that has no outbound result.
    /// </summary>
    public bool TryMapOutbound(CdrRecord record, out ContactEvent contactEvent, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(record);
        var result = CdrDispositions.ToResult(record.Disposition);
        if (result == OutboundResult.None)
        {
            contactEvent = default;
            error = $"field \"disposition\": {Quote(record.Disposition)} is not ANSWERED, NO ANSWER, BUSY, FAILED or CONGESTION";
            return false;
        }

        var endMs = record.End.ToUnixTimeMilliseconds();
        if (!TimeLimits.Contains(endMs))
        {
            contactEvent = default;
            error = $"field \"end\": {TimeLimits.Describe(endMs)}";
            return false;
        }

        contactEvent = new ContactEvent
        {
            Kind = ContactEventKind.OutboundAttempt,
            UnixTimeMs = endMs,
            CallId = string.IsNullOrEmpty(record.UniqueId) ? CompositeCallId(record) : record.UniqueId,
            Queue = "",
            Agent = AgentOf(record.Channel),
            Customer = record.Dst,
            Campaign = record.AccountCode.Length > 0 ? record.AccountCode : record.DContext,
            Result = result,
            RingMs = (record.Duration - record.BillSec) * 1000L,
            TalkMs = record.BillSec * 1000L,
        };
        error = null;
        return true;
    }

    /// <summary>
    /// The agent of a channel: the name its interface (<c>PJSIP/1001</c> of <c>PJSIP/1001-0000001a</c>;
    /// <c>Local/1001@from-queue</c>, or with <c>/n</c>, of a Local channel) or its extension is an alias
    /// of, else the extension (<see cref="AgentOfChannel"/>).
    /// </summary>
    private string AgentOf(string channel)
    {
        var map = _aliases.Current;
        if (!map.IsEmpty)
        {
            var device = InterfaceOfChannel(channel);
            if (map.TryResolve(device, out var name))
            {
                return name;
            }

            // queues.conf lists Local members with their "/n" (no optimisation) flag; the channel name has none.
            if (device.StartsWith("Local/", StringComparison.OrdinalIgnoreCase) && device.Length < 200)
            {
                Span<char> flagged = stackalloc char[device.Length + 2];
                device.CopyTo(flagged);
                "/n".CopyTo(flagged[device.Length..]);
                if (map.TryResolve(flagged, out name))
                {
                    return name;
                }
            }

            if (map.TryResolve(AgentOfChannel(channel), out name))
            {
                return name;
            }
        }

        return _ids.Intern(AgentOfChannel(channel));
    }

    /// <summary>
    /// The interface of a channel, as queues.conf names members: <c>SIP/1001-0000001a</c> → <c>SIP/1001</c>,
    /// <c>Local/1001@from-queue-00000003;1</c> → <c>Local/1001@from-queue</c>.
    /// </summary>
    internal static ReadOnlySpan<char> InterfaceOfChannel(ReadOnlySpan<char> channel)
    {
        var semicolon = channel.IndexOf(';');
        if (semicolon >= 0)
        {
            channel = channel[..semicolon];
        }

        var slash = channel.IndexOf('/');
        var dash = channel.LastIndexOf('-');
        if (dash > slash + 1 && dash < channel.Length - 1 && !channel[(dash + 1)..].ContainsAnyExcept(HexDigits))
        {
            return channel[..dash];
        }

        return channel;
    }

    /// <summary>
    /// The agent part of a channel name: <c>SIP/1001-0000001a</c> → <c>1001</c>,
    /// <c>Local/1001@ctx-00000003;1</c> → <c>1001</c>; empty when the name has no technology prefix.
    /// </summary>
    internal static ReadOnlySpan<char> AgentOfChannel(ReadOnlySpan<char> channel)
    {
        var slash = channel.IndexOf('/');
        if (slash < 0)
        {
            return [];
        }

        var technology = channel[..slash];
        var resource = channel[(slash + 1)..];
        if (technology.Equals("Local", StringComparison.OrdinalIgnoreCase))
        {
            var at = resource.IndexOf('@');
            if (at >= 0)
            {
                return resource[..at];
            }
        }

        // Asterisk appends "-<hex sequence>" (and ";1"/";2" for Local halves) to make channel names unique.
        var semicolon = resource.IndexOf(';');
        if (semicolon >= 0)
        {
            resource = resource[..semicolon];
        }

        var dash = resource.LastIndexOf('-');
        if (dash > 0 && dash < resource.Length - 1 && !resource[(dash + 1)..].ContainsAnyExcept(HexDigits))
        {
            return resource[..dash];
        }

        return resource;
    }

    private static string CompositeCallId(CdrRecord record) =>
        string.Create(CultureInfo.InvariantCulture, $"cdr-{record.Start.ToUnixTimeSeconds()}-{record.Channel}-{record.Dst}");

    private bool TryParse(SepReader.Row row, [NotNullWhen(true)] out CdrRecord? record, [NotNullWhen(false)] out string? error)
    {
        record = null;
        var count = row.ColCount;
        if (count is < StandardColumnCount or > MaxColumnCount)
        {
            error = string.Create(CultureInfo.InvariantCulture, $"row has {count} columns, expected {StandardColumnCount} to {MaxColumnCount}");
            return false;
        }

        if (!TryParseTime(row[9].Span, "start", out var start, out error)
            || !TryParseOptionalTime(row[10].Span, "answer", out var answer, out error)
            || !TryParseTime(row[11].Span, "end", out var end, out error)
            || !TryParseSeconds(row[12].Span, "duration", out var duration, out error)
            || !TryParseSeconds(row[13].Span, "billsec", out var billSec, out error))
        {
            return false;
        }

        if (billSec > duration)
        {
            error = string.Create(CultureInfo.InvariantCulture, $"field \"billsec\": {billSec} is greater than duration {duration}");
            return false;
        }

        long? sequence = null;
        if (count > 20 && row[20].Span.Length > 0)
        {
            if (!long.TryParse(row[20].Span, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            {
                error = $"field \"sequence\": {Quote(row[20].Span)} is not a number";
                return false;
            }

            sequence = value;
        }

        record = new CdrRecord
        {
            AccountCode = Pooled(row[0].Span),
            Src = Pooled(row[1].Span),
            Dst = Pooled(row[2].Span),
            DContext = Pooled(row[3].Span),
            CallerId = Pooled(row[4].Span),
            Channel = row[5].ToString(),
            DstChannel = row[6].ToString(),
            LastApp = Pooled(row[7].Span),
            LastData = Pooled(row[8].Span),
            Start = start,
            Answer = answer,
            End = end,
            Duration = duration,
            BillSec = billSec,
            Disposition = Pooled(row[14].Span),
            AmaFlags = Pooled(row[15].Span),
            UniqueId = count > 16 ? row[16].ToString() : null,
            UserField = count > 17 ? Pooled(row[17].Span) : null,
            PeerAccount = count > 18 ? Pooled(row[18].Span) : null,
            LinkedId = count > 19 ? row[19].ToString() : null,
            Sequence = sequence,
        };
        error = null;
        return true;
    }

    private string Pooled(ReadOnlySpan<char> value) => value.IsEmpty ? "" : _ids.Intern(value);

    private bool TryParseOptionalTime(ReadOnlySpan<char> text, string field, out DateTimeOffset? time, [NotNullWhen(false)] out string? error)
    {
        if (text.IsEmpty)
        {
            time = null;
            error = null;
            return true;
        }

        var ok = TryParseTime(text, field, out var value, out error);
        time = ok ? value : null;
        return ok;
    }

    private bool TryParseTime(ReadOnlySpan<char> text, string field, out DateTimeOffset time, [NotNullWhen(false)] out string? error)
    {
        if (!DateTime.TryParseExact(text, TimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
        {
            time = default;
            error = $"field \"{field}\": {Quote(text)} is not a time ({TimeFormat})";
            return false;
        }

        // Keeps clear of DateTimeOffset's range limits, which an offset could otherwise cross.
        if (local.Year is < 1970 or > 9998)
        {
            time = default;
            error = $"field \"{field}\": {Quote(text)} is out of range";
            return false;
        }

        time = ToInstant(local, _timeZone);
        error = null;
        return true;
    }

    /// <summary>
    /// The instant of a PBX wall-clock time. A time in the spring-forward gap cannot have been
    /// written by a correct clock; it is read with the offset from before the gap (as if the clock
    /// had not yet moved). A time in the autumn overlap is taken as its first occurrence.
    /// </summary>
    internal static DateTimeOffset ToInstant(DateTime local, TimeZoneInfo timeZone)
    {
        TimeSpan offset;
        if (timeZone.IsInvalidTime(local))
        {
            offset = timeZone.GetUtcOffset(local.AddDays(-1));
        }
        else if (timeZone.IsAmbiguousTime(local))
        {
            offset = TimeSpan.MinValue;
            foreach (var candidate in timeZone.GetAmbiguousTimeOffsets(local))
            {
                offset = candidate > offset ? candidate : offset;
            }
        }
        else
        {
            offset = timeZone.GetUtcOffset(local);
        }

        return new DateTimeOffset(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), offset);
    }

    private static bool TryParseSeconds(ReadOnlySpan<char> text, string field, out int seconds, [NotNullWhen(false)] out string? error)
    {
        if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out seconds))
        {
            error = $"field \"{field}\": {Quote(text)} is not a whole number of seconds";
            return false;
        }

        if (seconds < 0)
        {
            error = string.Create(CultureInfo.InvariantCulture, $"field \"{field}\": {seconds} is negative");
            return false;
        }

        error = null;
        return true;
    }

    internal static string Quote(ReadOnlySpan<char> value) =>
        value.Length <= MaxQuotedValueLength
            ? $"\"{value}\""
            : $"\"{value[..MaxQuotedValueLength]}…\" ({value.Length.ToString(CultureInfo.InvariantCulture)} characters)";
}
