using System.Text;
using Wallboard.Ingest.Model;
using Wallboard.Ingest.Pipeline;
using Wallboard.Ingest.QueueLog;

namespace Wallboard.Tests;

public sealed class ChunkedQueueLogReaderTests : IDisposable
{
    private const string Call =
        "1700000001|1700000001.1|sales|NONE|ENTERQUEUE||0612345678|1\n" +
        "1700000005|1700000001.1|sales|SIP/1002|RINGNOANSWER|4000\n" +
        "1700000013|1700000001.1|sales|SIP/1001|CONNECT|12|1700000010.2|3\n" +
        "1700000101|1700000001.1|sales|SIP/1001|COMPLETECALLER|12|88|1\n";

    private readonly string _path = Path.Combine(Path.GetTempPath(), $"queue_log_{Guid.NewGuid():N}");

    public void Dispose() => File.Delete(_path);

    /// <summary>
    /// Everything a chunk boundary could cut badly: a byte-order mark at the start, CRLF, blank
    /// lines, malformed and unknown lines, a line longer than a chunk, bytes that are not UTF-8,
    /// bytes that look like a byte-order mark in the middle (text there, so a malformed epoch), and
    /// a last line without its newline.
    /// </summary>
    private static byte[] Awkward()
    {
        var text = new MemoryStream();
        void Add(string s) => text.Write(Encoding.UTF8.GetBytes(s));
        text.Write(Encoding.UTF8.Preamble);
        for (var i = 0; i < 40; i++)
        {
            Add(Call.Replace("1700000001.1", $"c{i}", StringComparison.Ordinal));
            Add(i % 3 == 0 ? "\r\n" : "garbage\n");
            Add("1700000200|NONE|sales|SIP/1001|TELEPORT|\r\n");
        }

        Add($"1700000300|c99|sales|NONE|ENTERQUEUE||{new string('7', 700)}|1\n");
        text.Write(Encoding.UTF8.Preamble);
        Add("1700000301|c99|sales|NONE|ABANDON|1|1|3\n");
        Add("1700000302|c98|sal");
        text.Write([0xC3, 0x28, 0xFF]);
        Add("es|NONE|ENTERQUEUE||1|1\n");
        Add("1700000303|c98|sales|NONE|ABANDON|1|1|x\n");
        Add("1700000304|c97|sales|NONE|ENTERQUEUE||2|1");
        return text.ToArray();
    }

    private (List<ContactEvent> Events, IngestReport Report) ReadWithOneReader()
    {
        var sink = new QueueLogReaderTests.ListSink();
        var report = new IngestReport();
        new QueueLogReader().ReadFile(_path, sink, report);
        return (sink.Events, report);
    }

    private (List<ContactEvent> Events, IngestReport Report) ReadInChunks(int chunkBytes, int threads)
    {
        var sink = new QueueLogReaderTests.ListSink();
        var report = new IngestReport();
        new ChunkedQueueLogReader { ChunkBytes = chunkBytes, Threads = threads }.ReadFile(_path, sink, report);
        return (sink.Events, report);
    }

    [Fact]
    public void ChunksGiveTheSameEventsCountsAndLineNumbersAsOneReader()
    {
        File.WriteAllBytes(_path, Awkward());
        var (expected, expectedReport) = ReadWithOneReader();
        Assert.Equal(163, expected.Count); // 40 calls of 4 events, c99's 2, c97's 1; c98's lines are malformed
        Assert.Equal(expectedReport.Malformed, expectedReport.Errors.Count);

        foreach (var (chunkBytes, threads) in new[] { (1, 2), (7, 3), (64, 2), (333, 2), (700, 3), (4096, 2) })
        {
            var (events, report) = ReadInChunks(chunkBytes, threads);
            Assert.Equal(expected, events);
            Assert.Equal(expectedReport.ToString(), report.ToString());
            Assert.Equal(expectedReport.Errors, report.Errors);
        }
    }

    [Fact]
    public void MalformedLinesKeepTheirLineNumbersAcrossChunks()
    {
        File.WriteAllText(_path, string.Concat(Enumerable.Repeat(Call + "\nbad line\n", 30)));
        var (_, report) = ReadInChunks(chunkBytes: 100, threads: 2);

        Assert.Equal(30, report.Malformed);

        // Each block is the 4 lines of the call, a blank one and the bad one: bad lines are 6, 12, … 180.
        Assert.Equal(Enumerable.Range(1, 30).Select(i => (long)(6 * i)), report.Errors.Select(e => e.Line));
        Assert.All(report.Errors, e => Assert.Equal(Path.GetFileName(_path), e.Source));
    }

