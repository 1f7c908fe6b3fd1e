using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using Wallboard.Ingest.Aliases;
using Wallboard.Ingest.Model;
using static Wallboard.Ingest.Json.JsonEventNames;

namespace Wallboard.Ingest.Json;

/// <summary>
/// Parses one line of newline-delimited JSON events (docs/events.md) into a <see cref="ContactEvent"/>.
/// Reads the UTF-8 bytes with <see cref="Utf8JsonReader"/> and builds no document; identifiers
/// are interned so that the ids of a long-running feed do not pile up as copies.
/// </summary>
/// <remarks>
/// Never throws on any byte sequence. Fields may come in any order; a field this schema does not
/// know is ignored, but a field it knows must have its documented type on every event type, so
/// that a producer's mistake shows up at once rather than on the one event that uses the field.
/// A <see langword="null"/> value counts as absent. A parser is not thread-safe.
/// </remarks>
public sealed class JsonEventParser
{
    /// <summary>Longest duration accepted, in seconds (about 31 years); more is a producer bug.</summary>
    public const long MaxDurationSeconds = 1_000_000_000;

    private const int MaxQuotedValueBytes = 60;
    private const int MaxTimeBytes = 100;
    private const int StackCharLimit = 256;

    private static readonly long MinUnixSeconds = DateTimeOffset.MinValue.ToUnixTimeSeconds();
    private static readonly long MaxUnixSeconds = DateTimeOffset.MaxValue.ToUnixTimeSeconds();

    private readonly IdInterner _ids;
    private readonly AgentAliases _aliases;

    /// <summary>
    /// Event times accepted; an event outside is malformed. The calendar's range by default; the live
    /// server narrows it to its clock before each read.
    /// </summary>
    public EventTimeLimits TimeLimits { get; set; } = EventTimeLimits.Supported;

    /// <param name="ids">Where ids and names are interned; a table of this parser's own when omitted.</param>
    /// <param name="aliases">Agent aliases resolved as each event is read; none when omitted.</param>
    public JsonEventParser(IdInterner? ids = null, AgentAliases? aliases = null)
    {
        _ids = ids ?? new IdInterner();
        _aliases = aliases ?? new AgentAliases();
    }

    private enum Field : byte
    {
        Unknown,
        Type,
        Time,
        CallId,
        Queue,
        Caller,
        Agent,
        Campaign,
        Customer,
        Outcome,
        State,
        Reason,
        Key,
        Result,
        WaitSeconds,
        RingSeconds,
        TalkSeconds,
        HoldSeconds,
        WrapUpSeconds,
        Transferred,
        Converted,
        Complaint,
    }

    /// <summary>Parses one line (without its line break).</summary>
    /// <param name="line">The line's UTF-8 bytes.</param>
    /// <param name="contactEvent">The event when the result is <see cref="JsonParseStatus.Event"/>.</param>
    /// <param name="error">
    /// For <see cref="JsonParseStatus.Malformed"/> what is wrong, naming the field and the value;
    /// for <see cref="JsonParseStatus.Unknown"/> the type; otherwise <see langword="null"/>.
    /// </param>
    public JsonParseStatus Parse(ReadOnlySpan<byte> line, out ContactEvent contactEvent, out string? error)
    {
        contactEvent = default;
        if (line.IsEmpty || line.IndexOfAnyExcept(" \t\r\n"u8) < 0)
        {
            error = null;
            return JsonParseStatus.Blank;
        }

        // Utf8JsonReader checks the structure but not every string's encoding; checking the whole
        // line first keeps invalid bytes out of ids (where they would turn into U+FFFD silently).
        if (!Utf8.IsValid(line))
        {
            error = "not valid UTF-8";
            return JsonParseStatus.Malformed;
        }

        var fields = default(Fields);
        string? firstFieldError = null;
        try
        {
            var reader = new Utf8JsonReader(line, new JsonReaderOptions { MaxDepth = 64 });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                error = $"not a JSON object: starts with {Describe(ref reader)}";
                return JsonParseStatus.Malformed;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var field = Identify(ref reader);
                reader.Read();
                if (field == Field.Unknown)
                {
                    reader.Skip();
                }
                else if (!ReadField(ref reader, field, ref fields, out var fieldError))
                {
                    // Kept until the type is known: a type from a newer schema is unknown, not malformed.
                    firstFieldError ??= fieldError;
                    reader.Skip();
                }
            }

            // Anything after the object other than white space makes Read throw.
            while (reader.Read())
            {
            }
        }
        catch (JsonException e)
        {
            error = "not valid JSON: " + e.Message;
            return JsonParseStatus.Malformed;
        }
        catch (InvalidOperationException e)
        {
            // Unescaping a lone surrogate (e.g. "\ud800") fails only when the text is asked for.
            error = "not valid JSON text: " + e.Message;
            return JsonParseStatus.Malformed;
        }

