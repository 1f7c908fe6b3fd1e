using Wallboard.Ingest.Model;
using Wallboard.Ingest.QueueLog;

namespace Wallboard.Tests;

public sealed class QueueLogTailTests : IDisposable
{
    private readonly string _directory;
    private readonly string _path;
    private readonly string _statePath;
    private readonly QueueLogReaderTests.ListSink _sink = new();
    private readonly IngestReport _report = new();

    public QueueLogTailTests()
    {
        _directory = Path.Combine(Path.GetTempPath(), $"queuelog-tail-{Guid.NewGuid():N}");
        Directory.CreateDirectory(_directory);
        _path = Path.Combine(_directory, "queue_log");
        _statePath = Path.Combine(_directory, "queue_log.state");
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    /// <summary>An ABANDON whose wait, in seconds, tells the lines apart.</summary>
    private static string Line(int wait) => $"{1_700_000_000 + wait}|1700000000.{wait}|sales|NONE|ABANDON|1|1|{wait}\n";

    private void Append(string text) => File.AppendAllText(_path, text);

    private QueueLogTail NewTail() => new(_path, _statePath);

    private long[] Waits() => [.. _sink.Events.Select(e => e.WaitMs!.Value / 1000)];

    [Fact]
    public async Task OnlyNewLinesAreDelivered()
    {
        Append(Line(1) + Line(2));
        using var tail = NewTail();

        Assert.Equal(2, await tail.PollAsync(_sink, _report));
        Assert.Equal(0, await tail.PollAsync(_sink, _report));
        Append(Line(3));
        Assert.Equal(1, await tail.PollAsync(_sink, _report));

        Assert.Equal([1, 2, 3], Waits());
        Assert.Equal(3, _report.Events);
        Assert.Equal(new FileInfo(_path).Length, tail.Offset);
        Assert.Equal(3, tail.LineNumber);
    }

    [Fact]
    public async Task APartialLastLineIsHeldUntilItsNewlineArrives()
    {
        var third = Line(3);
        Append(Line(1) + Line(2) + third[..20]);
        using var tail = NewTail();

        Assert.Equal(2, await tail.PollAsync(_sink, _report));
        Assert.Equal(0, await tail.PollAsync(_sink, _report));
        Append(third[20..]);
        Assert.Equal(1, await tail.PollAsync(_sink, _report));

        Assert.Equal([1, 2, 3], Waits());
        Assert.Equal(0, _report.Malformed);
    }

    [Fact]
    public async Task AMissingFileIsFollowedOnceItAppears()
    {
        using var tail = NewTail();
        Assert.Equal(0, await tail.PollAsync(_sink, _report));
        Append(Line(1));
        Assert.Equal(1, await tail.PollAsync(_sink, _report));
    }

    [Fact]
    public async Task RenameRotationFinishesTheOldFileThenReadsTheNewOneFromTheStart()
    {
        Append(Line(1) + Line(2));
        using var tail = NewTail();
        Assert.Equal(2, await tail.PollAsync(_sink, _report));

        // The writer logs one more line, logrotate renames, the writer reopens a new file.
        Append(Line(3));
        File.Move(_path, _path + ".1");
        Append(Line(4) + "bad\n" + Line(5));

        Assert.Equal(4, await tail.PollAsync(_sink, _report));
        Assert.Equal(0, await tail.PollAsync(_sink, _report));
        Append(Line(6));
        Assert.Equal(1, await tail.PollAsync(_sink, _report));

        Assert.Equal([1, 2, 3, 4, 5, 6], Waits());
        Assert.Equal(7, _report.LinesRead);
        Assert.Equal(new IngestError(_path, 2, "expected at least 5 fields, got 1"), Assert.Single(_report.Errors));
        Assert.Equal(4, tail.LineNumber);
    }

    [Fact]
    public async Task RenameRotationToAnEmptyFileLosesNothing()
    {
        Append(Line(1));
        using var tail = NewTail();
        Assert.Equal(1, await tail.PollAsync(_sink, _report));

        Append(Line(2));
        File.Move(_path, _path + ".1");
        Append("");
        Assert.Equal(1, await tail.PollAsync(_sink, _report));

        // The old file may still be written until the writer reopens.
        File.AppendAllText(_path + ".1", Line(3));
        Append(Line(4));
        Assert.Equal(2, await tail.PollAsync(_sink, _report));

        Assert.Equal([1, 2, 3, 4], Waits());
    }

    [Fact]
    public async Task AnUnfinishedLastLineOfARotatedFileIsStillCounted()
    {
        Append(Line(1) + Line(2)[..25]);
        using var tail = NewTail();
        Assert.Equal(1, await tail.PollAsync(_sink, _report));

        File.Move(_path, _path + ".1");
        Append(Line(3));
        Assert.Equal(2, await tail.PollAsync(_sink, _report));

        Assert.Equal([1, 3], Waits());
        Assert.Equal(1, _report.Malformed);
        Assert.Equal(2, _report.Errors[0].Line);
    }

    [Fact]
    public async Task TruncationStartsAgainFromTheBeginning()
    {
        Append(Line(1) + Line(2) + Line(3));
        using var tail = NewTail();
        Assert.Equal(3, await tail.PollAsync(_sink, _report));

        File.WriteAllText(_path, Line(4));
        Assert.Equal(1, await tail.PollAsync(_sink, _report));

        Assert.Equal([1, 2, 3, 4], Waits());
        Assert.Equal(1, tail.LineNumber);
    }

    [Fact]
    public async Task TruncationRefilledPastTheOldOffsetIsNoticedByItsContent()
    {
        Append(Line(1));
        using var tail = NewTail();
        Assert.Equal(1, await tail.PollAsync(_sink, _report));

        File.WriteAllText(_path, Line(2) + Line(3) + Line(4));
        Assert.Equal(3, await tail.PollAsync(_sink, _report));

        Assert.Equal([1, 2, 3, 4], Waits());
    }

    [Fact]
    public async Task ARestartNeitherLosesNorRepeatsALine()
    {
        var fourth = Line(4);
        Append(Line(1) + Line(2) + Line(3) + fourth[..10]);
        using (var first = NewTail())
        {
            Assert.Equal(3, await first.PollAsync(_sink, _report));
        }

        // Written while the process was down: the rest of line 4, a bad line 5 and line 6.
        Append(fourth[10..] + "bad\n" + Line(6));
        using var second = NewTail();
        Assert.Equal(3, await second.PollAsync(_sink, _report));
        Assert.Equal(0, await second.PollAsync(_sink, _report));

        Assert.Equal([1, 2, 3, 4, 6], Waits());
        Assert.Equal(6, _report.LinesRead);
        Assert.Equal(5, Assert.Single(_report.Errors).Line);
    }

    [Fact]
    public async Task ARestartAfterMoreThanAFingerprintOfLinesResumes()
    {
        for (var i = 1; i <= 40; i++)
        {
            Append(Line(i));
        }

        using (var first = NewTail())
        {
            Assert.Equal(40, await first.PollAsync(_sink, _report));
        }

        Append(Line(41));
        using var second = NewTail();
        Assert.Equal(1, await second.PollAsync(_sink, _report));
        Assert.Equal(41, second.LineNumber);
        Assert.Equal(Enumerable.Range(1, 41).Select(i => (long)i), Waits());
    }

    [Fact]
    public async Task ARestartAfterARotationWhileDownReadsTheNewFileFromTheStart()
    {
        Append(Line(1) + Line(2));
        using (var first = NewTail())
        {
            Assert.Equal(2, await first.PollAsync(_sink, _report));
        }

        File.Move(_path, _path + ".1");
        Append(Line(3));
        using var second = NewTail();
        Assert.Equal(1, await second.PollAsync(_sink, _report));
        Assert.Equal([1, 2, 3], Waits());
    }

    [Fact]
    public async Task ARestartAfterARotationWhileDownFinishesTheOldFileBeforeTheNewOne()
    {
        Append(Line(1) + Line(2));
        using (var first = NewTail())
        {
            Assert.Equal(2, await first.PollAsync(_sink, _report));
        }

        // While the server is down, Asterisk writes line 3, logrotate renames the file to queue_log.1
        // and Asterisk starts a new queue_log with line 4.
        Append(Line(3));
        File.Move(_path, _path + ".1");
        Append(Line(4));

        using var second = NewTail();
        Assert.Equal(2, await second.PollAsync(_sink, _report));
        Assert.Equal([1, 2, 3, 4], Waits());
        Assert.Equal((Line(4).Length, 1L), (second.Offset, second.LineNumber));
    }

    [Fact]
    public async Task APositionGivenBackResumesWithoutAStateFileAndAcrossARotation()
    {
        Append(Line(1) + Line(2));
        TailPosition position;
        using (var first = new QueueLogTail(_path, statePath: null))
        {
            Assert.Equal(2, await first.PollAsync(_sink, _report));
            position = first.Position;
        }

        Assert.True(TailPosition.TryParse(position.ToString(), out var parsed));
        Assert.Equal(position, parsed);
        Append(Line(3));
        File.Move(_path, _path + ".1");
        Append(Line(4) + Line(5));

        using var second = new QueueLogTail(_path, statePath: null);
        second.ResumeFrom(parsed);
        Assert.Equal(3, await second.PollAsync(_sink, _report));
        Assert.Equal([1, 2, 3, 4, 5], Waits());
        Assert.False(File.Exists(_statePath));
    }

    [Fact]
    public async Task ALineOverTheLimitIsSkippedAndReportedWithItsNumberWithoutBeingHeldWhole()
    {
        // Line 2 is 1 MB of 'x' with no separator, written in two parts: the tail holds neither.
        var huge = new string('x', 1 << 20);
        Append(Line(1) + huge[..600_000]);
        using var tail = new QueueLogTail(_path, _statePath) { MaxLineBytes = 1024 };
        Assert.Equal(1, await tail.PollAsync(_sink, _report));
        Append(huge[600_000..] + "\n" + Line(3));
        Assert.Equal(1, await tail.PollAsync(_sink, _report));

        Assert.Equal([1, 3], Waits());
        var error = Assert.Single(_report.Errors);
        Assert.Equal((_path, 2L), (error.Source, error.Line));
        Assert.Contains("1048576 bytes long, more than the limit of 1024", error.Message, StringComparison.Ordinal);
        Assert.Equal((new FileInfo(_path).Length, 3L), (tail.Offset, tail.LineNumber));
    }

    [Fact]
    public async Task ABacklogIsHandedOnInSlicesOfTheLinesPerPoll()
    {
        Append(string.Concat(Enumerable.Range(1, 5).Select(Line)));
        using var tail = new QueueLogTail(_path, _statePath) { MaxLinesPerPoll = 2 };

        var slices = new List<(int Lines, bool More)>();
        do
        {
            slices.Add((await tail.PollAsync(_sink, _report), tail.HasMore));
        }
        while (tail.HasMore);

        Assert.Equal([(2, true), (2, true), (1, false)], slices);
        Assert.Equal([1, 2, 3, 4, 5], Waits());
    }

    [Fact]
    public async Task ARotatedFileReadInSlicesIsFinishedBeforeTheNewOne()
    {
        Append(Line(1));
        using var tail = new QueueLogTail(_path, _statePath) { MaxLinesPerPoll = 2 };
        Assert.Equal(1, await tail.PollAsync(_sink, _report));

        // Four more lines reach the old file before it is renamed; the new one has one.
        Append(Line(2) + Line(3) + Line(4) + Line(5));
        File.Move(_path, _path + ".1");
        Append(Line(6));
        while (await tail.PollAsync(_sink, _report) > 0 || tail.HasMore)
        {
        }

        Assert.Equal([1, 2, 3, 4, 5, 6], Waits());
    }

    [Fact]
    public async Task AnUnreadableStateFileMeansReadingFromTheStart()
    {
        Append(Line(1));
        await File.WriteAllTextAsync(_statePath, "offset=banana\n");
        using var tail = NewTail();
        Assert.Equal(1, await tail.PollAsync(_sink, _report));
    }

    [Fact]
    public async Task TheStateIsReplacedWholeAndNamesOffsetAndLine()
    {
        Append(Line(1) + Line(2));
        using var tail = NewTail();
        await tail.PollAsync(_sink, _report);

        var state = await File.ReadAllLinesAsync(_statePath);
        Assert.Contains($"offset={Line(1).Length + Line(2).Length}", state);
        Assert.Contains("line=2", state);
        Assert.False(File.Exists(_statePath + ".tmp"));
    }

    [Fact]
    public async Task ASinkThatFailsDoesNotMakeTheLinesItTookComeAgain()
    {
        Append(Line(1) + Line(2) + Line(3));
        using var tail = NewTail();
        var failing = new FailOnWait(2000, _sink);
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await tail.PollAsync(failing, _report));

        // The sink had line 2 when it threw; offering it again could block the tail on it forever.
        Assert.Equal(1, await tail.PollAsync(_sink, _report));
        Assert.Equal([1, 2, 3], Waits());
    }

    private sealed class FailOnWait(long waitMs, IContactEventSink inner) : IContactEventSink
    {
        public void Accept(in ContactEvent contactEvent)
        {
            inner.Accept(contactEvent);
            if (contactEvent.WaitMs == waitMs)
            {
                throw new InvalidOperationException("sink failed");
            }
        }
    }
}
