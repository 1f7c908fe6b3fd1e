using System.Buffers;
using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using Microsoft.Win32.SafeHandles;
using Wallboard.Ingest.Model;
using Wallboard.Ingest.Pipeline;

namespace Wallboard.Ingest.QueueLog;

/// <summary>
/// Reads a whole queue_log file on several threads: the file is cut into chunks of whole lines,
/// each parsed by a <see cref="QueueLogReader"/> of its own, and the events are handed to the sink
/// in file order, so the sink sees exactly what one reader would give it, line numbers included.
/// </summary>
/// <remarks>
/// queue_log is written in time order, so a chunk boundary is a time boundary: a call whose lines
/// lie in two chunks reaches the sink in order, as the chunks are handed over one after the other.
/// Parsing was the slower side of <c>wallboard kpi</c> (one core parsing, the other applying
/// events and waiting). Spread over both cores, kpi over 200 MB took 0.96–1.06 s with the machine
/// free, against 1.23 s at best with one reading thread, at some 20 % more CPU (mostly the garbage collector scanning the
/// batches parsed ahead): on a machine whose other core is busy it gains nothing. Only a few chunks
/// are parsed ahead of the sink, so memory stays bounded whatever the size of the file. A file
/// that is not UTF-8 (a UTF-16 or UTF-32 byte-order mark), and one that fits in one chunk, is read
/// by one <see cref="QueueLogReader"/>.
/// </remarks>
public sealed class ChunkedQueueLogReader
{
    /// <summary>Default bytes per chunk: about 30,000 lines, parsed in a few milliseconds.</summary>
    public const int DefaultChunkBytes = 2 << 20;

    private const int BatchSize = 4096;

    // How far a worker looks past a chunk's nominal end for the newline that ends its last line, at first.
    private const int BoundaryWindow = 4096;

    private readonly Func<QueueLogParser> _newParser;

    public ChunkedQueueLogReader()
        : this(static () => new QueueLogParser())
    {
    }

    /// <param name="newParser">Makes the parser of one reading thread (a parser is not thread-safe).</param>
    public ChunkedQueueLogReader(Func<QueueLogParser> newParser)
    {
        ArgumentNullException.ThrowIfNull(newParser);
        _newParser = newParser;
    }

    /// <summary>Bytes per chunk (a chunk ends at the first line end after this many bytes).</summary>
    public int ChunkBytes { get; init; } = DefaultChunkBytes;

    /// <summary>Threads parsing chunks; by default one per core.</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;

    /// <summary>Called with (bytes handed over, file size) after each chunk, as <see cref="QueueLogReader.Progress"/>.</summary>
    public Action<long, long>? Progress { get; init; }

