using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using Wallboard.Ingest.Model;

namespace Wallboard.Ingest.QueueLog;

/// <summary>
/// Reads a whole queue_log (a batch import) and feeds its events to a sink, counting every line
/// into an <see cref="IngestReport"/>.
/// </summary>
/// <remarks>
/// The bytes are read in chunks into one pooled buffer and lines are parsed where they lie, as
/// UTF-8, so no string is made per line and nothing is decoded but the ids the events keep. A line
/// longer than the buffer grows it; the buffer goes back to the pool at the end. A stream that
/// starts with a UTF-16 or UTF-32 byte-order mark is decoded into text first. Line numbers are
/// physical: blank lines are not counted but keep their number.
/// </remarks>
public sealed class QueueLogReader
{
    /// <summary>Progress is reported after at least this many more bytes have been read.</summary>
    public const long ProgressInterval = 1 << 20;

    private const int DefaultBufferSize = 64 * 1024;

    private readonly QueueLogParser _parser;

    public QueueLogReader()
        : this(new QueueLogParser())
    {
    }

    public QueueLogReader(QueueLogParser parser)
    {
        ArgumentNullException.ThrowIfNull(parser);
        _parser = parser;
    }

    /// <summary>Initial size of the buffer (bytes, or characters of a UTF-16 or UTF-32 stream); it grows for longer lines.</summary>
    public int BufferSize { get; init; } = DefaultBufferSize;

    /// <summary>
    /// Called with (bytes read, total bytes) at most once per <see cref="ProgressInterval"/> and once
    /// at the end. A stream that cannot seek has no position or length to give: it is reported once,
    /// at the end, as (-1, -1).
    /// </summary>
    public Action<long, long>? Progress { get; init; }

