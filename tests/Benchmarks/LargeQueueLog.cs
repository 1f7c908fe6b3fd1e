using System.Globalization;
using System.Text;
using Wallboard.Ingest.Model;
using Wallboard.Ingest.QueueLog;
using Wallboard.Ingest.Simulation;

namespace Wallboard.Benchmarks;

/// <summary>Writes a simulated queue_log of a given size: a large centre over as many days as it takes.</summary>
internal static class LargeQueueLog
{
    /// <summary>Writes whole weeks of the large centre until the file reaches <paramref name="bytes"/>, or exactly <paramref name="weeks"/> weeks.</summary>
    public static int Write(string path, long bytes, int? weeks = null)
    {
        using var file = new StreamWriter(path, append: false, new UTF8Encoding(false), 1 << 20);
        var writer = new QueueLogWriter(file);
        var sink = new SizeLimitedSink(writer, file, bytes);
        var days = 0;
        while (weeks is { } count ? days < count * 7 : !sink.Full)
        {
            // One simulated week at a time, so the simulator's memory stays small.
            var options = SimulatedTraffic.Days(7, scale: 40) with
            {
                Seed = 1000 + days,
                Start = new DateTimeOffset(2026, 1, 5, 0, 0, 0, TimeSpan.FromHours(8)).AddDays(days),
            };
            new ContactCentreSimulator(options).Run(sink);
            days += 7;
        }

        file.Flush();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{path}: {writer.Written} lines, {new FileInfo(path).Length >> 20} MB, {days} simulated days"));
        return 0;
    }

    private sealed class SizeLimitedSink(QueueLogWriter writer, StreamWriter file, long bytes) : IContactEventSink
    {
        public bool Full { get; private set; }

        public void Accept(in ContactEvent contactEvent)
        {
            if (Full || !QueueLogWriter.CanWrite(contactEvent.Kind))
            {
                return;
            }

            writer.Accept(contactEvent);
            if ((writer.Written & 0xFFFF) == 0)
            {
                file.Flush();
                Full = file.BaseStream.Length >= bytes;
            }
        }
    }
}