    /// <summary>Reads <paramref name="path"/> to its end; errors name the file by its file name.</summary>
    /// <param name="path">The queue_log file.</param>
    /// <param name="sink">Takes the events in file order, on the calling thread.</param>
    /// <param name="report">What reading found.</param>
    /// <param name="cancellationToken">Stops the reading between chunks (<see cref="OperationCanceledException"/>); a file of one chunk is read whole.</param>
    public void ReadFile(string path, IContactEventSink sink, IngestReport report, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(sink);
        ArgumentNullException.ThrowIfNull(report);
        ArgumentOutOfRangeException.ThrowIfLessThan(ChunkBytes, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(Threads, 1);
        using var file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var length = RandomAccess.GetLength(file);
        if (length <= ChunkBytes || Threads == 1 || !IsUtf8(file))
        {
            new QueueLogReader(_newParser()) { Progress = Progress }.ReadFile(path, sink, report);
            return;
        }

        using var run = new Run(this, file, length, Path.GetFileName(path), cancellationToken);
        run.ReadAll(sink, report);
    }

    /// <summary>False when the file starts with a UTF-16 or UTF-32 byte-order mark: its lines cannot be cut at a byte.</summary>
    private static bool IsUtf8(SafeFileHandle file)
    {
        Span<byte> start = stackalloc byte[4];
        start = start[..RandomAccess.Read(file, start, 0)];
        return start is not ([0xFE, 0xFF, ..] or [0xFF, 0xFE, ..] or [0x00, 0x00, 0xFE, 0xFF]);
    }

    /// <summary>One reading of one file: the workers, the chunks in flight and the hand-over in order.</summary>
    private sealed class Run : IDisposable
    {
        private readonly ChunkedQueueLogReader _owner;
        private readonly SafeFileHandle _file;
        private readonly long _length;
        private readonly string _source;
        private readonly long _chunkCount;
        private readonly Chunk[] _inFlight;
        private readonly SemaphoreSlim _free;
        private readonly ConcurrentQueue<EventBatch> _ownBatches = new();
        private readonly CancellationTokenSource _stop;
        private IEventBatchSink? _batchSink;
        private long _nextChunk;

        public Run(ChunkedQueueLogReader owner, SafeFileHandle file, long length, string source, CancellationToken cancellationToken)
        {
            _stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            _owner = owner;
            _file = file;
            _length = length;
            _source = source;
            _chunkCount = ((length - 1) / owner.ChunkBytes) + 1;

            // Each worker parses one chunk while the sink takes another and one more waits ready.
            _inFlight = new Chunk[owner.Threads + 2];
            for (var i = 0; i < _inFlight.Length; i++)
            {
                _inFlight[i] = new Chunk();
            }

            _free = new SemaphoreSlim(_inFlight.Length);
        }

        public void ReadAll(IContactEventSink sink, IngestReport report)
        {
            _batchSink = sink as IEventBatchSink;
            var workers = new Thread[Math.Min(_owner.Threads, (int)Math.Min(_chunkCount, int.MaxValue))];
            for (var i = 0; i < workers.Length; i++)
            {
                workers[i] = new Thread(Work) { IsBackground = true, Name = "queue_log chunk reader" };
                workers[i].Start();
            }

            try
            {
                long linesBefore = 0;
                long handedOver = 0;
                for (long index = 0; index < _chunkCount; index++)
                {
                    var chunk = _inFlight[index % _inFlight.Length];
                    chunk.Parsed.Wait(_stop.Token);
                    if (chunk.Failure is { } failure)
                    {
                        ExceptionDispatchInfo.Throw(failure);
                    }

                    foreach (var batch in chunk.Events)
                    {
                        HandOver(batch, sink);
                    }

                    report.Add(chunk.Report, linesBefore);
                    linesBefore += chunk.Lines;
                    handedOver = Math.Max(handedOver, chunk.End);
                    _owner.Progress?.Invoke(handedOver, _length);
                    chunk.Reset();
                    _free.Release();
                }
            }
            finally
            {
                _stop.Cancel();
                foreach (var worker in workers)
                {
                    worker.Join();
                }
            }
        }

        public EventBatch RentBatch() =>
            _batchSink?.RentBatch() ?? (_ownBatches.TryDequeue(out var reused) ? reused : new EventBatch(BatchSize));

        public void ReturnBatch(EventBatch batch)
        {
            if (_batchSink is { } batchSink)
            {
                batchSink.ReturnBatch(batch);
            }
            else
            {
                batch.Count = 0;
                _ownBatches.Enqueue(batch);
            }
        }

        private void HandOver(EventBatch batch, IContactEventSink sink)
        {
            if (_batchSink is { } batchSink)
            {
                batchSink.AcceptBatch(batch);
                return;
            }

            for (var i = 0; i < batch.Count; i++)
            {
                sink.Accept(in batch.Events[i]);
            }

            ReturnBatch(batch);
        }

        public void Dispose()
        {
            _stop.Dispose();
            _free.Dispose();
            foreach (var chunk in _inFlight)
            {
                chunk.Parsed.Dispose();
            }
        }

        private void Work()
        {
            var parser = _owner._newParser();
            var reader = new QueueLogReader(parser);
            byte[] buffer = [];
            try
            {
                while (true)
                {
                    _free.Wait(_stop.Token);
                    var index = Interlocked.Increment(ref _nextChunk) - 1;
                    if (index >= _chunkCount)
                    {
                        return;
                    }

                    var chunk = _inFlight[index % _inFlight.Length];
                    try
                    {
                        Parse(index, chunk, reader, ref buffer);
                    }
                    catch (Exception ex)
                    {
                        // The sink's thread throws it, as a reader on that thread would have.
                        chunk.Failure = ex;
                    }

                    chunk.Parsed.Set();
                }
            }
            catch (OperationCanceledException)
            {
                // The sink stopped taking events (it failed, or every chunk is handed over).
            }
            finally
            {
                if (buffer.Length > 0)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
            }
        }

        /// <summary>
        /// Parses the lines that start in chunk <paramref name="index"/>'s byte range: from the first
        /// line start at or after its nominal start up to the first at or after its nominal end.
        /// </summary>
        private void Parse(long index, Chunk chunk, QueueLogReader reader, ref byte[] buffer)
        {
            var nominalStart = index * _owner.ChunkBytes;
            var nominalEnd = Math.Min(_length, nominalStart + _owner.ChunkBytes);

            // From the byte before the nominal start: if it is a newline, a line starts right there.
            var from = Math.Max(0, nominalStart - 1);
            var read = ReadAt(from, (int)(nominalEnd - from) + BoundaryWindow, ref buffer, 0);
            var start = index == 0 ? 0 : LineStart((int)(nominalStart - from), from, ref read, ref buffer);
            var end = LineStart((int)(nominalEnd - from), from, ref read, ref buffer);
            chunk.End = from + end;
            if (end == start)
            {
                // No line starts in the chunk: it lies inside the previous chunk's last line.
                return;
            }

            var lines = buffer.AsSpan(start, end - start);
            chunk.Lines = lines.Count((byte)'\n');
            reader.ReadLines(lines, atFileStart: index == 0, _source, new ChunkSink(chunk.Events, this), chunk.Report);
        }

        /// <summary>
        /// The first line start at or after <paramref name="position"/> in the buffer (the byte after a
        /// newline, or the end of the file), reading further into it while it holds no such newline.
        /// </summary>
        private int LineStart(int position, long from, ref int read, ref byte[] buffer)
        {
            var scanned = Math.Min(position - 1, read);
            while (true)
            {
                var newline = buffer.AsSpan(scanned, read - scanned).IndexOf((byte)'\n');
                if (newline >= 0)
                {
                    return scanned + newline + 1;
                }

                // A line longer than what was read: read as much again.
                scanned = read;
                var more = ReadAt(from + read, Math.Max(read, BoundaryWindow), ref buffer, read);
                if (more == 0)
                {
                    return read;
                }

                read += more;
            }
        }

        /// <summary>Reads up to <paramref name="count"/> bytes at <paramref name="offset"/> into the buffer at <paramref name="at"/>, growing it.</summary>
        private int ReadAt(long offset, int count, ref byte[] buffer, int at)
        {
            count = (int)Math.Min(count, _length - offset);
            if (buffer.Length < at + count)
            {
                var bigger = ArrayPool<byte>.Shared.Rent(at + count);
                buffer.AsSpan(0, at).CopyTo(bigger);
                if (buffer.Length > 0)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }

                buffer = bigger;
            }

            var total = 0;
            while (total < count)
            {
                var read = RandomAccess.Read(_file, buffer.AsSpan(at + total, count - total), offset + total);
                if (read == 0)
                {
                    break;
                }

                total += read;
            }

            return total;
        }
    }

    /// <summary>A chunk's events and what reading it found, from its worker to the sink.</summary>
    private sealed class Chunk
    {
        public ManualResetEventSlim Parsed { get; } = new();

        public List<EventBatch> Events { get; } = [];

        public IngestReport Report { get; private set; } = new();

        /// <summary>Physical lines in the chunk, blank ones included: the next chunk's line numbers start after them.</summary>
        public long Lines { get; set; }

        /// <summary>The file position after the chunk's last line.</summary>
        public long End { get; set; }

        public Exception? Failure { get; set; }

        public void Reset()
        {
            Events.Clear();
            Report = new IngestReport();
            Lines = 0;
            End = 0;
            Failure = null;
            Parsed.Reset();
        }
    }

    /// <summary>Collects a chunk's events into batches rented from the run (from the final sink where it takes batches).</summary>
    private sealed class ChunkSink(List<EventBatch> batches, Run run) : IContactEventSink
    {
        private EventBatch? _batch;

[MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Accept(in ContactEvent contactEvent)
        {
            if (_batch is null || _batch.Count == _batch.Events.Length)
            {
                _batch = run.RentBatch();
                batches.Add(_batch);
            }

            _batch.Events[_batch.Count++] = contactEvent;
        }
    }
}
