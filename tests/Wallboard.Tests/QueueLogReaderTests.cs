using System.Text;
using Wallboard.Ingest.Model;
using Wallboard.Ingest.QueueLog;

namespace Wallboard.Tests;

public sealed class QueueLogReaderTests
{
    private const string Call =
        "1700000000|NONE|NONE|NONE|QUEUESTART|\n" +
        "1700000001|1700000001.1|sales|NONE|ENTERQUEUE||0612345678|1\n" +
        "1700000005|1700000001.1|sales|SIP/1002|RINGNOANSWER|4000\n" +
        "1700000013|1700000001.1|sales|SIP/1001|CONNECT|12|1700000010.2|3\n" +
        "1700000101|1700000001.1|sales|SIP/1001|COMPLETECALLER|12|88|1\n";

    private static (List<ContactEvent> Events, IngestReport Report) Read(string text, int bufferSize = 64 * 1024, QueueLogReader? reader = null)
    {
        var sink = new ListSink();
        var report = new IngestReport();
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(text));
        (reader ?? new QueueLogReader { BufferSize = bufferSize }).Read(stream, "queue_log", sink, report);
        return (sink.Events, report);
    }

    [Fact]
    public void ACallIsReadAsItsEvents()
    {
        var (events, report) = Read(Call);
        Assert.Equal(
            [ContactEventKind.CallQueued, ContactEventKind.RingNoAnswer, ContactEventKind.CallAnswered, ContactEventKind.CallCompleted],
            events.Select(e => e.Kind));
        Assert.Equal(5, report.LinesRead);
        Assert.Equal(4, report.Events);
        Assert.Equal(1, report.Ignored);
        Assert.Equal(88_000, events[3].TalkMs);
    }

    [Fact]
    public void MalformedLinesBetweenGoodOnesAreReportedWithTheirLineNumber()
    {
        const string Text =
            "1700000001|1700000001.1|sales|NONE|ENTERQUEUE||0612345678|1\n" +
            "\n" +
            "1700000030|1700000001.1|sales|NONE|ABANDON|1|1|x1\n" +
            "1700000031|1700000002.1|sales|NONE|TELEPORT|\n" +
            "garbage\n" +
            "1700000040|1700000003.1|sales|NONE|ABANDON|1|1|9\n";
        var (events, report) = Read(Text);

        Assert.Equal(2, events.Count);
        Assert.Equal(9_000, events[1].WaitMs);
        Assert.Equal(5, report.LinesRead);
        Assert.Equal(2, report.Events);
        Assert.Equal(1, report.Unknown);
        Assert.Equal(2, report.Malformed);
        Assert.Equal(
            [
                new IngestError("queue_log", 3, "field data3 (waittime) of ABANDON: 'x1' is not a number"),
                new IngestError("queue_log", 5, "expected at least 5 fields, got 1"),
            ],
            report.Errors);
    }

    [Fact]
    public void CrLfLinesAndAFinalLineWithoutNewlineAreRead()
    {
        var (events, report) = Read(Call.Replace("\n", "\r\n", StringComparison.Ordinal).TrimEnd('\n'));
        Assert.Equal(4, events.Count);
        Assert.Equal(0, report.Malformed);
        Assert.Equal(88_000, events[3].TalkMs);
    }

    [Fact]
    public void LinesLongerThanTheBufferAreRead()
    {
        var longCaller = new string('7', 500);
        var text = Call + $"1700000200|1700000002.1|sales|NONE|ENTERQUEUE||{longCaller}|1\n" + Call;
        var (events, report) = Read(text, bufferSize: 16);

        Assert.Equal(9, events.Count);
        Assert.Equal(0, report.Malformed);
        Assert.Equal(longCaller, events[4].Customer);
    }

    [Fact]
    public void SmallBuffersGiveTheSameResultAsLargeOnes()
    {
        var text = string.Concat(Enumerable.Repeat(Call + "bad line\n\r\n", 50));
        var (large, largeReport) = Read(text);
        foreach (var size in new[] { 16, 17, 31, 100 })
        {
            var (small, smallReport) = Read(text, size);
            Assert.Equal(large, small);
            Assert.Equal(largeReport.ToString(), smallReport.ToString());
            Assert.Equal(largeReport.Errors, smallReport.Errors);
        }

        Assert.Equal(300, largeReport.LinesRead);
        Assert.Equal(50, largeReport.Malformed);
        // Each block is 5 lines, the bad one and a blank one: the second bad line is line 6 + 7.
        Assert.Equal(13, largeReport.Errors[1].Line);
    }

    [Fact]
    public void AByteOrderMarkIsNotPartOfTheFirstLine()
    {
        var (events, report) = Read("\uFEFF" + Call);
        Assert.Equal(1, report.Ignored);
        Assert.Equal(4, events.Count);
    }

    [Fact]
    public void ProgressIsReportedAboutEveryMegabyteAndAtTheEnd()
    {
        var text = string.Concat(Enumerable.Repeat(Call, 10_000)); // 2,820,000 bytes: progress at >= 1 MiB, >= 2 MiB and the end
        var calls = new List<(long Read, long Total)>();
        var reader = new QueueLogReader { Progress = (read, total) => calls.Add((read, total)) };
        var (events, _) = Read(text, reader: reader);

        Assert.Equal(40_000, events.Count);
        Assert.Equal(text.Length, calls[^1].Read);
        Assert.All(calls, c => Assert.Equal(text.Length, c.Total));
        Assert.InRange(calls.Count, 3, 4);
        for (var i = 1; i < calls.Count - 1; i++)
        {
            Assert.True(calls[i].Read - calls[i - 1].Read >= QueueLogReader.ProgressInterval);
        }
    }

    [Fact]
    public async Task AFileIsReadAsynchronouslyWithItsNameAsSource()
    {
        var path = Path.Combine(Path.GetTempPath(), $"queue_log_{Guid.NewGuid():N}");
        await File.WriteAllTextAsync(path, Call + "oops|1|2|3|ABANDON|1|1|1\n");
        try
        {
            var sink = new ListSink();
            var report = new IngestReport();
            await new QueueLogReader().ReadFileAsync(path, sink, report);
            Assert.Equal(4, sink.Events.Count);
            Assert.Equal(new IngestError(Path.GetFileName(path), 6, "epoch 'oops' is not a Unix time"), Assert.Single(report.Errors));
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>
    /// What an unclean shutdown leaves in a queue_log: the file had grown by a block of zeroes that the
    /// next line was never written into, and Asterisk appended the next line after them.
    /// </summary>
    [Fact]
    public void AFileWithAHoleOfNulBytesLosesNoLineAndSaysWhereTheHoleWas()
    {
        var path = Path.Combine(Path.GetTempPath(), $"queue_log_{Guid.NewGuid():N}");
        using (var file = File.Create(path))
        {
            file.Write(System.Text.Encoding.UTF8.GetBytes("1700000000|c1|sales|NONE|ENTERQUEUE||13800000001|1\n"));
            file.Write(new byte[8192]);
            file.Write(System.Text.Encoding.UTF8.GetBytes("1700000030|c1|sales|NONE|ABANDON|1|1|30\n1700000040|c2|sales|NONE|ENTERQUEUE||13800000002|1\n"));
        }

        try
        {
            var sink = new ListSink();
            var report = new IngestReport();
            new QueueLogReader().ReadFile(path, sink, report);

            Assert.Equal([ContactEventKind.CallQueued, ContactEventKind.CallAbandoned, ContactEventKind.CallQueued], sink.Events.Select(e => e.Kind));
            Assert.Equal((3L, 0L, 1L), (report.Events, report.Malformed, report.Repaired));
            var notice = Assert.Single(report.Errors);
            Assert.Equal((2L, true), (notice.Line, notice.Repaired));
            Assert.StartsWith("8192 NUL bytes before the line", notice.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    internal sealed class ListSink : IContactEventSink
    {
        public List<ContactEvent> Events { get; } = [];

        public void Accept(in ContactEvent contactEvent) => Events.Add(contactEvent);
    }
}
