using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Wallboard.Ingest.Model;
using static Wallboard.Ingest.Json.JsonEventNames;

namespace Wallboard.Ingest.Json;

/// <summary>
/// Writes events as newline-delimited JSON in the schema <see cref="JsonEventParser"/> reads
/// (docs/events.md), one object per line, time as ISO 8601 UTC.
/// </summary>
/// <remarks>
/// Kinds that the schema has no type for are written as the nearest agent state or skipped:
/// <see cref="ContactEventKind.MemberAdded"/> → <c>agent_state logged_in</c> with the queue,
/// <see cref="ContactEventKind.MemberRemoved"/> → <c>agent_state logged_out</c> with the queue,
/// <see cref="ContactEventKind.AgentUnpaused"/> → <c>agent_state available</c>;
/// <see cref="ContactEventKind.RingCanceled"/>, an outbound attempt without a result, and a time
/// outside the ISO 8601 range are skipped and counted in <see cref="Skipped"/>. A required
/// duration the event does not carry is written as 0.
/// </remarks>
public sealed class JsonEventWriter : IContactEventSink, IDisposable
{
    private static readonly JsonWriterOptions Options = new()
    {
        // The output is a data file, never embedded in HTML, so caller names stay readable.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private static readonly long MinUnixTimeMs = DateTimeOffset.MinValue.ToUnixTimeMilliseconds();
    private static readonly long MaxUnixTimeMs = DateTimeOffset.MaxValue.ToUnixTimeMilliseconds();

    private readonly ArrayBufferWriter<byte> _buffer = new(256);
    private readonly Utf8JsonWriter _json;
    private readonly Stream? _stream;
    private readonly TextWriter? _text;
    private readonly bool _leaveOpen;
    private char[] _chars = [];

    /// <summary>Writes UTF-8 to a stream.</summary>
    public JsonEventWriter(Stream stream, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        _stream = stream;
        _leaveOpen = leaveOpen;
        _json = new Utf8JsonWriter(_buffer, Options);
    }

    /// <summary>Writes text to a writer.</summary>
    public JsonEventWriter(TextWriter writer, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(writer);
        _text = writer;
        _leaveOpen = leaveOpen;
        _json = new Utf8JsonWriter(_buffer, Options);
    }

    /// <summary>Lines written.</summary>
    public long Written { get; private set; }

    /// <summary>Events that have no line in this schema.</summary>
    public long Skipped { get; private set; }

    public void Accept(in ContactEvent contactEvent)
    {
        if (contactEvent.UnixTimeMs < MinUnixTimeMs || contactEvent.UnixTimeMs > MaxUnixTimeMs
            || !TryWriteObject(contactEvent))
        {
            Skipped++;
            return;
        }

        _json.Flush();
        _buffer.Write("\n"u8);
        if (_stream is not null)
        {
            _stream.Write(_buffer.WrittenSpan);
        }
        else
        {
            var bytes = _buffer.WrittenSpan;
            var needed = Encoding.UTF8.GetMaxCharCount(bytes.Length);
            if (_chars.Length < needed)
            {
                _chars = new char[Math.Max(needed, _chars.Length * 2)];
            }

            var count = Encoding.UTF8.GetChars(bytes, _chars);
            _text!.Write(_chars.AsSpan(0, count));
        }

        Written++;
        _json.Reset();
        _buffer.ResetWrittenCount();
    }

    public void Flush()
    {
        _stream?.Flush();
        _text?.Flush();
    }

    public void Dispose()
    {
        _json.Dispose();
        if (!_leaveOpen)
        {
            _stream?.Dispose();
            _text?.Dispose();
        }
    }

    private bool TryWriteObject(in ContactEvent e)
    {
        var type = TypeOf(e);
        if (type is null)
        {
            return false;
        }

        _json.Reset();
        _buffer.ResetWrittenCount();
        _json.WriteStartObject();
        _json.WriteString("type"u8, type);
        _json.WriteString("time"u8, DateTime.UnixEpoch.AddMilliseconds(e.UnixTimeMs));
        switch (e.Kind)
        {
            case ContactEventKind.CallQueued:
                CallIdAndQueue(e);
                _json.WriteString("caller"u8, e.Customer ?? "");
                break;

            case ContactEventKind.CallRinging:
            case ContactEventKind.CallHeld:
                CallIdAndQueue(e);
                Agent(e);
                break;

            case ContactEventKind.RingNoAnswer:
                CallIdAndQueue(e);
                Agent(e);
                Seconds("ring_seconds"u8, e.RingMs ?? 0);
                break;

            case ContactEventKind.CallAnswered:
                CallIdAndQueue(e);
                Agent(e);
                Seconds("wait_seconds"u8, e.WaitMs ?? 0);
                OptionalSeconds("ring_seconds"u8, e.RingMs);
                break;

            case ContactEventKind.CallResumed:
                CallIdAndQueue(e);
                Agent(e);
                OptionalSeconds("hold_seconds"u8, e.HoldMs);
                break;

            case ContactEventKind.CallCompleted:
            case ContactEventKind.CallTransferred:
                CallIdAndQueue(e);
                Agent(e);
                Seconds("wait_seconds"u8, e.WaitMs ?? 0);
                Seconds("talk_seconds"u8, e.TalkMs ?? 0);
                OptionalSeconds("hold_seconds"u8, e.HoldMs);
                if (e.Kind == ContactEventKind.CallTransferred)
                {
                    _json.WriteBoolean("transferred"u8, true);
                }

                break;

            case ContactEventKind.CallAbandoned:
                CallIdAndQueue(e);
                Seconds("wait_seconds"u8, e.WaitMs ?? 0);
                break;

            case ContactEventKind.CallTimedOut:
            case ContactEventKind.CallExitedEmpty:
            case ContactEventKind.CallExitedWithKey:
            case ContactEventKind.CallWithdrawn:
                CallIdAndQueue(e);
                Seconds("wait_seconds"u8, e.WaitMs ?? 0);
                _json.WriteString("reason"u8, e.Kind switch
                {
                    ContactEventKind.CallTimedOut => ExitTimeout,
                    ContactEventKind.CallExitedEmpty => ExitEmpty,
                    ContactEventKind.CallWithdrawn => ExitWithdrawn,
                    _ => ExitKey,
                });
                if (e.Kind == ContactEventKind.CallExitedWithKey)
                {
                    _json.WriteString("key"u8, e.Reason ?? "");
                }

                break;

            case ContactEventKind.WrapUpEnded:
                CallIdAndQueue(e);
                Agent(e);
                Seconds("wrapup_seconds"u8, e.WrapUpMs ?? 0);
                break;

            case ContactEventKind.Disposition:
                _json.WriteString("call_id"u8, e.CallId ?? "");
                OptionalString("queue"u8, e.Queue);
                Agent(e);
                _json.WriteString("campaign"u8, e.Campaign ?? "");
                _json.WriteString("customer"u8, e.Customer ?? "");
                _json.WriteString("outcome"u8, e.Reason ?? "");
                _json.WriteBoolean("converted"u8, e.Converted);
                if (e.Complaint)
                {
                    _json.WriteBoolean("complaint"u8, true);
                }

                break;

            case ContactEventKind.OutboundAttempt:
                _json.WriteString("call_id"u8, e.CallId ?? "");
                _json.WriteString("campaign"u8, e.Campaign ?? "");
                Agent(e);
                _json.WriteString("customer"u8, e.Customer ?? "");
                _json.WriteString("result"u8, e.Result switch
                {
                    OutboundResult.Connected => ResultConnected,
                    OutboundResult.NoAnswer => ResultNoAnswer,
                    OutboundResult.Busy => ResultBusy,
                    _ => ResultFailed,
                });
                Seconds("ring_seconds"u8, e.RingMs ?? 0);
                Seconds("talk_seconds"u8, e.TalkMs ?? 0);
                break;

            default: // agent_state
                Agent(e);
                OptionalString("queue"u8, e.Queue);
                _json.WriteString("state"u8, e.Kind switch
                {
                    ContactEventKind.AgentLoggedIn or ContactEventKind.MemberAdded => StateLoggedIn,
                    ContactEventKind.AgentLoggedOut or ContactEventKind.MemberRemoved => StateLoggedOut,
                    ContactEventKind.AgentPaused => StatePaused,
                    _ => StateAvailable,
                });
                if (e.Reason is not null)
                {
                    _json.WriteString("reason"u8, e.Reason);
                }

                break;
        }

        _json.WriteEndObject();
        return true;
    }

    /// <summary>The JSON type of an event, or null when the schema has none for it.</summary>
    private static string? TypeOf(in ContactEvent e) => e.Kind switch
    {
        ContactEventKind.CallQueued => CallQueued,
        ContactEventKind.CallRinging => CallRinging,
        ContactEventKind.RingNoAnswer => RingNoAnswer,
        ContactEventKind.CallAnswered => CallAnswered,
        ContactEventKind.CallHeld => CallHeld,
        ContactEventKind.CallResumed => CallResumed,
        ContactEventKind.CallCompleted or ContactEventKind.CallTransferred => CallEnded,
        ContactEventKind.CallAbandoned => CallAbandoned,
        ContactEventKind.CallTimedOut or ContactEventKind.CallExitedWithKey or ContactEventKind.CallExitedEmpty
            or ContactEventKind.CallWithdrawn => CallExited,
        ContactEventKind.WrapUpEnded => WrapUpEnded,
        ContactEventKind.Disposition => Disposition,
        ContactEventKind.AgentLoggedIn or ContactEventKind.AgentLoggedOut or ContactEventKind.AgentAvailable
            or ContactEventKind.AgentPaused or ContactEventKind.AgentUnpaused
            or ContactEventKind.MemberAdded or ContactEventKind.MemberRemoved => AgentState,
        ContactEventKind.OutboundAttempt when e.Result != OutboundResult.None => OutboundAttempt,
        _ => null,
    };

    private void CallIdAndQueue(in ContactEvent e)
    {
        _json.WriteString("call_id"u8, e.CallId ?? "");
        _json.WriteString("queue"u8, e.Queue ?? "");
    }

    private void Agent(in ContactEvent e) => _json.WriteString("agent"u8, e.Agent ?? "");

    private void OptionalString(ReadOnlySpan<byte> name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            _json.WriteString(name, value);
        }
    }

    private void Seconds(ReadOnlySpan<byte> name, long ms) => _json.WriteNumber(name, ms / 1000m);

    private void OptionalSeconds(ReadOnlySpan<byte> name, long? ms)
    {
        if (ms is { } value)
        {
            Seconds(name, value);
        }
    }
}
