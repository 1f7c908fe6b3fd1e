using System.Buffers.Binary;
using System.Buffers;
using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Text;
using Wallboard.Ingest.Aliases;
using Wallboard.Ingest.Model;

namespace Wallboard.Ingest.QueueLog;

/// <summary>
/// Parses Asterisk queue_log lines (<c>epoch|callid|queue|agent|EVENT|data1|…|data5</c>) into
/// <see cref="ContactEvent"/>s.
/// </summary>
/// <remarks>
/// Lines are parsed as the UTF-8 bytes of the file: a reader hands over lines where they lie in
/// its buffer, with no decoding into UTF-16 first, and a line given as text is encoded and parsed
/// the same way, so there is one set of rules. A good line costs no allocation once its ids are in
/// the parser's interners (<see cref="Utf8Interner"/>): the line is cut into ranges on the stack
/// and only ids not seen lately are materialised (the call id of a new call, and its caller id,
/// which is not interned: a caller rarely calls twice in the interner's reach, and interning every
/// caller filled the table and missed the cache on each call). Only a malformed line allocates,
/// for its message. One instance per reading thread: neither the interners nor the last-id caches
/// are thread-safe. (CommunityToolkit's StringPool, used at first, cost 690 ns a line against 310
/// ns with a dictionary looked up by span; parsing bytes with the table of bytes, 174–178 ns against
/// 192–193 for text with that dictionary, in the benchmark with tiered PGO off as the executable runs.)
/// Agents are resolved through <see cref="AgentAliases"/> here, once per change of agent from one
/// line to the next, so that an interface and a member name reach the core as one name and the
/// core never looks an alias up.
/// The methods a line goes through are compiled optimised at their first call
/// (<see cref="MethodImplOptions.AggressiveOptimization"/>), as are the core's: <c>wallboard kpi</c>
/// over 200 MB lasts a second or two, and it spent a fifth of its CPU running precompiled and
/// call-counted code until the optimised code replaced it (1.85–1.95 s against 1.37–1.62 s).
/// </remarks>
public sealed class QueueLogParser
{
    // epoch, callid, queue, agent, event and data1..data5; anything past data5 stays in data5.
    private const int MaxFields = 10;
    private const int FirstData = 5;
    private const int MaxShownValue = 64;

    // Lines given as text up to this many bytes are encoded on the stack.
    private const int StackLineBytes = 1024;

    // Call ids churn (a few hundred calls in progress in a large centre); names (queues, agents,
    // pause reasons, keys) stay: apart, so that new calls never push a name out.
    private readonly Utf8Interner _callIds = new(4096);
    private readonly Utf8Interner _names = new(4096);
    private readonly AgentAliases _aliases;

    // Queues and agents repeat line after line, and a call's lines tend to be close together, so
    // comparing with the previous value is cheaper than hashing into the table.
    private LastId _lastCallId = new();
    private LastId _lastQueue = new();

    // The agent as written on the previous line, and the name it resolved to under _aliasMap.
    private LastId _lastAgentText = new();
    private string _lastAgent = string.Empty;
    private AgentAliasMap _aliasMap = AgentAliasMap.Empty;

    public QueueLogParser()
        : this(new AgentAliases())
    {
    }

    /// <param name="aliases">The agent aliases to resolve (queues.conf, the directory).</param>
    public QueueLogParser(AgentAliases aliases)
    {
        ArgumentNullException.ThrowIfNull(aliases);
        _aliases = aliases;
        _aliasMap = _aliases.Current;
    }

    /// <summary>
    /// Event times accepted; a line outside is malformed. The calendar's range by default; the live
    /// server narrows it to its clock before each read.
    /// </summary>
    public EventTimeLimits TimeLimits { get; set; } = EventTimeLimits.Supported;

    /// <summary>
    /// Whether events carry the call id and the caller id as text (true, the default) or as their
    /// keys only (<see cref="ContactEvent.CallKey"/> and <see cref="ContactEvent.CustomerKey"/>, the
    /// same keys, with <see cref="ContactEvent.CallId"/> empty and <see cref="ContactEvent.Customer"/> null).
    /// </summary>
    /// <remarks>
    /// For a sink that only tells calls and customers apart, as the metrics core does: <c>wallboard
    /// kpi</c>. Text costs a string for each call and each caller, and the call ids' table.
    /// </remarks>
    public bool KeepIdText { get; init; } = true;

