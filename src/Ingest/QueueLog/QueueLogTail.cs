using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Win32.SafeHandles;
using Wallboard.Ingest.Model;

namespace Wallboard.Ingest.QueueLog;

/// <summary>
/// Follows a live queue_log: each <see cref="PollAsync"/> delivers the complete lines appended
/// since the last one, across rotation by rename and by truncation, and persists where it is so
/// that a restart neither loses nor repeats a line.
/// </summary>
/// <remarks>
/// <para>
/// Polling cadence is the caller's (a <c>PeriodicTimer</c> on the host's TimeProvider); calls must
/// not overlap. A partial last line is not delivered: it is read again, whole, once its newline has
/// arrived.
/// </para>
/// <para>
/// File identity. .NET exposes no inode, and P/Invoking <c>stat</c> would tie us to one libc's
/// struct layout, so a file is known by its content instead, as Filebeat's fingerprint mode does:
/// <list type="bullet">
/// <item>While running, the open handle stays on the file it was opened on, which survives a rename
/// on Unix. The path names another file when its first bytes (up to <see cref="FingerprintSize"/>)
/// are not a prefix of the handle's: every queue_log line starts with a timestamp and a call id, so
/// two files never share a first line. A new file that is still empty looks like the old one; that
/// loses nothing, as there is nothing to read in it yet.</item>
/// <item>Across restarts, the state file keeps the SHA-256 of the first
/// min(<see cref="FingerprintSize"/>, offset) bytes, the byte offset after the last delivered line
/// and that line's number. The fingerprint covers only delivered, hence complete and immutable,
/// bytes; with offset 0 it is empty and matches anything, which is right because reading starts at 0
/// anyway.</item>
/// </list>
/// If the file was rotated by rename while the process was down, the file now at the path is
/// another one; the old file is looked for as <c>path.1</c> by its fingerprint, and its unread tail
/// is finished before the new file is read from the start. Lines appended to a file after the last
/// poll and before a copytruncate rotation are in the rotated copy, not here.
/// </para>
/// <para>
/// Exactly once across restarts is the caller's: <see cref="Position"/> after a poll describes
/// where the delivered lines end, and a caller that saves it together with what it made of those
/// lines (the server's checkpoint) and gives it back to <see cref="ResumeFrom"/> neither loses nor
/// repeats a line. With a state file of its own the tail saves after each batch reaches the sink,
/// so a crash between the two repeats that batch.
/// </para>
/// <para>
/// A line longer than <see cref="MaxLineBytes"/> is skipped and reported as malformed, without
/// being held whole: a file with no newline cannot exhaust memory.
/// </para>
/// </remarks>
public sealed partial class QueueLogTail : IDisposable
{
    /// <summary>How many leading bytes identify a file.</summary>
    public const int FingerprintSize = 1024;

    /// <summary>The default longest line, in bytes (a queue_log line is about 100).</summary>
    public const int DefaultMaxLineBytes = 64 * 1024;

    private const int ChunkSize = 64 * 1024;
    private const string StateVersion = "queue_log-tail-state 1";

    private readonly string _path;
    private readonly string? _statePath;
    private readonly QueueLogParser _parser;
    private readonly ILogger _logger;

    private SafeFileHandle? _handle;
    private byte[] _bytes = [];
    private char[] _chars = [];
    private byte[] _fingerprint = [];
    private long _offset;
    private long _line;
    private (long Offset, long Line, int FingerprintLength) _saved = (-1, -1, -1);
    private bool _disposed;
    private TailPosition? _resumeFrom;
    private bool _resumeGiven;

    // An over-long line being skipped: bytes of it already passed over, after _offset.
    private long _skipped = -1;
    private int _linesThisPoll;
    private int _lineLimit;

