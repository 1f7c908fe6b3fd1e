using System.Text;
using Wallboard.Ingest.Model;
using Wallboard.Ingest.QueueLog;
using Wallboard.Ingest.Simulation;

namespace Wallboard.Benchmarks;

/// <summary>Realistic input for the benchmarks, made once by the seeded simulator.</summary>
internal static class SimulatedTraffic
{
    public static SimulationOptions Days(int days, double scale = 10) => new SimulationOptions
    {
        Seed = 42,
        Start = new DateTimeOffset(2026, 11, 2, 0, 0, 0, TimeSpan.FromHours(8)),
        Duration = TimeSpan.FromDays(days),
        TimeZone = "Asia/Shanghai",
    }.ScaledBy(scale);

    public static ContactEvent[] Events(SimulationOptions options)
    {
        var sink = new ListSink();
        new ContactCentreSimulator(options).Run(sink);
        return [.. sink.Events];
    }

    /// <summary>The queue_log text of a simulation (queue and agent events only, as Asterisk writes them).</summary>
    public static string QueueLog(SimulationOptions options)
    {
        var text = new StringWriter(new StringBuilder(64 << 20));
        var writer = new QueueLogWriter(text);
        foreach (var e in Events(options))
        {
            if (QueueLogWriter.CanWrite(e.Kind))
            {
                writer.Accept(e);
            }
        }

        return text.ToString();
    }

    private sealed class ListSink : IContactEventSink
    {
        public List<ContactEvent> Events { get; } = [];

        public void Accept(in ContactEvent contactEvent) => Events.Add(contactEvent);
    }
}

/// <summary>Counts events without keeping them, so a benchmark measures the reader, not the sink.</summary>
internal sealed class CountingSink : IContactEventSink
{
    public long Count { get; private set; }

    public void Accept(in ContactEvent contactEvent) => Count++;
}