    [Fact]
    public async Task ChunksHandTheirBatchesToAMergeInFileOrder()
    {
        File.WriteAllBytes(_path, Awkward());
        var (expected, _) = ReadWithOneReader();
        var sink = new QueueLogReaderTests.ListSink();

        await MergedSources.RunAsync(
            [s => new ChunkedQueueLogReader { ChunkBytes = 50, Threads = 2 }.ReadFile(_path, s, new IngestReport())],
            sink);

        Assert.Equal(expected, sink.Events);
    }

    [Fact]
    public void ProgressGrowsToTheFileLength()
    {
        File.WriteAllText(_path, string.Concat(Enumerable.Repeat(Call, 100)));
        var calls = new List<(long Read, long Total)>();
        new ChunkedQueueLogReader { ChunkBytes = 1000, Threads = 2, Progress = (read, total) => calls.Add((read, total)) }
            .ReadFile(_path, new QueueLogReaderTests.ListSink(), new IngestReport());

        var length = new FileInfo(_path).Length;
        Assert.True(calls.Count > 10);
        Assert.Equal(length, calls[^1].Read);
        Assert.All(calls, c => Assert.Equal(length, c.Total));
        Assert.Equal(calls.Select(c => c.Read).Order(), calls.Select(c => c.Read));
    }

    [Fact]
    public void ASinkThatFailsStopsTheReadingAndItsErrorIsThrown()
    {
        File.WriteAllText(_path, string.Concat(Enumerable.Repeat(Call, 500)));
        var sink = new FailingSink(after: 1000);

        var error = Assert.Throws<InvalidOperationException>(() =>
            new ChunkedQueueLogReader { ChunkBytes = 500, Threads = 2 }.ReadFile(_path, sink, new IngestReport()));

        Assert.Equal("the sink is full", error.Message);
        Assert.Equal(1000, sink.Accepted);
    }

    [Fact]
    public void ACancelledReadingStopsBetweenChunksAndHandsOverNoMore()
    {
        // 500 calls of 4 lines (60, 57, 65 and 62 bytes) in chunks of 500 bytes: the lines starting in
        // the first 500 bytes are 9 (events 1 to 9), in the next 500 bytes 8 (events 10 to 17).
        File.WriteAllText(_path, string.Concat(Enumerable.Repeat(Call, 500)));
        using var cancel = new CancellationTokenSource();
        var sink = new CancellingSink(cancel, after: 10);

        Assert.ThrowsAny<OperationCanceledException>(() =>
            new ChunkedQueueLogReader { ChunkBytes = 500, Threads = 2 }.ReadFile(_path, sink, new IngestReport(), cancel.Token));

        // Cancelled at the 10th event, in the second chunk: that chunk is handed over to its end, no more.
        Assert.Equal(17, sink.Accepted);
    }

    [Fact]
    public void ATokenCancelledBeforehandReadsNothing()
    {
        File.WriteAllText(_path, string.Concat(Enumerable.Repeat(Call, 500)));
        var sink = new QueueLogReaderTests.ListSink();

        Assert.ThrowsAny<OperationCanceledException>(() =>
            new ChunkedQueueLogReader { ChunkBytes = 500, Threads = 2 }.ReadFile(_path, sink, new IngestReport(), new CancellationToken(canceled: true)));

        Assert.Empty(sink.Events);
    }

    [Fact]
    public void AUtf16FileIsReadAsOneReaderReadsIt()
    {
        File.WriteAllText(_path, string.Concat(Enumerable.Repeat(Call, 20)), Encoding.Unicode);
        var (expected, _) = ReadWithOneReader();
        var (events, report) = ReadInChunks(chunkBytes: 100, threads: 2);

        Assert.Equal(80, expected.Count);
        Assert.Equal(expected, events);
        Assert.Equal(0, report.Malformed);
    }

    private sealed class CancellingSink(CancellationTokenSource cancel, int after) : IContactEventSink
    {
        public int Accepted { get; private set; }

        public void Accept(in ContactEvent contactEvent)
        {
            if (++Accepted == after)
            {
                cancel.Cancel();
            }
        }
    }

    private sealed class FailingSink(int after) : IContactEventSink
    {
        public int Accepted { get; private set; }

        public void Accept(in ContactEvent contactEvent)
        {
            if (Accepted == after)
            {
                throw new InvalidOperationException("the sink is full");
            }

            Accepted++;
        }
    }
}