    /// <summary>Reads <paramref name="path"/>; errors name the file by its file name.</summary>
    public void ReadFile(string path, IContactEventSink sink, IngestReport report)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = OpenFile(path);
        Read(stream, Path.GetFileName(path), sink, report);
    }

    /// <inheritdoc cref="ReadFile"/>
    public async Task ReadFileAsync(string path, IContactEventSink sink, IngestReport report, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var stream = OpenFile(path);
        await using (stream.ConfigureAwait(false))
        {
            await ReadAsync(stream, Path.GetFileName(path), sink, report, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Reads <paramref name="stream"/> (UTF-8, BOM tolerated; UTF-16 or UTF-32 with a BOM) to its end.</summary>
    public void Read(Stream stream, string source, IContactEventSink sink, IngestReport report)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (IsText(stream))
        {
            using var reader = CreateReader(stream);
            using var text = new LineAssembler<char>(this, stream, source, sink, report);
            int read;
            while ((read = reader.Read(text.FreeSpace().Span)) > 0)
            {
                text.Advance(read);
            }

            text.Finish();
            return;
        }

        using var lines = new LineAssembler<byte>(this, stream, source, sink, report);
        int count;
        while ((count = stream.Read(lines.FreeSpace().Span)) > 0)
        {
            lines.Advance(count);
        }

        lines.Finish();
    }

    /// <summary>
    /// Reads a run of whole lines of a file already in memory (a chunk of <see cref="ChunkedQueueLogReader"/>),
    /// parsing them where they lie as <see cref="Read"/> would; a byte-order mark is skipped only at
    /// the start of the file. Line numbers count from the run's first line.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal void ReadLines(ReadOnlySpan<byte> utf8, bool atFileStart, string source, IContactEventSink sink, IngestReport report)
    {
        if (atFileStart && utf8.StartsWith(Encoding.UTF8.Preamble))
        {
            utf8 = utf8[Encoding.UTF8.Preamble.Length..];
        }

        long lineNumber = 0;
        while (!utf8.IsEmpty)
        {
            var newline = utf8.IndexOf((byte)'\n');
            var line = newline < 0 ? utf8 : utf8[..newline];
            _ = _parser.Feed(line, sink, report, source, ++lineNumber);
            utf8 = newline < 0 ? default : utf8[(newline + 1)..];
        }
    }

    /// <inheritdoc cref="Read"/>
    public async Task ReadAsync(Stream stream, string source, IContactEventSink sink, IngestReport report, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (IsText(stream))
        {
            using var reader = CreateReader(stream);
            using var text = new LineAssembler<char>(this, stream, source, sink, report);
            int read;
            while ((read = await reader.ReadAsync(text.FreeSpace(), cancellationToken).ConfigureAwait(false)) > 0)
            {
                text.Advance(read);
            }

            text.Finish();
            return;
        }

        using var lines = new LineAssembler<byte>(this, stream, source, sink, report);
        int count;
        while ((count = await stream.ReadAsync(lines.FreeSpace(), cancellationToken).ConfigureAwait(false)) > 0)
        {
            lines.Advance(count);
        }

        lines.Finish();
    }

    /// <summary>
    /// Whether the stream is to be decoded into text first: it starts with a UTF-16 or UTF-32
    /// byte-order mark, or cannot seek back after the look (then a <see cref="StreamReader"/> decides).
    /// A UTF-8 one is skipped, as a <see cref="StreamReader"/> skips it.
    /// </summary>
    private static bool IsText(Stream stream)
    {
        if (!stream.CanSeek)
        {
            return true;
        }

        var start = stream.Position;
        Span<byte> head = stackalloc byte[4];
        head = head[..stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false)];
        var text = head is [0xFE, 0xFF, ..] or [0xFF, 0xFE, ..] or [0x00, 0x00, 0xFE, 0xFF];
        stream.Position = !text && head.StartsWith(Encoding.UTF8.Preamble) ? start + Encoding.UTF8.Preamble.Length : start;
        return text;
    }

    private static FileStream OpenFile(string path) =>
        new(path, new FileStreamOptions
        {
            Mode = FileMode.Open,
            Access = FileAccess.Read,
            Share = FileShare.ReadWrite | FileShare.Delete,
            BufferSize = 0, // the StreamReader buffers; a second buffer only copies
            Options = FileOptions.SequentialScan,
        });

    private static StreamReader CreateReader(Stream stream) =>
        new(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 64 * 1024, leaveOpen: true);

    /// <summary>Holds the undecided tail of the buffer between reads and feeds complete lines to the parser.</summary>
    /// <typeparam name="TUnit">Bytes of UTF-8, or characters of text decoded from UTF-16 or UTF-32.</typeparam>
    private sealed class LineAssembler<TUnit> : IDisposable
        where TUnit : unmanaged, IEquatable<TUnit>
    {
        private static readonly TUnit Newline = typeof(TUnit) == typeof(byte) ? (TUnit)(object)(byte)'\n' : (TUnit)(object)'\n';

        private readonly QueueLogParser _parser;
        private readonly Stream _stream;
        private readonly string _source;
        private readonly IContactEventSink _sink;
        private readonly IngestReport _report;
        private readonly Action<long, long>? _progress;
        private readonly long _total;
        private TUnit[] _buffer;
        private int _start;
        private int _end;
        private long _lineNumber;
        private long _lastProgress;

        public LineAssembler(QueueLogReader owner, Stream stream, string source, IContactEventSink sink, IngestReport report)
        {
            ArgumentNullException.ThrowIfNull(source);
            ArgumentNullException.ThrowIfNull(sink);
            ArgumentNullException.ThrowIfNull(report);
            _parser = owner._parser;
            _stream = stream;
            _source = source;
            _sink = sink;
            _report = report;
            _progress = owner.Progress;
            _total = stream.CanSeek ? stream.Length : -1;
            _buffer = ArrayPool<TUnit>.Shared.Rent(Math.Max(owner.BufferSize, 16));
        }

        public Memory<TUnit> FreeSpace()
        {
            if (_end == _buffer.Length)
            {
                if (_start > 0)
                {
                    // Only the partial last line moves; it is short compared with the buffer.
                    _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
                    _end -= _start;
                    _start = 0;
                }
                else
                {
                    var bigger = ArrayPool<TUnit>.Shared.Rent(_buffer.Length * 2);
                    _buffer.AsSpan(0, _end).CopyTo(bigger);
                    ArrayPool<TUnit>.Shared.Return(_buffer);
                    _buffer = bigger;
                }
            }

            return _buffer.AsMemory(_end);
        }

        public void Advance(int read)
        {
            // Everything before _end was already searched for a newline.
            var scan = _end;
            _end += read;
            var buffer = _buffer.AsSpan(0, _end);
            while (true)
            {
                var newline = buffer[scan..].IndexOf(Newline);
                if (newline < 0)
                {
                    break;
                }

                var lineEnd = scan + newline;
                Feed(buffer[_start..lineEnd]);
                _start = lineEnd + 1;
                scan = _start;
            }

            if (_start == _end)
            {
                _start = _end = 0;
            }

            if (_progress is not null && _stream.CanSeek)
            {
                var position = _stream.Position;
                if (position - _lastProgress >= ProgressInterval)
                {
                    _lastProgress = position;
                    _progress(position, _total);
                }
            }
        }

        public void Finish()
        {
            if (_start < _end)
            {
                Feed(_buffer.AsSpan(_start, _end - _start));
                _start = _end = 0;
            }

            _progress?.Invoke(_stream.CanSeek ? _stream.Position : -1, _total);
        }

        public void Dispose()
        {
            ArrayPool<TUnit>.Shared.Return(_buffer);
            _buffer = [];
        }

        private void Feed(ReadOnlySpan<TUnit> line)
        {
            _lineNumber++;
            _ = typeof(TUnit) == typeof(byte)
                ? _parser.Feed(MemoryMarshal.Cast<TUnit, byte>(line), _sink, _report, _source, _lineNumber)
                : _parser.Feed(MemoryMarshal.Cast<TUnit, char>(line), _sink, _report, _source, _lineNumber);
        }
    }
}
