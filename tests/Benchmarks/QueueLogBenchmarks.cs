using System.Text;
using BenchmarkDotNet.Attributes;
using Wallboard.Ingest.Aliases;
using Wallboard.Ingest.Model;
using Wallboard.Ingest.QueueLog;

namespace Wallboard.Benchmarks;

/// <summary>
/// queue_log parsing on one core. One operation is one line, so the Mean column is the time per
/// line (lines/s = 1 s / Mean) and Allocated is bytes per line.
/// </summary>
[MemoryDiagnoser]
public class QueueLogBenchmarks
{
    private const int Lines = 200_000;

    private string[] _lines = [];
    private byte[][] _utf8Lines = [];
    private byte[] _utf8 = [];
    private AgentAliases _aliases = new();
    private string _file = "";

    [GlobalSetup]
    public void Setup()
    {
        var text = SimulatedTraffic.QueueLog(SimulatedTraffic.Days(14));
        _lines = [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Take(Lines)];
        _utf8Lines = [.. _lines.Select(Encoding.UTF8.GetBytes)];
        _utf8 = Encoding.UTF8.GetBytes(string.Join('\n', _lines) + "\n");

        // Every agent of the centre known by a second name, as queues.conf makes interfaces aliases of member names.
        var options = SimulatedTraffic.Days(14);
        _aliases = new AgentAliases(AgentAliasMap.Create(options.Roster().Select(agent => (agent.Agent, "member " + agent.Agent[6..]))));
        Console.WriteLine($"// {_lines.Length} lines, {_utf8.Length / (double)_lines.Length:F1} bytes per line on average");
        _file = Path.Combine(Path.GetTempPath(), $"wallboard-bench-{Guid.NewGuid():N}.queue_log");
        File.WriteAllBytes(_file, _utf8);
    }

    [GlobalCleanup]
    public void Cleanup() => File.Delete(_file);

    /// <summary>
    /// Parsing lines already in memory, as UTF-8 as the readers hand them over: the parser alone. A
    /// new parser per run, so every call id is new to it once, as in a real file (one string per new call).
    /// </summary>
    [Benchmark(OperationsPerInvoke = Lines)]
    public long Parse() => CountEvents(new QueueLogParser());

    /// <summary>As <see cref="Parse"/>, each line given as text (the HTTP ingest and the live tail): encoded to UTF-8 first.</summary>
    [Benchmark(OperationsPerInvoke = Lines)]
    public long ParseText()
    {
        var parser = new QueueLogParser();
        var events = 0L;
        for (var i = 0; i < _lines.Length; i++)
        {
            events += parser.Parse(_lines[i], out _, out _) == QueueLogLineResult.Event ? 1 : 0;
        }

        return events;
    }

    /// <summary>
    /// As <see cref="Parse"/>, every agent resolved through an alias map of the whole centre: the
    /// cost of queues.conf and directory aliases, paid when the agent changes from one line to the next.
    /// </summary>
    [Benchmark(OperationsPerInvoke = Lines)]
    public long ParseWithAliases() => CountEvents(new QueueLogParser(_aliases));

    /// <summary>Reading a UTF-8 stream: decoding, line splitting and parsing, as `wallboard kpi` does.</summary>
    [Benchmark(OperationsPerInvoke = Lines)]
    public long ReadStream()
    {
        var sink = new CountingSink();
        new QueueLogReader(new QueueLogParser()).Read(new MemoryStream(_utf8, writable: false), "bench", sink, new IngestReport());
        return sink.Count;
    }

    /// <summary>A file (in the page cache) by one reader on one thread: the baseline of <see cref="ReadFileInChunks"/>.</summary>
    [Benchmark(OperationsPerInvoke = Lines)]
    public long ReadFile()
    {
        var sink = new CountingSink();
        new QueueLogReader().ReadFile(_file, sink, new IngestReport());
        return sink.Count;
    }

    /// <summary>
    /// The same file as `wallboard kpi` reads it: in chunks of whole lines, one thread per core, the
    /// events handed over in file order (here one by one to a counting sink, where kpi's merge takes
    /// whole batches). Time per line is wall time, so on two cores it can be half the work per line.
    /// </summary>
    [Benchmark(OperationsPerInvoke = Lines)]
    public long ReadFileInChunks()
    {
        var sink = new CountingSink();
        new ChunkedQueueLogReader { ChunkBytes = 1 << 20 }.ReadFile(_file, sink, new IngestReport());
        return sink.Count;
    }

    private long CountEvents(QueueLogParser parser)
    {
        long events = 0;
        foreach (var line in _utf8Lines)
        {
            if (parser.Parse(line, out _, out _) == QueueLogLineResult.Event)
            {
                events++;
            }
        }

        return events;
    }
}
