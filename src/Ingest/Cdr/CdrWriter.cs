using System.Globalization;
using nietras.SeparatedValues;
using Wallboard.Ingest.Model;

namespace Wallboard.Ingest.Cdr;

/// <summary>
/// Writes outbound attempts as Asterisk <c>Master.csv</c> rows (16 standard columns, then
/// uniqueid and userfield), so that a dialer's results can be fed to tools that read CDRs.
/// Events of other kinds are skipped and counted in <see cref="Skipped"/>.
/// </summary>
/// <remarks>
/// The inverse of <see cref="CdrReader"/>'s mapping: end is the event time, answer is end minus
/// talk, start is answer minus ring. CDR times are whole seconds, so milliseconds are dropped.
/// Fields are quoted only where CSV needs it, which Asterisk's own reader and
/// <see cref="CdrReader"/> both accept.
/// </remarks>
public sealed class CdrWriter : IContactEventSink, IDisposable
{
    private static readonly string[] ColumnNames =
    [
        "accountcode", "src", "dst", "dcontext", "clid", "channel", "dstchannel", "lastapp", "lastdata",
        "start", "answer", "end", "duration", "billsec", "disposition", "amaflags", "uniqueid", "userfield",
    ];

    // Year 9000: far enough from DateTimeOffset's limits that no time arithmetic here can cross them.
    private const long MaxUnixTimeMs = 221_845_392_000_000;

    // A CDR of more than three years is nonsense; clamping keeps the arithmetic in range.
    private const long MaxSeconds = 100_000_000;

    private readonly SepWriter _writer;
    private readonly TimeZoneInfo _timeZone;
    private readonly string _context;
    private long _sequence;

    /// <param name="writer">Where rows go; left open.</param>
    /// <param name="timeZone">The PBX's time zone: Master.csv times are local wall-clock times.</param>
    /// <param name="context">The dcontext written on every row; a reader classifies outbound rows by it.</param>
    public CdrWriter(TextWriter writer, TimeZoneInfo timeZone, string context = "outbound")
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(timeZone);
        ArgumentNullException.ThrowIfNull(context);
        _timeZone = timeZone;
        _context = context;
        _writer = Sep.New(',')
            .Writer(o => o with { WriteHeader = false, Escape = true })
            .To(writer, leaveOpen: true);
    }

    /// <summary>Rows written.</summary>
    public long Written { get; private set; }

    /// <summary>Events that are not outbound attempts (or have no result), and so have no CDR row.</summary>
    public long Skipped { get; private set; }

    public void Accept(in ContactEvent contactEvent)
    {
        var disposition = CdrDispositions.FromResult(contactEvent.Result);
        if (contactEvent.Kind != ContactEventKind.OutboundAttempt
            || disposition is null
            || contactEvent.UnixTimeMs is < 0 or > MaxUnixTimeMs)
        {
            Skipped++;
            return;
        }

        var ringSeconds = ToSeconds(contactEvent.RingMs);
        var talkSeconds = ToSeconds(contactEvent.TalkMs);
        var end = TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeMilliseconds(contactEvent.UnixTimeMs), _timeZone);
        end = end.AddTicks(-(end.Ticks % TimeSpan.TicksPerSecond));
        var answer = end.AddSeconds(-talkSeconds);
        var start = answer.AddSeconds(-ringSeconds);
        var agent = contactEvent.Agent ?? "";
        var sequence = _sequence++;

        Write(new CdrRecord
        {
            AccountCode = contactEvent.Campaign ?? "",
            Src = agent,
            Dst = contactEvent.Customer ?? "",
            DContext = _context,
            CallerId = $"\"\" <{agent}>",
            Channel = string.Create(CultureInfo.InvariantCulture, $"SIP/{agent}-{sequence:x8}"),
            LastApp = "Dial",
            Start = TimeZoneInfo.ConvertTime(start, _timeZone),
            Answer = contactEvent.Result == OutboundResult.Connected || talkSeconds > 0
                ? TimeZoneInfo.ConvertTime(answer, _timeZone)
                : null,
            End = end,
            Duration = ringSeconds + talkSeconds,
            BillSec = talkSeconds,
            Disposition = disposition,
            AmaFlags = "DOCUMENTATION",
            UniqueId = contactEvent.CallId ?? "",
            UserField = "",
        });
    }

    /// <summary>Writes one row as it is; times are written in the PBX's time zone.</summary>
    public void Write(CdrRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        using var row = _writer.NewRow();
        row[ColumnNames[0]].Set(record.AccountCode);
        row[ColumnNames[1]].Set(record.Src);
        row[ColumnNames[2]].Set(record.Dst);
        row[ColumnNames[3]].Set(record.DContext);
        row[ColumnNames[4]].Set(record.CallerId);
        row[ColumnNames[5]].Set(record.Channel);
        row[ColumnNames[6]].Set(record.DstChannel);
        row[ColumnNames[7]].Set(record.LastApp);
        row[ColumnNames[8]].Set(record.LastData);
        row[ColumnNames[9]].Set(FormatTime(record.Start));
        row[ColumnNames[10]].Set(record.Answer is { } answer ? FormatTime(answer) : "");
        row[ColumnNames[11]].Set(FormatTime(record.End));
        row[ColumnNames[12]].Format(record.Duration);
        row[ColumnNames[13]].Format(record.BillSec);
        row[ColumnNames[14]].Set(record.Disposition);
        row[ColumnNames[15]].Set(record.AmaFlags);
        row[ColumnNames[16]].Set(record.UniqueId ?? "");
        row[ColumnNames[17]].Set(record.UserField ?? "");
        Written++;
    }

    public void Flush() => _writer.Flush();

    public void Dispose() => _writer.Dispose();

    private static int ToSeconds(long? ms) => (int)Math.Clamp((ms ?? 0) / 1000, 0, MaxSeconds);

    private string FormatTime(DateTimeOffset time) =>
        TimeZoneInfo.ConvertTime(time, _timeZone).ToString(CdrReader.TimeFormat, CultureInfo.InvariantCulture);
}
