using System.Globalization;
using Wallboard.Ingest.Model;

namespace Wallboard.Ingest.Json;

/// <summary>
/// Reads newline-delimited JSON events (docs/events.md) from a stream: each line is parsed by a
/// <see cref="JsonEventParser"/>, events go to the sink and every line is counted in the report.
/// </summary>
/// <remarks>
/// Lines end with LF or CRLF; a UTF-8 byte-order mark at the start is skipped; blank lines are
/// not counted. A line longer than the limit is reported as malformed and skipped without being
/// buffered whole, so a stream without line breaks cannot exhaust memory. Never throws because of
/// what the stream contains; errors of the stream itself (I/O, cancellation) propagate.
/// </remarks>
public sealed class JsonEventReader
{
    /// <summary>The default longest line, in bytes; real events are a few hundred.</summary>
    public const int DefaultMaxLineBytes = 64 * 1024;

    private const int InitialBufferBytes = 16 * 1024;

    private readonly JsonEventParser _parser;
    private readonly int _maxLineBytes;

    /// <param name="parser">The parser to use; a new one (interning into the shared pool) when omitted.</param>
    /// <param name="maxLineBytes">The longest line accepted, in bytes, without its line break.</param>
    public JsonEventReader(JsonEventParser? parser = null, int maxLineBytes = DefaultMaxLineBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLineBytes, 1);
        _parser = parser ?? new JsonEventParser();
        _maxLineBytes = maxLineBytes;
    }

    /// <summary>Reads the stream to its end.</summary>
    public void Read(Stream stream, string source, IContactEventSink sink, IngestReport report)
    {
        var state = Start(stream, source, sink, report);
        int read;
        do
        {
            read = stream.Read(state.FreeSpace);
            Consume(state, read);
        }
        while (read > 0);
    }

    /// <summary>Reads the stream to its end, asynchronously.</summary>
    public async Task ReadAsync(Stream stream, string source, IContactEventSink sink, IngestReport report, CancellationToken cancellationToken = default)
    {
        var state = Start(stream, source, sink, report);
        int read;
        do
        {
            read = await stream.ReadAsync(state.FreeMemory, cancellationToken).ConfigureAwait(false);
            Consume(state, read);
        }
        while (read > 0);
    }

    /// <summary>Parses one line that was split off elsewhere (e.g. one message of a socket feed) and counts it.</summary>
    /// <param name="line">The line's UTF-8 bytes, without the line break.</param>
    /// <param name="lineNumber">The 1-based number reported with an error.</param>
    /// <param name="source">The feed the line came from, reported with an error.</param>
    /// <param name="sink">Receives the event.</param>
    /// <param name="report">Counts the line.</param>
    public void ReadLine(ReadOnlySpan<byte> line, long lineNumber, string source, IContactEventSink sink, IngestReport report)
    {
        ArgumentNullException.ThrowIfNull(sink);
        ArgumentNullException.ThrowIfNull(report);
        switch (_parser.Parse(line, out var contactEvent, out var error))
        {
            case JsonParseStatus.Event:
                report.CountEvent();
                sink.Accept(contactEvent);
                break;
            case JsonParseStatus.Unknown:
                report.CountUnknown();
                break;
            case JsonParseStatus.Malformed:
                report.CountMalformed(new IngestError(source, lineNumber, error ?? "malformed"));
                break;
            default: // Blank lines are not counted.
                break;
        }
    }

    private State Start(Stream stream, string source, IContactEventSink sink, IngestReport report)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(sink);
        ArgumentNullException.ThrowIfNull(report);
        return new State(source, sink, report, Math.Min(InitialBufferBytes, _maxLineBytes + 1));
    }

    /// <summary>Takes <paramref name="read"/> new bytes (0 at the end of the stream) and handles every complete line.</summary>
    private void Consume(State state, int read)
    {
        var atEnd = read == 0;
        state.End += read;
        var buffer = state.Buffer;
        while (true)
        {
            var pending = buffer.AsSpan(state.Start, state.End - state.Start);
            var newline = pending[state.Scanned..].IndexOf((byte)'\n');
            if (newline < 0)
            {
                break;
            }

            var line = pending[..(state.Scanned + newline)];
            state.Start += line.Length + 1;
            state.Scanned = 0;
            HandleLine(state, line);
        }

        var remaining = state.End - state.Start;
        if (atEnd)
        {
            if (remaining > 0)
            {
                HandleLine(state, buffer.AsSpan(state.Start, remaining));
            }

            state.Start = state.End = 0;
            return;
        }

        // Nothing before Start is needed any more: move the partial line to the front.
        if (state.Start > 0)
        {
            buffer.AsSpan(state.Start, remaining).CopyTo(buffer);
            state.Start = 0;
            state.End = remaining;
        }

        state.Scanned = remaining;
        if (remaining <= _maxLineBytes)
        {
            if (remaining == buffer.Length)
            {
                Array.Resize(ref state.Buffer, (int)Math.Min((long)buffer.Length * 2, _maxLineBytes + 1L));
            }

            return;
        }

        // Too long: report it once, then drop bytes until the next line break.
        if (!state.Skipping)
        {
            state.Report.CountMalformed(new IngestError(
                state.Source,
                state.LineNumber,
                string.Create(CultureInfo.InvariantCulture, $"line is longer than {_maxLineBytes} bytes")));
            state.Skipping = true;
        }

        state.Start = state.End = state.Scanned = 0;
    }

    private void HandleLine(State state, ReadOnlySpan<byte> line)
    {
        var lineNumber = state.LineNumber++;
        if (state.Skipping)
        {
            // The tail of an over-long line, already reported.
            state.Skipping = false;
            return;
        }

        if (lineNumber == 1 && line.StartsWith("\uFEFF"u8))
        {
            line = line[3..];
        }

        if (!line.IsEmpty && line[^1] == (byte)'\r')
        {
            line = line[..^1];
        }

        ReadLine(line, lineNumber, state.Source, state.Sink, state.Report);
    }

    private sealed class State(string source, IContactEventSink sink, IngestReport report, int bufferBytes)
    {
        // A private mutable holder: plain fields keep the parsing loop readable.
        public byte[] Buffer = new byte[bufferBytes];
        public int Start;
        public int End;
        public int Scanned;
        public long LineNumber = 1;
        public bool Skipping;

        public string Source { get; } = source;

        public IContactEventSink Sink { get; } = sink;

        public IngestReport Report { get; } = report;

        public Span<byte> FreeSpace => Buffer.AsSpan(End);

        public Memory<byte> FreeMemory => Buffer.AsMemory(End);
    }
}
