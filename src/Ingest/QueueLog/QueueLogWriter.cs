using System.Buffers;
using System.Globalization;
using Wallboard.Ingest.Model;

namespace Wallboard.Ingest.QueueLog;

/// <summary>
/// Writes events as Asterisk queue_log lines, the inverse of <see cref="QueueLogParser"/>: for
/// every kind the parser produces, parsing a written line gives back the same event.
/// </summary>
/// <remarks>
/// queue_log has no field for what the model does not carry (positions, bridged channel, URL), so
/// positions are written as 1 and the others empty. A duration the line must have but the event
/// lacks is written as 0, so that every line stays readable by other queue_log tools. queue_log
/// has no escaping either: a <c>|</c> or line break inside a value is written as a space.
/// Lines end with <c>\n</c> whatever the platform, as Asterisk writes them.
/// </remarks>
public sealed class QueueLogWriter : IContactEventSink
{
    private static readonly SearchValues<char> Unsafe = SearchValues.Create("|\r\n");

    private readonly TextWriter _writer;

    public QueueLogWriter(TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        _writer = writer;
    }

    /// <summary>Events written as a line.</summary>
    public long Written { get; private set; }

    /// <summary>Events of a kind queue_log cannot express (wrap-up, disposition, outbound, hold, ringing, available).</summary>
    public long Skipped { get; private set; }

    /// <summary>Whether queue_log has a verb for <paramref name="kind"/>.</summary>
    public static bool CanWrite(ContactEventKind kind) => Verb(kind) is not null;

    public void Accept(in ContactEvent contactEvent)
    {
        var verb = Verb(contactEvent.Kind);
        if (verb is null)
        {
            Skipped++;
            return;
        }

        WriteEpoch(contactEvent.UnixTimeMs);
        _writer.Write('|');
        WriteId(contactEvent.CallId);
        _writer.Write('|');
        WriteId(contactEvent.Queue);
        _writer.Write('|');
        WriteId(contactEvent.Agent);
        _writer.Write('|');
        _writer.Write(verb);
        switch (contactEvent.Kind)
        {
            case ContactEventKind.CallQueued:
                // url|callerid|original position
                Separator();
                Separator();
                WriteText(contactEvent.Customer);
                Separator();
                _writer.Write('1');
                break;
            case ContactEventKind.CallAnswered:
                // holdtime|bridged uniqueid|ringtime; an unknown ring time is the old three-field form.
                Separator();
                WriteSeconds(contactEvent.WaitMs ?? 0);
                Separator();
                if (contactEvent.RingMs is { } ring)
                {
                    Separator();
                    WriteSeconds(ring);
                }

                break;
            case ContactEventKind.CallCompleted:
                // holdtime|calltime|original position
                Separator();
                WriteSeconds(contactEvent.WaitMs ?? 0);
                Separator();
                WriteSeconds(contactEvent.TalkMs ?? 0);
                Separator();
                _writer.Write('1');
                break;
            case ContactEventKind.CallTransferred:
                // extension|context|holdtime|calltime|original position
                Separator();
                Separator();
                Separator();
                WriteSeconds(contactEvent.WaitMs ?? 0);
                Separator();
                WriteSeconds(contactEvent.TalkMs ?? 0);
                Separator();
                _writer.Write('1');
                break;
            case ContactEventKind.CallAbandoned:
            case ContactEventKind.CallTimedOut:
            case ContactEventKind.CallExitedEmpty:
                // position|original position|waittime
                _writer.Write("|1|1|");
                WriteOptionalSeconds(contactEvent.WaitMs, contactEvent.Kind == ContactEventKind.CallAbandoned);
                break;
            case ContactEventKind.CallWithdrawn:
                // position|original position|waittime|info
                _writer.Write("|1|1|");
                WriteOptionalSeconds(contactEvent.WaitMs, required: true);
                Separator();
                WriteText(contactEvent.Reason);
                break;
            case ContactEventKind.CallExitedWithKey:
                // key|position|original position|waittime
                Separator();
                WriteText(contactEvent.Reason);
                _writer.Write("|1|1|");
                WriteOptionalSeconds(contactEvent.WaitMs, required: false);
                break;
            case ContactEventKind.RingNoAnswer:
            case ContactEventKind.RingCanceled:
                Separator();
                WriteNumber(contactEvent.RingMs ?? 0);
                break;
            case ContactEventKind.AgentPaused:
            case ContactEventKind.AgentUnpaused:
                Separator();
                WriteText(contactEvent.Reason);
                break;
            default:
                // ADDMEMBER, REMOVEMEMBER and the logins: Asterisk writes one empty data field.
                Separator();
                break;
        }

        _writer.Write('\n');
        Written++;
    }