    /// <param name="path">The queue_log to follow.</param>
    /// <param name="statePath">Where to keep the position between runs; null keeps it in memory only.</param>
    /// <param name="parser">The parser, or null for a new one.</param>
    /// <param name="logger">Logs rotations, truncations and resumption.</param>
    public QueueLogTail(string path, string? statePath, QueueLogParser? parser = null, ILogger<QueueLogTail>? logger = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        _path = path;
        _statePath = string.IsNullOrEmpty(statePath) ? null : statePath;
        _parser = parser ?? new QueueLogParser();
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>The followed path; also the <see cref="IngestError.Source"/> of its errors.</summary>
    public string Path => _path;

    /// <summary>The parser lines go through (the server narrows its <see cref="QueueLogParser.TimeLimits"/> before each poll).</summary>
    public QueueLogParser Parser => _parser;

    /// <summary>Byte offset, in the current file, just after the last delivered line.</summary>
    public long Offset => _offset;

    /// <summary>Physical number of the last delivered line of the current file.</summary>
    public long LineNumber => _line;

    /// <summary>The longest line read, in bytes without its newline; longer lines are skipped and reported.</summary>
    public int MaxLineBytes { get; init; } = DefaultMaxLineBytes;

    /// <summary>
    /// At most this many lines per poll, so that a backlog is handed on in slices of bounded size;
    /// <see cref="HasMore"/> then tells the caller to poll again at once.
    /// </summary>
    public int MaxLinesPerPoll { get; init; } = int.MaxValue;

    /// <summary>Whether the last poll stopped at <see cref="MaxLinesPerPoll"/> with lines left to read.</summary>
    public bool HasMore { get; private set; }

    /// <summary>Where the delivered lines end: the file (by its fingerprint), the byte offset and the line number.</summary>
    public TailPosition Position => new(_fingerprint.Length, Convert.ToHexString(SHA256.HashData(_fingerprint)), _offset, _line);

    /// <summary>
    /// Resumes at <paramref name="position"/> (from the caller's checkpoint) instead of the state
    /// file, or at the start when null. Call before the first poll.
    /// </summary>
    public void ResumeFrom(TailPosition? position)
    {
        if (_handle is not null)
        {
            throw new InvalidOperationException("ResumeFrom is called before the first poll");
        }

        _resumeFrom = position;
        _resumeGiven = true;
    }

    /// <summary>The position a state file of this class holds, or null when it is missing or unreadable (servers moving to a checkpoint read it once).</summary>
    public static TailPosition? ReadStateFile(string statePath)
    {
        try
        {
            return File.Exists(statePath) && State.TryParse(File.ReadAllText(statePath), out var state)
                ? new TailPosition(state.FingerprintLength, Convert.ToHexString(state.FingerprintSha256), state.Offset, state.Line)
                : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>
    /// Reads whatever complete lines are new now, hands their events to <paramref name="sink"/>,
    /// counts every line into <paramref name="report"/> and saves the position.
    /// </summary>
    /// <returns>The number of lines counted (blank lines excluded).</returns>
    public async ValueTask<int> PollAsync(IContactEventSink sink, IngestReport report, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(sink);
        ArgumentNullException.ThrowIfNull(report);
        cancellationToken.ThrowIfCancellationRequested();
        _linesThisPoll = 0;
        _lineLimit = MaxLinesPerPoll;
        HasMore = false;

        if (_handle is null)
        {
            _handle = TryOpen(_path);
            if (_handle is null)
            {
                return 0;
            }

            await ResumeAsync(cancellationToken).ConfigureAwait(false);
        }

        await RestartIfRewrittenAsync(cancellationToken).ConfigureAwait(false);
        var delivered = await DrainAsync(sink, report, final: false, cancellationToken).ConfigureAwait(false);
        if (HasMore)
        {
            // The rest of this file comes first; rotation is looked at once it is read.
            return delivered;
        }

        var next = await OpenIfPathNamesAnotherFileAsync(cancellationToken).ConfigureAwait(false);
        if (next is not null)
        {
            // Whatever reached the old file before the writer reopened is still there: finish it,
            // including a last line that will now never get its newline; all of it, as the old
            // file is let go of next.
            _lineLimit = int.MaxValue;
            delivered += await DrainAsync(sink, report, final: true, cancellationToken).ConfigureAwait(false);
            _linesThisPoll = 0;
            _lineLimit = MaxLinesPerPoll;
            Log.Rotated(_logger, _path, _line);
            _handle.Dispose();
            _handle = next;
            _offset = 0;
            _line = 0;
            _fingerprint = [];
            _skipped = -1;
            SaveState();
            delivered += await DrainAsync(sink, report, final: false, cancellationToken).ConfigureAwait(false);
        }

        return delivered;
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _handle?.Dispose();
        _handle = null;
        if (_bytes.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_bytes);
            _bytes = [];
        }

        if (_chars.Length > 0)
        {
            ArrayPool<char>.Shared.Return(_chars);
            _chars = [];
        }
    }

    private static SafeFileHandle? TryOpen(string path)
    {
        try
        {
            return File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (DirectoryNotFoundException)
        {
            return null;
        }
    }

    private static async ValueTask<byte[]> ReadHeadAsync(SafeFileHandle handle, int length, CancellationToken cancellationToken)
    {
        var buffer = new byte[length];
        var total = 0;
        while (total < length)
        {
            var read = await RandomAccess.ReadAsync(handle, buffer.AsMemory(total), total, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }

            total += read;
        }

        return total == length ? buffer : buffer[..total];
    }

    /// <summary>
    /// Takes up the saved position (given, or from the state file) if it describes the file now at
    /// the path, or else the file rotated to <c>path.1</c> while the process was down, whose unread
    /// tail is then finished first.
    /// </summary>
    private async ValueTask ResumeAsync(CancellationToken cancellationToken)
    {
        _offset = 0;
        _line = 0;
        _fingerprint = [];
        var saved = _resumeGiven ? _resumeFrom : await ReadOwnStateAsync(cancellationToken).ConfigureAwait(false);
        if (saved is null)
        {
            return;
        }

        var head = await MatchingHeadAsync(_handle!, saved, cancellationToken).ConfigureAwait(false);
        if (head is null && TryOpen(_path + ".1") is { } rotated)
        {
            head = await MatchingHeadAsync(rotated, saved, cancellationToken).ConfigureAwait(false);
            if (head is null)
            {
                rotated.Dispose();
            }
            else
            {
                // Polling goes on in the old file; seeing another file at the path, it finishes the old one and switches.
                _handle!.Dispose();
                _handle = rotated;
                Log.ResumedRotated(_logger, _path + ".1", saved.Offset, saved.Line);
            }
        }

        if (head is null)
        {
            Log.StateIsForAnotherFile(_logger, _statePath ?? "the saved position", _path);
            return;
        }

        _offset = saved.Offset;
        _line = saved.Line;
        _fingerprint = head;
        _saved = (_offset, _line, _fingerprint.Length);
        Log.Resumed(_logger, _path, _offset, _line);
    }

    /// <summary>The first bytes of the file at <paramref name="handle"/> when they are those of the saved position, else null.</summary>
    private static async ValueTask<byte[]?> MatchingHeadAsync(SafeFileHandle handle, TailPosition saved, CancellationToken cancellationToken)
    {
        var head = await ReadHeadAsync(handle, saved.FingerprintLength, cancellationToken).ConfigureAwait(false);
        return head.Length == saved.FingerprintLength
            && Convert.ToHexString(SHA256.HashData(head)).Equals(saved.FingerprintSha256, StringComparison.OrdinalIgnoreCase)
            && RandomAccess.GetLength(handle) >= saved.Offset
            ? head
            : null;
    }

    private async ValueTask<TailPosition?> ReadOwnStateAsync(CancellationToken cancellationToken)
    {
        if (_statePath is null || !File.Exists(_statePath))
        {
            return null;
        }

        try
        {
            if (State.TryParse(await File.ReadAllTextAsync(_statePath, cancellationToken).ConfigureAwait(false), out var state))
            {
                return new TailPosition(state.FingerprintLength, Convert.ToHexString(state.FingerprintSha256), state.Offset, state.Line);
            }

            Log.StateUnreadable(_logger, _statePath, "not a queue_log tail state");
        }
        catch (IOException ex)
        {
            Log.StateUnreadable(_logger, _statePath, ex.Message);
        }

        return null;
    }

    /// <summary>A file shorter than the offset, or whose first bytes changed, was truncated (and maybe refilled).</summary>
    private async ValueTask RestartIfRewrittenAsync(CancellationToken cancellationToken)
    {
        var length = RandomAccess.GetLength(_handle!);
        var rewritten = length < _offset;
        if (!rewritten && _fingerprint.Length > 0)
        {
            var head = await ReadHeadAsync(_handle!, _fingerprint.Length, cancellationToken).ConfigureAwait(false);
            rewritten = !head.AsSpan().SequenceEqual(_fingerprint);
        }

        if (rewritten)
        {
            Log.Truncated(_logger, _path, _offset, length);
            _offset = 0;
            _line = 0;
            _fingerprint = [];
            _skipped = -1;
            SaveState();
        }
    }

    /// <summary>
    /// Opens the path when it no longer names the file being read: its first bytes are not a prefix
    /// of ours. The path is read first, so a line appended to our file in between cannot look like a
    /// difference.
    /// </summary>
    private async ValueTask<SafeFileHandle?> OpenIfPathNamesAnotherFileAsync(CancellationToken cancellationToken)
    {
        var candidate = TryOpen(_path);
        if (candidate is null)
        {
            // Renamed away and not yet re-created: keep reading the old file.
            return null;
        }

        try
        {
            var theirs = await ReadHeadAsync(candidate, FingerprintSize, cancellationToken).ConfigureAwait(false);
            var ours = await ReadHeadAsync(_handle!, FingerprintSize, cancellationToken).ConfigureAwait(false);
            if (ours.AsSpan().StartsWith(theirs))
            {
                candidate.Dispose();
                return null;
            }

            return candidate;
        }
        catch
        {
            candidate.Dispose();
            throw;
        }
    }

    private async ValueTask<int> DrainAsync(IContactEventSink sink, IngestReport report, bool final, CancellationToken cancellationToken)
    {
        if (_bytes.Length == 0)
        {
            _bytes = ArrayPool<byte>.Shared.Rent(Math.Min(ChunkSize, MaxLineBytes + 1));
        }

        var delivered = 0;
        var filled = 0;
        var atEnd = false;
        try
        {
            while (_linesThisPoll < _lineLimit)
            {
                if (_skipped >= 0)
                {
                    // Passing over an over-long line: read on to its newline without keeping it.
                    var scanned = await RandomAccess.ReadAsync(_handle!, _bytes, _offset + _skipped, cancellationToken).ConfigureAwait(false);
                    if (scanned == 0)
                    {
                        atEnd = true;
                        break;
                    }

                    var newlineAt = _bytes.AsSpan(0, scanned).IndexOf((byte)'\n');
                    if (newlineAt < 0)
                    {
                        _skipped += scanned;
                        continue;
                    }

                    SkipLongLine(_skipped + newlineAt, 1, report);
                    continue;
                }

                if (filled == _bytes.Length)
                {
                    if (filled > MaxLineBytes)
                    {
                        // The line in the buffer is already longer than any line read.
                        _skipped = filled;
                        filled = 0;
                        continue;
                    }

                    var bigger = ArrayPool<byte>.Shared.Rent(Math.Min(_bytes.Length * 2, MaxLineBytes + 1));
                    _bytes.AsSpan(0, filled).CopyTo(bigger);
                    ArrayPool<byte>.Shared.Return(_bytes);
                    _bytes = bigger;
                }

                var read = await RandomAccess.ReadAsync(_handle!, _bytes.AsMemory(filled), _offset + filled, cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    atEnd = true;
                    break;
                }

                filled += read;
                var consumed = DeliverCompleteLines(_bytes.AsSpan(0, filled), sink, report, ref delivered);
                _bytes.AsSpan(consumed, filled - consumed).CopyTo(_bytes);
                filled -= consumed;
            }

            HasMore = !atEnd;
            if (final && atEnd)
            {
                if (_skipped >= 0)
                {
                    SkipLongLine(_skipped, 0, report);
                }
                else if (filled > 0)
                {
                    _offset += filled;
                    DeliverLine(_bytes.AsSpan(0, filled), sink, report, ref delivered);
                }
            }
        }
        finally
        {
            // Also after a failing sink: the lines it had must not come again after a restart.
            if (_offset > _fingerprint.Length && _fingerprint.Length < FingerprintSize)
            {
                _fingerprint = await ReadHeadAsync(_handle!, (int)Math.Min(FingerprintSize, _offset), CancellationToken.None).ConfigureAwait(false);
            }

            SaveState();
        }

        return delivered;
    }

    /// <summary>Ends the skip of an over-long line of <paramref name="length"/> bytes followed by <paramref name="newline"/> byte(s) and reports it.</summary>
    private void SkipLongLine(long length, int newline, IngestReport report)
    {
        _line++;
        _linesThisPoll++;
        _offset += length + newline;
        _skipped = -1;
        report.CountMalformed(new IngestError(_path, _line, string.Create(
            CultureInfo.InvariantCulture, $"the line is {length} bytes long, more than the limit of {MaxLineBytes}; skipped")));
    }

    private int DeliverCompleteLines(ReadOnlySpan<byte> data, IContactEventSink sink, IngestReport report, ref int delivered)
    {
        var start = 0;
        int newline;
        while (_linesThisPoll < _lineLimit && (newline = data[start..].IndexOf((byte)'\n')) >= 0)
        {
            // Before the sink sees the line: a sink that throws has still had it, and offering a
            // poison line again would stop the tail for good.
            _offset += newline + 1;
            DeliverLine(data.Slice(start, newline), sink, report, ref delivered);
            start += newline + 1;
        }

        return start;
    }

    private void DeliverLine(ReadOnlySpan<byte> line, IContactEventSink sink, IngestReport report, ref int delivered)
    {
        _line++;
        _linesThisPoll++;
        if (line.Length > MaxLineBytes)
        {
            report.CountMalformed(new IngestError(_path, _line, string.Create(
                CultureInfo.InvariantCulture, $"the line is {line.Length} bytes long, more than the limit of {MaxLineBytes}; skipped")));
            return;
        }

        if (_line == 1 && line.StartsWith("\uFEFF"u8))
        {
            line = line[3..];
        }

        if (_chars.Length < line.Length)
        {
            if (_chars.Length > 0)
            {
                ArrayPool<char>.Shared.Return(_chars);
            }

            _chars = ArrayPool<char>.Shared.Rent(Math.Max(line.Length, 256));
        }

        // UTF-8 never decodes to more chars than bytes; invalid bytes become U+FFFD.
        var length = Encoding.UTF8.GetChars(line, _chars);
        if (_parser.Feed(_chars.AsSpan(0, length), sink, report, _path, _line) != QueueLogLineResult.Blank)
        {
            delivered++;
        }
    }

    private void SaveState()
    {
        var current = (_offset, _line, _fingerprint.Length);
        if (_statePath is null || current == _saved)
        {
            return;
        }

        var text = new State(_fingerprint.Length, SHA256.HashData(_fingerprint), _offset, _line).ToString();
        var temporary = _statePath + ".tmp";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            stream.Write(Encoding.UTF8.GetBytes(text));

            // On disk before the rename, or a crash could leave an empty state file behind.
            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, _statePath, overwrite: true);
        _saved = current;
    }

    private readonly record struct State(int FingerprintLength, byte[] FingerprintSha256, long Offset, long Line)
    {
        public override string ToString() => string.Create(
            CultureInfo.InvariantCulture,
            $"{StateVersion}\nfingerprint-length={FingerprintLength}\nfingerprint-sha256={Convert.ToHexString(FingerprintSha256)}\noffset={Offset}\nline={Line}\n");

        public static bool TryParse(string text, out State state)
        {
            state = default;
            var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (lines.Length < 5 || lines[0] != StateVersion)
            {
                return false;
            }

            long length = -1, offset = -1, line = -1;
            byte[]? sha = null;
            foreach (var entry in lines.AsSpan(1))
            {
                var equals = entry.IndexOf('=', StringComparison.Ordinal);
                if (equals < 0)
                {
                    return false;
                }

                var key = entry.AsSpan(0, equals);
                var value = entry.AsSpan(equals + 1);
                var ok = key switch
                {
                    "fingerprint-length" => long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out length),
                    "offset" => long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out offset),
                    "line" => long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out line),
                    "fingerprint-sha256" => TryHex(value, out sha),
                    _ => true,
                };
                if (!ok)
                {
                    return false;
                }
            }

            if (length is < 0 or > FingerprintSize || offset < length || line < 0 || sha is not { Length: 32 })
            {
                return false;
            }

            state = new State((int)length, sha, offset, line);
            return true;
        }