        var status = Build(ref fields, firstFieldError, out contactEvent, out error);
        if (status == JsonParseStatus.Event && !TimeLimits.Contains(contactEvent.UnixTimeMs))
        {
            error = $"field \"time\": {TimeLimits.Describe(contactEvent.UnixTimeMs)}";
            contactEvent = default;
            return JsonParseStatus.Malformed;
        }

        return status;
    }

    private JsonParseStatus Build(ref Fields f, string? fieldError, out ContactEvent contactEvent, out string? error)
    {
        contactEvent = default;
        if (f.Type is null)
        {
            error = fieldError ?? Missing("type");
            return JsonParseStatus.Malformed;
        }

        if (!IsKnownType(f.Type))
        {
            error = $"unknown type {Quote(f.Type)}";
            return JsonParseStatus.Unknown;
        }

        if (fieldError is not null)
        {
            error = fieldError;
            return JsonParseStatus.Malformed;
        }

        if (f.TimeMs is not { } time)
        {
            error = Missing("time");
            return JsonParseStatus.Malformed;
        }

        var e = new ContactEvent
        {
            Kind = default,
            UnixTimeMs = time,
            CallId = f.CallId ?? "",
            Queue = f.Queue ?? "",
            Agent = f.Agent is null ? "" : _aliases.Current.Resolve(f.Agent),
        };

        switch (f.Type)
        {
            case CallQueued:
                error = Missing(f.CallId, "call_id") ?? Missing(f.Queue, "queue") ?? Missing(f.Caller, "caller");
                e = e with { Kind = ContactEventKind.CallQueued, Customer = f.Caller };
                break;

            case CallRinging:
                error = Missing(f.CallId, "call_id") ?? Missing(f.Queue, "queue") ?? Missing(f.Agent, "agent");
                e = e with { Kind = ContactEventKind.CallRinging };
                break;

            case RingNoAnswer:
                error = Missing(f.CallId, "call_id") ?? Missing(f.Queue, "queue") ?? Missing(f.Agent, "agent")
                    ?? Missing(f.RingMs, "ring_seconds");
                e = e with { Kind = ContactEventKind.RingNoAnswer, RingMs = f.RingMs };
                break;

            case CallAnswered:
                error = Missing(f.CallId, "call_id") ?? Missing(f.Queue, "queue") ?? Missing(f.Agent, "agent")
                    ?? Missing(f.WaitMs, "wait_seconds");
                e = e with { Kind = ContactEventKind.CallAnswered, WaitMs = f.WaitMs, RingMs = f.RingMs };
                break;

            case CallHeld:
                error = Missing(f.CallId, "call_id") ?? Missing(f.Queue, "queue") ?? Missing(f.Agent, "agent");
                e = e with { Kind = ContactEventKind.CallHeld };
                break;

            case CallResumed:
                error = Missing(f.CallId, "call_id") ?? Missing(f.Queue, "queue") ?? Missing(f.Agent, "agent");
                e = e with { Kind = ContactEventKind.CallResumed, HoldMs = f.HoldMs };
                break;

            case CallEnded:
                error = Missing(f.CallId, "call_id") ?? Missing(f.Queue, "queue") ?? Missing(f.Agent, "agent")
                    ?? Missing(f.WaitMs, "wait_seconds") ?? Missing(f.TalkMs, "talk_seconds");
                e = e with
                {
                    Kind = f.Transferred == true ? ContactEventKind.CallTransferred : ContactEventKind.CallCompleted,
                    WaitMs = f.WaitMs,
                    TalkMs = f.TalkMs,
                    HoldMs = f.HoldMs,
                };
                break;

            case CallAbandoned:
                error = Missing(f.CallId, "call_id") ?? Missing(f.Queue, "queue") ?? Missing(f.WaitMs, "wait_seconds");
                e = e with { Kind = ContactEventKind.CallAbandoned, WaitMs = f.WaitMs };
                break;

            case CallExited:
                error = Missing(f.CallId, "call_id") ?? Missing(f.Queue, "queue") ?? Missing(f.WaitMs, "wait_seconds")
                    ?? Missing(f.Reason, "reason");
                if (error is null)
                {
                    switch (f.Reason)
                    {
                        case ExitTimeout:
                            e = e with { Kind = ContactEventKind.CallTimedOut, WaitMs = f.WaitMs };
                            break;
                        case ExitEmpty:
                            e = e with { Kind = ContactEventKind.CallExitedEmpty, WaitMs = f.WaitMs };
                            break;
                        case ExitKey:
                            error = Missing(f.Key, "key");
                            e = e with { Kind = ContactEventKind.CallExitedWithKey, WaitMs = f.WaitMs, Reason = f.Key };
                            break;
                        case ExitWithdrawn:
                            e = e with { Kind = ContactEventKind.CallWithdrawn, WaitMs = f.WaitMs };
                            break;
                        default:
                            error = NotOneOf("reason", f.Reason, "timeout, key, empty, withdrawn");
                            break;
                    }
                }

                break;

            case WrapUpEnded:
                error = Missing(f.CallId, "call_id") ?? Missing(f.Queue, "queue") ?? Missing(f.Agent, "agent")
                    ?? Missing(f.WrapUpMs, "wrapup_seconds");
                e = e with { Kind = ContactEventKind.WrapUpEnded, WrapUpMs = f.WrapUpMs };
                break;

            case Disposition:
                error = Missing(f.CallId, "call_id") ?? Missing(f.Agent, "agent") ?? Missing(f.Campaign, "campaign")
                    ?? Missing(f.Customer, "customer") ?? Missing(f.Outcome, "outcome") ?? Missing(f.Converted, "converted");
                e = e with
                {
                    Kind = ContactEventKind.Disposition,
                    Campaign = f.Campaign,
                    Customer = f.Customer,
                    Reason = f.Outcome,
                    Converted = f.Converted == true,
                    Complaint = f.Complaint == true,
                };
                break;

            case AgentState:
                error = Missing(f.Agent, "agent") ?? Missing(f.State, "state");
                ContactEventKind kind = default;
                if (error is null)
                {
                    switch (f.State)
                    {
                        case StateLoggedIn:
                            kind = ContactEventKind.AgentLoggedIn;
                            break;
                        case StateLoggedOut:
                            kind = ContactEventKind.AgentLoggedOut;
                            break;
                        case StateAvailable:
                            kind = ContactEventKind.AgentAvailable;
                            break;
                        case StatePaused:
                            kind = ContactEventKind.AgentPaused;
                            break;
                        default:
                            error = NotOneOf("state", f.State, "logged_in, logged_out, available, paused");
                            break;
                    }
                }

                e = e with { Kind = kind, CallId = "", Reason = f.Reason };
                break;

            default: // OutboundAttempt; IsKnownType let nothing else through.
                error = Missing(f.CallId, "call_id") ?? Missing(f.Campaign, "campaign") ?? Missing(f.Agent, "agent")
                    ?? Missing(f.Customer, "customer") ?? Missing(f.Result, "result")
                    ?? Missing(f.RingMs, "ring_seconds") ?? Missing(f.TalkMs, "talk_seconds");
                var result = f.Result switch
                {
                    ResultConnected => OutboundResult.Connected,
                    ResultNoAnswer => OutboundResult.NoAnswer,
                    ResultBusy => OutboundResult.Busy,
                    ResultFailed => OutboundResult.Failed,
                    _ => OutboundResult.None,
                };
                if (error is null && result == OutboundResult.None)
                {
                    error = NotOneOf("result", f.Result, "connected, no_answer, busy, failed");
                }

                e = e with
                {
                    Kind = ContactEventKind.OutboundAttempt,
                    Queue = "",
                    Campaign = f.Campaign,
                    Customer = f.Customer,
                    Result = result,
                    RingMs = f.RingMs,
                    TalkMs = f.TalkMs,
                };
                break;
        }

        if (error is not null)
        {
            return JsonParseStatus.Malformed;
        }

        contactEvent = e;
        return JsonParseStatus.Event;
    }

    private static bool IsKnownType(string type) => type is CallQueued or CallRinging or RingNoAnswer or CallAnswered
        or CallHeld or CallResumed or CallEnded or CallAbandoned or CallExited or WrapUpEnded or Disposition
        or AgentState or OutboundAttempt;

    private static Field Identify(ref Utf8JsonReader reader)
    {
        if (reader.ValueTextEquals("type"u8)) return Field.Type;
        if (reader.ValueTextEquals("time"u8)) return Field.Time;
        if (reader.ValueTextEquals("call_id"u8)) return Field.CallId;
        if (reader.ValueTextEquals("queue"u8)) return Field.Queue;
        if (reader.ValueTextEquals("agent"u8)) return Field.Agent;
        if (reader.ValueTextEquals("caller"u8)) return Field.Caller;
        if (reader.ValueTextEquals("campaign"u8)) return Field.Campaign;
        if (reader.ValueTextEquals("customer"u8)) return Field.Customer;
        if (reader.ValueTextEquals("outcome"u8)) return Field.Outcome;
        if (reader.ValueTextEquals("state"u8)) return Field.State;
        if (reader.ValueTextEquals("reason"u8)) return Field.Reason;
        if (reader.ValueTextEquals("key"u8)) return Field.Key;
        if (reader.ValueTextEquals("result"u8)) return Field.Result;
        if (reader.ValueTextEquals("wait_seconds"u8)) return Field.WaitSeconds;
        if (reader.ValueTextEquals("ring_seconds"u8)) return Field.RingSeconds;
        if (reader.ValueTextEquals("talk_seconds"u8)) return Field.TalkSeconds;
        if (reader.ValueTextEquals("hold_seconds"u8)) return Field.HoldSeconds;
        if (reader.ValueTextEquals("wrapup_seconds"u8)) return Field.WrapUpSeconds;
        if (reader.ValueTextEquals("transferred"u8)) return Field.Transferred;
        if (reader.ValueTextEquals("converted"u8)) return Field.Converted;
        if (reader.ValueTextEquals("complaint"u8)) return Field.Complaint;
        return Field.Unknown;
    }

    private bool ReadField(ref Utf8JsonReader reader, Field field, ref Fields f, [NotNullWhen(false)] out string? error) => field switch
    {
        Field.Type => ReadString(ref reader, "type", out f.Type, out error),
        Field.Time => ReadTime(ref reader, out f.TimeMs, out error),
        Field.CallId => ReadString(ref reader, "call_id", out f.CallId, out error),
        Field.Queue => ReadString(ref reader, "queue", out f.Queue, out error),
        Field.Caller => ReadString(ref reader, "caller", out f.Caller, out error),
        Field.Agent => ReadString(ref reader, "agent", out f.Agent, out error),
        Field.Campaign => ReadString(ref reader, "campaign", out f.Campaign, out error),
        Field.Customer => ReadString(ref reader, "customer", out f.Customer, out error),
        Field.Outcome => ReadString(ref reader, "outcome", out f.Outcome, out error),
        Field.State => ReadString(ref reader, "state", out f.State, out error),
        Field.Reason => ReadString(ref reader, "reason", out f.Reason, out error),
        Field.Key => ReadString(ref reader, "key", out f.Key, out error),
        Field.Result => ReadString(ref reader, "result", out f.Result, out error),
        Field.WaitSeconds => ReadSeconds(ref reader, "wait_seconds", out f.WaitMs, out error),
        Field.RingSeconds => ReadSeconds(ref reader, "ring_seconds", out f.RingMs, out error),
        Field.TalkSeconds => ReadSeconds(ref reader, "talk_seconds", out f.TalkMs, out error),
        Field.HoldSeconds => ReadSeconds(ref reader, "hold_seconds", out f.HoldMs, out error),
        Field.WrapUpSeconds => ReadSeconds(ref reader, "wrapup_seconds", out f.WrapUpMs, out error),
        Field.Transferred => ReadBool(ref reader, "transferred", out f.Transferred, out error),
        Field.Converted => ReadBool(ref reader, "converted", out f.Converted, out error),
        _ => ReadBool(ref reader, "complaint", out f.Complaint, out error),
    };

    private bool ReadString(ref Utf8JsonReader reader, string name, out string? value, [NotNullWhen(false)] out string? error)
    {
        error = null;
        value = null;
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return true;
            case JsonTokenType.String:
                value = Intern(ref reader);
                return true;
            default:
                error = $"field \"{name}\": {Describe(ref reader)} is not a string";
                return false;
        }
    }

    private string Intern(ref Utf8JsonReader reader)
    {
        var raw = reader.ValueSpan;
        if (raw.IsEmpty)
        {
            return "";
        }

        // Text is never longer in chars than in UTF-8 bytes, escaped or not.
        char[]? rented = null;
        var buffer = raw.Length <= StackCharLimit
            ? stackalloc char[StackCharLimit]
            : (rented = ArrayPool<char>.Shared.Rent(raw.Length));
        try
        {
            var length = reader.ValueIsEscaped ? reader.CopyString(buffer) : Encoding.UTF8.GetChars(raw, buffer);
            return _ids.Intern(buffer[..length]);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<char>.Shared.Return(rented);
            }
        }
    }

    private static bool ReadSeconds(ref Utf8JsonReader reader, string name, out long? ms, [NotNullWhen(false)] out string? error)
    {
        ms = null;
        error = null;
        if (reader.TokenType == JsonTokenType.Null)
        {
            return true;
        }

        if (reader.TokenType != JsonTokenType.Number)
        {
            error = $"field \"{name}\": {Describe(ref reader)} is not a number of seconds";
            return false;
        }

        if (!reader.TryGetDecimal(out var seconds) || seconds > MaxDurationSeconds)
        {
            error = $"field \"{name}\": {Describe(ref reader)} is too large";
            return false;
        }

        if (seconds < 0)
        {
            error = $"field \"{name}\": {Describe(ref reader)} is negative";
            return false;
        }

        ms = ToMilliseconds(seconds);
        return true;
    }

    private static bool ReadBool(ref Utf8JsonReader reader, string name, out bool? value, [NotNullWhen(false)] out string? error)
    {
        error = null;
        value = reader.TokenType switch
        {
            JsonTokenType.True => true,
            JsonTokenType.False => false,
            _ => null,
        };
        if (value is null && reader.TokenType != JsonTokenType.Null)
        {
            error = $"field \"{name}\": {Describe(ref reader)} is not true or false";
            return false;
        }

        return true;
    }

    private static bool ReadTime(ref Utf8JsonReader reader, out long? unixTimeMs, [NotNullWhen(false)] out string? error)
    {
        unixTimeMs = null;
        error = null;
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return true;

            case JsonTokenType.Number:
                if (!reader.TryGetDecimal(out var seconds) || seconds < MinUnixSeconds || seconds > MaxUnixSeconds)
                {
                    error = $"field \"time\": {Describe(ref reader)} is out of range for Unix seconds";
                    return false;
                }

                unixTimeMs = ToMilliseconds(seconds);
                return true;

            case JsonTokenType.String:
                if (reader.ValueSpan.Length > MaxTimeBytes)
                {
                    error = $"field \"time\": {Describe(ref reader)} is not an ISO 8601 time";
                    return false;
                }

                // Producers may escape '+' (System.Text.Json does by default), so look at the unescaped text.
                Span<byte> text = stackalloc byte[MaxTimeBytes];
                text = text[..reader.CopyString(text)];
                if (!reader.TryGetDateTimeOffset(out var time))
                {
                    error = $"field \"time\": {Describe(ref reader)} is not an ISO 8601 time";
                    return false;
                }

                // Without an offset the reader would assume this machine's zone, which is not the producer's.
                if (text.Length <= 10 || text[10..].IndexOfAny("Zz+-"u8) < 0)
                {
                    error = $"field \"time\": {Describe(ref reader)} has no UTC offset (add Z or +hh:mm)";
                    return false;
                }

                unixTimeMs = (long)Math.Round((time.UtcTicks - DateTime.UnixEpoch.Ticks) / (decimal)TimeSpan.TicksPerMillisecond, MidpointRounding.AwayFromZero);
                return true;

            default:
                error = $"field \"time\": {Describe(ref reader)} is not an ISO 8601 time or Unix seconds";
                return false;
        }
    }

    /// <summary>Seconds to whole milliseconds, rounding half away from zero (0.0005 s is 1 ms).</summary>
    private static long ToMilliseconds(decimal seconds) =>
        (long)Math.Round(seconds * 1000m, MidpointRounding.AwayFromZero);

    /// <summary>The current value as it appears in the line, shortened, for error messages.</summary>
    private static string Describe(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                return "an object";
            case JsonTokenType.StartArray:
                return "an array";
            case JsonTokenType.None:
                return "nothing";
            case JsonTokenType.String:
                return Quote(Shorten(reader.ValueSpan));
            default:
                return Shorten(reader.ValueSpan);
        }
    }

    private static string Shorten(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length <= MaxQuotedValueBytes)
        {
            return Encoding.UTF8.GetString(utf8);
        }

        // Cut on a character boundary so that the message stays valid text.
        var cut = MaxQuotedValueBytes;
        while (cut > 0 && (utf8[cut] & 0xC0) == 0x80)
        {
            cut--;
        }

        return Encoding.UTF8.GetString(utf8[..cut]) + "…";
    }

    private static string Quote(string value) => "\"" + value + "\"";

    private static string Missing(string name) => $"field \"{name}\" is missing";

    private static string? Missing(string? value, string name) => value is null ? Missing(name) : null;

    private static string? Missing(long? value, string name) => value is null ? Missing(name) : null;

    private static string? Missing(bool? value, string name) => value is null ? Missing(name) : null;

    private static string NotOneOf(string name, string? value, string allowed) =>
        string.Create(CultureInfo.InvariantCulture, $"field \"{name}\": {Quote(value ?? "")} is not one of {allowed}");

    /// <summary>What one line carried; null means absent (or JSON null).</summary>
    private struct Fields
    {
        public string? Type;
        public string? CallId;
        public string? Queue;
        public string? Caller;
        public string? Agent;
        public string? Campaign;
        public string? Customer;
        public string? Outcome;
        public string? State;
        public string? Reason;
        public string? Key;
        public string? Result;
        public long? TimeMs;
        public long? WaitMs;
        public long? RingMs;
        public long? TalkMs;
        public long? HoldMs;
        public long? WrapUpMs;
        public bool? Transferred;
        public bool? Converted;
        public bool? Complaint;
    }
}