    private static string? Verb(ContactEventKind kind) => kind switch
    {
        ContactEventKind.CallQueued => "ENTERQUEUE",
        ContactEventKind.CallAnswered => "CONNECT",
        ContactEventKind.CallCompleted => "COMPLETEAGENT",
        ContactEventKind.CallTransferred => "BLINDTRANSFER",
        ContactEventKind.CallAbandoned => "ABANDON",
        ContactEventKind.CallTimedOut => "EXITWITHTIMEOUT",
        ContactEventKind.CallExitedEmpty => "EXITEMPTY",
        ContactEventKind.CallExitedWithKey => "EXITWITHKEY",
        ContactEventKind.CallWithdrawn => "WITHDRAW",
        ContactEventKind.RingNoAnswer => "RINGNOANSWER",
        ContactEventKind.RingCanceled => "RINGCANCELED",
        ContactEventKind.MemberAdded => "ADDMEMBER",
        ContactEventKind.MemberRemoved => "REMOVEMEMBER",
        ContactEventKind.AgentLoggedIn => "AGENTLOGIN",
        ContactEventKind.AgentLoggedOut => "AGENTLOGOFF",
        ContactEventKind.AgentPaused => "PAUSE",
        ContactEventKind.AgentUnpaused => "UNPAUSE",
        _ => null,
    };

    private void Separator() => _writer.Write('|');

    private void WriteId(string? id)
    {
        if (string.IsNullOrEmpty(id))
        {
            _writer.Write("NONE");
        }
        else
        {
            WriteText(id);
        }
    }

    private void WriteText(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return;
        }

        if (text.AsSpan().IndexOfAny(Unsafe) < 0)
        {
            _writer.Write(text);
            return;
        }

        foreach (var c in text)
        {
            _writer.Write(Unsafe.Contains(c) ? ' ' : c);
        }
    }

    private void WriteOptionalSeconds(long? ms, bool required)
    {
        if (ms is { } value)
        {
            WriteSeconds(value);
        }
        else if (required)
        {
            _writer.Write('0');
        }
    }

    private void WriteEpoch(long unixTimeMs) => WriteSeconds(unixTimeMs);

    /// <summary>Whole seconds as Asterisk writes them, with a millisecond fraction only when there is one.</summary>
    private void WriteSeconds(long ms)
    {
        Span<char> buffer = stackalloc char[32];
        var seconds = Math.DivRem(ms, 1000, out var fraction);
        bool ok;
        int written;
        if (fraction == 0)
        {
            ok = seconds.TryFormat(buffer, out written, default, CultureInfo.InvariantCulture);
        }
        else
        {
            ok = buffer.TryWrite(CultureInfo.InvariantCulture, $"{seconds}.{Math.Abs(fraction):000}", out written);
        }

        _writer.Write(ok ? buffer[..written] : []);
    }

    private void WriteNumber(long value)
    {
        Span<char> buffer = stackalloc char[24];
        _ = value.TryFormat(buffer, out var written, default, CultureInfo.InvariantCulture);
        _writer.Write(buffer[..written]);
    }
}