    /// <summary>Parses one line given as text (a trailing <c>\r</c> is tolerated), as its UTF-8 bytes would be. Never throws.</summary>
    /// <param name="line">The line without its <c>\n</c>.</param>
    /// <param name="contactEvent">The event when the result is <see cref="QueueLogLineResult.Event"/>; otherwise default.</param>
    /// <param name="error">For <see cref="QueueLogLineResult.Malformed"/>, what is wrong; otherwise null.</param>
    public QueueLogLineResult Parse(ReadOnlySpan<char> line, out ContactEvent contactEvent, out string? error)
    {
        byte[]? rented = null;
        var utf8 = Encode(line, line.Length <= StackLineBytes / 3 ? stackalloc byte[StackLineBytes] : default, ref rented);
        try
        {
            return Parse(utf8, out contactEvent, out error);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>Parses one line of UTF-8 (a trailing <c>\r</c> is tolerated). Never throws.</summary>
    /// <param name="line">The line without its <c>\n</c>.</param>
    /// <param name="contactEvent">The event when the result is <see cref="QueueLogLineResult.Event"/>; otherwise default.</param>
    /// <param name="error">For <see cref="QueueLogLineResult.Malformed"/>, what is wrong; otherwise null.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public QueueLogLineResult Parse(ReadOnlySpan<byte> line, out ContactEvent contactEvent, out string? error)
    {
        contactEvent = default;
        error = null;
        if (!line.IsEmpty && line[^1] == '\r')
        {
            line = line[..^1];
        }

        if (IsBlank(line))
        {
            return QueueLogLineResult.Blank;
        }

        Span<Range> ranges = stackalloc Range[MaxFields];
        var count = SplitFields(line, ranges);
        if (count < FirstData)
        {
            error = string.Create(CultureInfo.InvariantCulture, $"expected at least {FirstData} fields, got {count}");
            return QueueLogLineResult.Malformed;
        }

        var fields = new Fields(line, ranges[..count]);
        var epoch = line[ranges[0]];
        if (!TryParseScaled(epoch, 3, out var unixTimeMs))
        {
            error = $"epoch '{Show(epoch)}' is not a Unix time";
            return QueueLogLineResult.Malformed;
        }

        if (!TimeLimits.Contains(unixTimeMs))
        {
            error = $"epoch '{Show(epoch)}': {TimeLimits.Describe(unixTimeMs)}";
            return QueueLogLineResult.Malformed;
        }

        return VerbOf(line[ranges[4]]) switch
        {
            Verb.EnterQueue => Queued(ref fields, unixTimeMs, out contactEvent, out error),
            Verb.Connect => Connect(ref fields, unixTimeMs, out contactEvent, out error),
            Verb.CompleteAgent => Completed(ref fields, "COMPLETEAGENT", unixTimeMs, out contactEvent, out error),
            Verb.CompleteCaller => Completed(ref fields, "COMPLETECALLER", unixTimeMs, out contactEvent, out error),
            Verb.Abandon => Exit(ref fields, ContactEventKind.CallAbandoned, "ABANDON", 3, required: true, unixTimeMs, out contactEvent, out error),

            // Asterisk 1.4 wrote EXITWITHTIMEOUT with the position only; the wait is then unknown, not zero.
            Verb.ExitWithTimeout => Exit(ref fields, ContactEventKind.CallTimedOut, "EXITWITHTIMEOUT", 3, required: false, unixTimeMs, out contactEvent, out error),
            Verb.ExitEmpty => Exit(ref fields, ContactEventKind.CallExitedEmpty, "EXITEMPTY", 3, required: false, unixTimeMs, out contactEvent, out error),
            Verb.ExitWithKey => Exit(ref fields, ContactEventKind.CallExitedWithKey, "EXITWITHKEY", 4, required: false, unixTimeMs, out contactEvent, out error),

            // Asterisk 16+: position|original position|wait|info; the caller leaves the queue, e.g. for a callback.
            Verb.Withdraw => Exit(ref fields, ContactEventKind.CallWithdrawn, "WITHDRAW", 3, required: true, unixTimeMs, out contactEvent, out error),
            Verb.BlindTransfer => Transfer(ref fields, "BLINDTRANSFER", 3, unixTimeMs, out contactEvent, out error),
            Verb.Transfer => Transfer(ref fields, "TRANSFER", 3, unixTimeMs, out contactEvent, out error),
            Verb.AttendedTransfer => AttendedTransfer(ref fields, unixTimeMs, out contactEvent, out error),
            Verb.RingNoAnswer => Ring(ref fields, ContactEventKind.RingNoAnswer, "RINGNOANSWER", unixTimeMs, out contactEvent, out error),
            Verb.RingCanceled => Ring(ref fields, ContactEventKind.RingCanceled, "RINGCANCELED", unixTimeMs, out contactEvent, out error),
            Verb.AddMember => Agent(ref fields, ContactEventKind.MemberAdded, "ADDMEMBER", unixTimeMs, withReason: false, out contactEvent, out error),
            Verb.RemoveMember => Agent(ref fields, ContactEventKind.MemberRemoved, "REMOVEMEMBER", unixTimeMs, withReason: false, out contactEvent, out error),
            Verb.AgentLogin => Agent(ref fields, ContactEventKind.AgentLoggedIn, "AGENTLOGIN", unixTimeMs, withReason: false, out contactEvent, out error),
            Verb.AgentCallbackLogin => Agent(ref fields, ContactEventKind.AgentLoggedIn, "AGENTCALLBACKLOGIN", unixTimeMs, withReason: false, out contactEvent, out error),
            Verb.AgentLogoff => Agent(ref fields, ContactEventKind.AgentLoggedOut, "AGENTLOGOFF", unixTimeMs, withReason: false, out contactEvent, out error),
            Verb.AgentCallbackLogoff => Agent(ref fields, ContactEventKind.AgentLoggedOut, "AGENTCALLBACKLOGOFF", unixTimeMs, withReason: false, out contactEvent, out error),
            Verb.Pause => Agent(ref fields, ContactEventKind.AgentPaused, "PAUSE", unixTimeMs, withReason: true, out contactEvent, out error),
            Verb.PauseAll => Agent(ref fields, ContactEventKind.AgentPaused, "PAUSEALL", unixTimeMs, withReason: true, out contactEvent, out error),

            // Asterisk 13+ logs the reason on UNPAUSE too; keeping it costs nothing.
            Verb.Unpause => Agent(ref fields, ContactEventKind.AgentUnpaused, "UNPAUSE", unixTimeMs, withReason: true, out contactEvent, out error),
            Verb.UnpauseAll => Agent(ref fields, ContactEventKind.AgentUnpaused, "UNPAUSEALL", unixTimeMs, withReason: true, out contactEvent, out error),
            Verb.Ignored => QueueLogLineResult.Ignored,
            _ => QueueLogLineResult.Unknown,
        };
    }

    /// <inheritdoc cref="Feed(ReadOnlySpan{byte}, IContactEventSink, IngestReport, string, long)"/>
    public QueueLogLineResult Feed(ReadOnlySpan<char> line, IContactEventSink sink, IngestReport report, string source, long lineNumber)
    {
        byte[]? rented = null;
        var utf8 = Encode(line, line.Length <= StackLineBytes / 3 ? stackalloc byte[StackLineBytes] : default, ref rented);
        try
        {
            return Feed(utf8, sink, report, source, lineNumber);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>Parses one line and counts it into <paramref name="report"/>, handing an event to <paramref name="sink"/>.</summary>
    /// <remarks>
    /// A line that starts with NUL bytes is what an unclean shutdown leaves: the file was extended
    /// but the line never written, and the next line was appended after the hole. The NULs are
    /// reported with the line number and the line after them is read.
    /// </remarks>
    /// <returns>The result; <see cref="QueueLogLineResult.Blank"/> lines are not counted.</returns>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public QueueLogLineResult Feed(ReadOnlySpan<byte> line, IContactEventSink sink, IngestReport report, string source, long lineNumber)
    {
        ArgumentNullException.ThrowIfNull(sink);
        ArgumentNullException.ThrowIfNull(report);
        if (!line.IsEmpty && line[0] == 0)
        {
            var nuls = line.IndexOfAnyExcept((byte)0);
            if (nuls < 0 || IsBlank(line[nuls..]))
            {
                report.CountMalformed(new IngestError(source, lineNumber, string.Create(CultureInfo.InvariantCulture,
                    $"{(nuls < 0 ? line.Length : nuls)} NUL bytes and no line after them (left by an unclean shutdown)")));
                return QueueLogLineResult.Malformed;
            }

            report.CountRepaired(new IngestError(source, lineNumber, string.Create(CultureInfo.InvariantCulture,
                $"{nuls} NUL bytes before the line (left by an unclean shutdown); the line after them was read")));
            line = line[nuls..];
        }

        var result = Parse(line, out var contactEvent, out var error);
        switch (result)
        {
            case QueueLogLineResult.Event:
                report.CountEvent();
                sink.Accept(in contactEvent);
                break;
            case QueueLogLineResult.Ignored:
                report.CountIgnored();
                break;
            case QueueLogLineResult.Unknown:
                report.CountUnknown();
                break;
            case QueueLogLineResult.Malformed:
                report.CountMalformed(new IngestError(source, lineNumber, error ?? "malformed"));
                break;
            default:
                break;
        }

        return result;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private QueueLogLineResult Queued(ref Fields f, long time, out ContactEvent e, out string? error)
    {
        e = default;
        if (!CallIds(ref f, "ENTERQUEUE", out var callId, out var queue, out var agent, out error))
        {
            return QueueLogLineResult.Malformed;
        }

        var callerId = f.Data(2);
        e = KeepIdText
            ? new ContactEvent
            {
                Kind = ContactEventKind.CallQueued,
                UnixTimeMs = time,
                InternedCallId = callId,
                Queue = queue,
                Agent = agent,
                Customer = callerId.IsEmpty ? null : Encoding.UTF8.GetString(callerId),
            }
            : new ContactEvent
            {
                Kind = ContactEventKind.CallQueued,
                UnixTimeMs = time,
                InternedCallId = callId,
                Queue = queue,
                Agent = agent,
                CustomerKeyWithoutText = IdKey.Of(callerId),
            };
        return QueueLogLineResult.Event;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private QueueLogLineResult Connect(ref Fields f, long time, out ContactEvent e, out string? error)
    {
        e = default;
        if (!CallIds(ref f, "CONNECT", out var callId, out var queue, out var agent, out error)
            || !f.Duration(1, "holdtime", "CONNECT", required: true, seconds: true, out var wait, out error)
            || !f.Duration(3, "ringtime", "CONNECT", required: false, seconds: true, out var ring, out error))
        {
            return QueueLogLineResult.Malformed;
        }

        e = new ContactEvent
        {
            Kind = ContactEventKind.CallAnswered,
            UnixTimeMs = time,
            InternedCallId = callId,
            Queue = queue,
            Agent = agent,
            WaitMs = wait,
            RingMs = ring,
        };
        return QueueLogLineResult.Event;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private QueueLogLineResult Completed(ref Fields f, string verb, long time, out ContactEvent e, out string? error)
    {
        e = default;
        if (!CallIds(ref f, verb, out var callId, out var queue, out var agent, out error)
            || !f.Duration(1, "holdtime", verb, required: true, seconds: true, out var wait, out error)
            || !f.Duration(2, "calltime", verb, required: true, seconds: true, out var talk, out error))
        {
            return QueueLogLineResult.Malformed;
        }

        e = new ContactEvent
        {
            Kind = ContactEventKind.CallCompleted,
            UnixTimeMs = time,
            InternedCallId = callId,
            Queue = queue,
            Agent = agent,
            WaitMs = wait,
            TalkMs = talk,
        };
        return QueueLogLineResult.Event;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private QueueLogLineResult Exit(ref Fields f, ContactEventKind kind, string verb, int waitField, bool required, long time, out ContactEvent e, out string? error)
    {
        e = default;
        if (!CallIds(ref f, verb, out var callId, out var queue, out var agent, out error)
            || !f.Duration(waitField, "waittime", verb, required, seconds: true, out var wait, out error))
        {
            return QueueLogLineResult.Malformed;
        }

        string? reason = null;
        if (kind == ContactEventKind.CallExitedWithKey)
        {
            var key = f.Data(1);
            reason = key.IsEmpty ? null : _names.Intern(key).Text;
        }
        else if (kind == ContactEventKind.CallWithdrawn)
        {
            // The info is free text of up to 40 characters and may itself hold '|'; rare, so not interned.
            var info = f.Rest(4);
            reason = info.IsEmpty ? null : Encoding.UTF8.GetString(info);
        }

        e = new ContactEvent
        {
            Kind = kind,
            UnixTimeMs = time,
            InternedCallId = callId,
            Queue = queue,
            Agent = agent,
            WaitMs = wait,
            Reason = reason,
        };
        return QueueLogLineResult.Event;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private QueueLogLineResult Transfer(ref Fields f, string verb, int holdField, long time, out ContactEvent e, out string? error)
    {
        e = default;
        if (!CallIds(ref f, verb, out var callId, out var queue, out var agent, out error)
            || !f.Duration(holdField, "holdtime", verb, required: true, seconds: true, out var wait, out error)
            || !f.Duration(holdField + 1, "calltime", verb, required: true, seconds: true, out var talk, out error))
        {
            return QueueLogLineResult.Malformed;
        }

        e = new ContactEvent
        {
            Kind = ContactEventKind.CallTransferred,
            UnixTimeMs = time,
            InternedCallId = callId,
            Queue = queue,
            Agent = agent,
            WaitMs = wait,
            TalkMs = talk,
        };
        return QueueLogLineResult.Event;
    }

    private QueueLogLineResult AttendedTransfer(ref Fields f, long time, out ContactEvent e, out string? error)
    {
        // BRIDGE|id|hold|call|pos and APP|app|hold|call|pos carry the times in data3/data4;
        // LINK|chan1|chan2|hold|call one field later.
        var method = f.Data(1);
        if (method.SequenceEqual("BRIDGE"u8) || method.SequenceEqual("APP"u8))
        {
            return Transfer(ref f, "ATTENDEDTRANSFER", 3, time, out e, out error);
        }

        if (method.SequenceEqual("LINK"u8))
        {
            return Transfer(ref f, "ATTENDEDTRANSFER", 4, time, out e, out error);
        }

        e = default;
        error = $"field data1 (method) of ATTENDEDTRANSFER: '{Show(method)}' is not BRIDGE, APP or LINK";
        return QueueLogLineResult.Malformed;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private QueueLogLineResult Ring(ref Fields f, ContactEventKind kind, string verb, long time, out ContactEvent e, out string? error)
    {
        e = default;
        if (!CallIds(ref f, verb, out var callId, out var queue, out var agent, out error)
            || !f.Duration(1, "ringtime", verb, required: true, seconds: false, out var ring, out error))
        {
            return QueueLogLineResult.Malformed;
        }

        e = new ContactEvent
        {
            Kind = kind,
            UnixTimeMs = time,
            InternedCallId = callId,
            Queue = queue,
            Agent = agent,
            RingMs = ring,
        };
        return QueueLogLineResult.Event;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private QueueLogLineResult Agent(ref Fields f, ContactEventKind kind, string verb, long time, bool withReason, out ContactEvent e, out string? error)
    {
        e = default;
        var agentField = f.Field(3);
        if (IsNone(agentField))
        {
            error = $"agent is empty on {verb}";
            return QueueLogLineResult.Malformed;
        }

        string? reason = null;
        if (withReason)
        {
            var text = f.Data(1);
            reason = text.IsEmpty ? null : _names.Intern(text).Text;
        }

        error = null;

        // Agent events are not about a call: queue_log puts NONE or the login channel's id there.
        e = new ContactEvent
        {
            Kind = kind,
            UnixTimeMs = time,
            CallId = string.Empty,
            Queue = Queue(f.Field(2)),
            Agent = AgentId(agentField),
            Reason = reason,
        };
        return QueueLogLineResult.Event;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool CallIds(ref Fields f, string verb, out InternedId callId, out string queue, out string agent, out string? error)
    {
        var id = f.Field(1);
        if (IsNone(id))
        {
            callId = InternedId.Empty;
            queue = agent = string.Empty;
            error = $"callid is empty on {verb}";
            return false;
        }

        callId = KeepIdText ? _lastCallId.Intern(id, _callIds) : new InternedId(string.Empty, IdKey.Of(id));
        queue = Queue(f.Field(2));
        agent = AgentId(f.Field(3));
        error = null;
        return true;
    }

    private string Queue(ReadOnlySpan<byte> text) => IsNone(text) ? string.Empty : _lastQueue.Intern(text, _names).Text;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private string AgentId(ReadOnlySpan<byte> text)
    {
        if (IsNone(text))
        {
            return string.Empty;
        }

        // The same agent as on the previous line, under the same aliases, resolves as it did then.
        if (!_lastAgentText.Holds(text) || !ReferenceEquals(_aliasMap, _aliases.Current))
        {
            _aliasMap = _aliases.Current;
            _lastAgent = _aliasMap.Resolve(_lastAgentText.Intern(text, _names).Text);
        }

        return _lastAgent;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool IsNone(ReadOnlySpan<byte> text) => text.IsEmpty || (text.Length == 4 && BinaryPrimitives.ReadUInt32LittleEndian(text) == 0x454E4F4E);

    /// <summary>Whether a line is empty or white space only, as <see cref="MemoryExtensions.IsWhiteSpace(ReadOnlySpan{char})"/> says of its text.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool IsBlank(ReadOnlySpan<byte> line)
    {
        foreach (var b in line)
        {
            if (b >= 0x80)
            {
                // White space beyond ASCII (an ideographic space, say): decided on the text.
                return Encoding.UTF8.GetString(line).AsSpan().IsWhiteSpace();
            }

            if (!char.IsWhiteSpace((char)b))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A line given as text, as UTF-8 (an unpaired surrogate becomes U+FFFD, as the readers decode).</summary>
    private static ReadOnlySpan<byte> Encode(ReadOnlySpan<char> line, Span<byte> stack, ref byte[]? rented)
    {
        var bytes = stack;
        if (Encoding.UTF8.GetMaxByteCount(line.Length) > bytes.Length)
        {
            rented = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetByteCount(line));
            bytes = rented;
        }

        return bytes[..Encoding.UTF8.GetBytes(line, bytes)];
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static Verb VerbOf(ReadOnlySpan<byte> verb) => verb.Length switch
    {
        3 when verb.SequenceEqual("DID"u8) => Verb.Ignored,
        5 when verb.SequenceEqual("PAUSE"u8) => Verb.Pause,
        7 when verb.SequenceEqual("CONNECT"u8) => Verb.Connect,
        7 when verb.SequenceEqual("ABANDON"u8) => Verb.Abandon,
        7 when verb.SequenceEqual("UNPAUSE"u8) => Verb.Unpause,
        7 when verb.SequenceEqual("PENALTY"u8) || verb.SequenceEqual("OUTCALL"u8) => Verb.Ignored,
        8 when verb.SequenceEqual("WITHDRAW"u8) => Verb.Withdraw,
        8 when verb.SequenceEqual("TRANSFER"u8) => Verb.Transfer,
        8 when verb.SequenceEqual("PAUSEALL"u8) => Verb.PauseAll,
        9 when verb.SequenceEqual("EXITEMPTY"u8) => Verb.ExitEmpty,
        9 when verb.SequenceEqual("ADDMEMBER"u8) => Verb.AddMember,
        9 when verb.SequenceEqual("SYSCOMPAT"u8) || verb.SequenceEqual("RINGINUSE"u8) || verb.SequenceEqual("AGENTDUMP"u8) => Verb.Ignored,
        10 when verb.SequenceEqual("ENTERQUEUE"u8) => Verb.EnterQueue,
        10 when verb.SequenceEqual("AGENTLOGIN"u8) => Verb.AgentLogin,
        10 when verb.SequenceEqual("UNPAUSEALL"u8) => Verb.UnpauseAll,
        10 when verb.SequenceEqual("QUEUESTART"u8) => Verb.Ignored,
        11 when verb.SequenceEqual("EXITWITHKEY"u8) => Verb.ExitWithKey,
        11 when verb.SequenceEqual("AGENTLOGOFF"u8) => Verb.AgentLogoff,
        12 when verb.SequenceEqual("RINGNOANSWER"u8) => Verb.RingNoAnswer,
        12 when verb.SequenceEqual("RINGCANCELED"u8) => Verb.RingCanceled,
        12 when verb.SequenceEqual("REMOVEMEMBER"u8) => Verb.RemoveMember,
        12 when verb.SequenceEqual("CONFIGRELOAD"u8) => Verb.Ignored,
        13 when verb.SequenceEqual("COMPLETEAGENT"u8) => Verb.CompleteAgent,
        13 when verb.SequenceEqual("BLINDTRANSFER"u8) => Verb.BlindTransfer,
        14 when verb.SequenceEqual("COMPLETECALLER"u8) => Verb.CompleteCaller,
        15 when verb.SequenceEqual("EXITWITHTIMEOUT"u8) => Verb.ExitWithTimeout,
        16 when verb.SequenceEqual("ATTENDEDTRANSFER"u8) => Verb.AttendedTransfer,
        18 when verb.SequenceEqual("AGENTCALLBACKLOGIN"u8) => Verb.AgentCallbackLogin,
        19 when verb.SequenceEqual("AGENTCALLBACKLOGOFF"u8) => Verb.AgentCallbackLogoff,
        _ => Verb.Unknown,
    };

    /// <summary>
    /// Cuts a line at '|' into at most <paramref name="ranges"/>.Length fields, the last taking the
    /// rest, exactly as <see cref="MemoryExtensions.Split(ReadOnlySpan{char}, Span{Range}, char, StringSplitOptions)"/>
    /// does with text. Split was a fifth of the reading time (53 ns a line); one vector compare here
    /// finds the separators of 32 bytes at once. ('|' is never part of a longer UTF-8 sequence.)
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static int SplitFields(ReadOnlySpan<byte> line, Span<Range> ranges)
    {
        var lastField = ranges.Length - 1;
        var count = 0;
        var start = 0;
        var i = 0;
        if (lastField > 0 && Vector256.IsHardwareAccelerated && line.Length >= Vector256<byte>.Count)
        {
            var separator = Vector256.Create((byte)'|');
            while (i < line.Length)
            {
                // The last block is the line's last 32 bytes with those already seen shifted out: one
                // more compare instead of up to 31 steps of the loop below.
                var offset = Math.Min(i, line.Length - Vector256<byte>.Count);
                var found = Vector256.Equals(Vector256.Create(line.Slice(offset, Vector256<byte>.Count)), separator).ExtractMostSignificantBits() >> (i - offset);
                while (found != 0)
                {
                    var at = i + BitOperations.TrailingZeroCount(found);
                    ranges[count++] = new Range(start, at);
                    start = at + 1;
                    if (count == lastField)
                    {
                        return Rest(ranges, count, start, line.Length);
                    }

                    found &= found - 1;
                }

                i = offset + Vector256<byte>.Count;
            }
        }

        for (; i < line.Length && count < lastField; i++)
        {
            if (line[i] == '|')
            {
                ranges[count++] = new Range(start, i);
                start = i + 1;
            }
        }

        return ranges.IsEmpty ? 0 : Rest(ranges, count, start, line.Length);

        static int Rest(Span<Range> ranges, int count, int start, int end)
        {
            ranges[count] = new Range(start, end);
            return count + 1;
        }
    }

    /// <summary>
    /// Parses <c>digits[.digits]</c> and scales it by 10^<paramref name="fractionDigits"/>,
    /// truncating further fraction digits (seconds → ms with 3). No sign, no exponent, no culture.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static bool TryParseScaled(ReadOnlySpan<byte> text, int fractionDigits, out long value)
    {
        // 15 integer digits keep value * 1000 far from overflow and are still ~30 million years.
        const int MaxIntegerDigits = 15;
        value = 0;
        var i = 0;
        if (text.Length >= 8 && TryParseEightDigits(text, out var eight))
        {
            // The first eight digits of an epoch at once (a fifth of the parser's time went on digits).
            value = (long)eight;
            i = 8;
        }

        while (i < text.Length && (uint)(text[i] - '0') <= 9)
        {
            if (i == MaxIntegerDigits)
            {
                return false;
            }

            value = (value * 10) + (text[i] - '0');
            i++;
        }

        if (i == 0)
        {
            return false;
        }

        var fraction = 0;
        if (i < text.Length)
        {
            if (text[i] != '.' || i == text.Length - 1)
            {
                return false;
            }

            i++;
            for (; i < text.Length; i++)
            {
                var digit = (uint)(text[i] - '0');
                if (digit > 9)
                {
                    return false;
                }

                if (fraction < fractionDigits)
                {
                    value = (value * 10) + digit;
                    fraction++;
                }
            }
        }

        for (; fraction < fractionDigits; fraction++)
        {
            value *= 10;
        }

        return true;
    }

    /// <summary>Eight ASCII digits as a number, in a few operations on one 64-bit word (SWAR).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool TryParseEightDigits(ReadOnlySpan<byte> text, out ulong value)
    {
        var chunk = BinaryPrimitives.ReadUInt64LittleEndian(text);

        // Every byte 0x30..0x39: its high nibble 3, and adding 6 to it leaves the high nibble 3.
        if (((chunk & 0xF0F0F0F0F0F0F0F0UL) | (((chunk + 0x0606060606060606UL) & 0xF0F0F0F0F0F0F0F0UL) >> 4)) != 0x3333333333333333UL)
        {
            value = 0;
            return false;
        }

        // The first character is the lowest byte: pairs, then fours, then the eight.
        var digits = chunk - 0x3030303030303030UL;
        digits = (digits * 10) + (digits >> 8);
        value = (((digits & 0x000000FF000000FFUL) * (100 + (1_000_000UL << 32)))
            + (((digits >> 16) & 0x000000FF000000FFUL) * (1 + (10_000UL << 32)))) >> 32;
        return true;
    }

    internal static string Show(ReadOnlySpan<byte> utf8)
    {
        var value = Encoding.UTF8.GetString(utf8);
        return value.Length <= MaxShownValue ? value : string.Concat(value.AsSpan(0, MaxShownValue), "…");
    }

    private enum Verb : byte
    {
        Unknown,
        Ignored,
        EnterQueue,
        Connect,
        CompleteAgent,
        CompleteCaller,
        Abandon,
        ExitWithTimeout,
        ExitEmpty,
        ExitWithKey,
        Withdraw,
        BlindTransfer,
        Transfer,
        AttendedTransfer,
        RingNoAnswer,
        RingCanceled,
        AddMember,
        RemoveMember,
        AgentLogin,
        AgentCallbackLogin,
        AgentLogoff,
        AgentCallbackLogoff,
        Pause,
        PauseAll,
        Unpause,
        UnpauseAll,
    }

    /// <summary>The id of the previous line, as its bytes and interned, so that a repeat costs a compare.</summary>
    private sealed class LastId
    {
        private byte[] _bytes = new byte[64];
        private int _length = -1;
        private InternedId _id = InternedId.Empty;

        public bool Holds(ReadOnlySpan<byte> utf8) => _length >= 0 && utf8.SequenceEqual(_bytes.AsSpan(0, _length));

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public InternedId Intern(ReadOnlySpan<byte> utf8, Utf8Interner interner)
        {
            if (!Holds(utf8))
            {
                _id = interner.Intern(utf8);
                if (utf8.Length > _bytes.Length)
                {
                    _bytes = new byte[Math.Max(utf8.Length, _bytes.Length * 2)];
                }

                utf8.CopyTo(_bytes);
                _length = utf8.Length;
            }

            return _id;
        }
    }

    private readonly ref struct Fields(ReadOnlySpan<byte> line, ReadOnlySpan<Range> ranges)
    {
        private readonly ReadOnlySpan<byte> _line = line;
        private readonly ReadOnlySpan<Range> _ranges = ranges;

        public ReadOnlySpan<byte> Field(int index) => index < _ranges.Length ? _line[_ranges[index]] : default;

        /// <summary>data1..data5, 1-based as in the Asterisk documentation.</summary>
        public ReadOnlySpan<byte> Data(int number) => Field(FirstData - 1 + number);

        /// <summary>From the start of data<paramref name="number"/> to the end of the line, separators included.</summary>
        public ReadOnlySpan<byte> Rest(int number)
        {
            var index = FirstData - 1 + number;
            return index < _ranges.Length ? _line[_ranges[index].Start..] : default;
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public bool Duration(int number, string name, string verb, bool required, bool seconds, out long? value, out string? error)
        {
            value = null;
            error = null;
            var index = FirstData - 1 + number;
            var text = index < _ranges.Length ? _line[_ranges[index]] : default;
            if (index == MaxFields - 1 && text.IndexOf((byte)'|') is var bar and >= 0)
            {
                // data5 holds the rest of the line: a sixth data field (ATTENDEDTRANSFER via LINK, whose
                // first %s is "LINK|chan1|chan2"), or a database back-end's data5, where Asterisk puts
                // everything past the fourth separator.
                text = text[..bar];
            }

            if (text.IsEmpty)
            {
                if (!required)
                {
                    return true;
                }

                error = index < _ranges.Length
                    ? string.Create(CultureInfo.InvariantCulture, $"field data{number} ({name}) of {verb} is empty")
                    : string.Create(CultureInfo.InvariantCulture, $"field data{number} ({name}) of {verb} is missing");
                return false;
            }

            if (TryParseScaled(text, seconds ? 3 : 0, out var parsed))
            {
                value = parsed;
                return true;
            }

            var problem = text[0] == '-' && TryParseScaled(text[1..], 0, out _) ? "is negative" : "is not a number";
            error = string.Create(CultureInfo.InvariantCulture, $"field data{number} ({name}) of {verb}: '{Show(text)}' {problem}");
            return false;
        }
    }
}