        private static bool TryHex(ReadOnlySpan<char> value, out byte[]? bytes)
        {
            bytes = new byte[value.Length / 2];
            return Convert.FromHexString(value, bytes, out _, out var written) == OperationStatus.Done && written == bytes.Length;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Resuming {Path} at byte {Offset}, after line {Line}")]
        public static partial void Resumed(ILogger logger, string path, long offset, long line);

        [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "Tail state {StatePath} describes another file than the one now at {Path}; reading it from the start")]
        public static partial void StateIsForAnotherFile(ILogger logger, string statePath, string path);

        [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "Tail state {StatePath} is unreadable ({Reason}); reading from the start")]
        public static partial void StateUnreadable(ILogger logger, string statePath, string reason);

        [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "{Path} was truncated or rewritten (offset {Offset}, length now {Length}); reading it from the start")]
        public static partial void Truncated(ILogger logger, string path, long offset, long length);

        [LoggerMessage(EventId = 5, Level = LogLevel.Information, Message = "{Path} was rotated after line {Line} of the old file; following the new one")]
        public static partial void Rotated(ILogger logger, string path, long line);

        [LoggerMessage(EventId = 6, Level = LogLevel.Information, Message = "{Path} is the file followed before the restart (rotated while down); finishing it from byte {Offset}, after line {Line}")]
        public static partial void ResumedRotated(ILogger logger, string path, long offset, long line);
    }
}
