using System.Text;
using Wallboard.Ingest.Cdr;
using Wallboard.Ingest.Json;
using Wallboard.Ingest.Model;
using Wallboard.Ingest.QueueLog;

namespace Wallboard.Ingest.Simulation;

/// <summary>What a simulation wrote, per file.</summary>
public sealed record SimulationFileCounts(long QueueLogLines, long CdrRows, long JsonEvents);

/// <summary>
/// Writes a simulation as the files a real centre produces: queue and agent events as an Asterisk
/// queue_log, outbound attempts as Master.csv CDRs, and what neither format can carry (holds,
/// wrap-ups, dispositions, ringing) as JSON events. Each event goes to exactly one file, so
/// reading all three back counts every event once.
/// </summary>
public static class SimulationFiles
{
    public const string QueueLogName = "queue_log";
    public const string CdrName = "Master.csv";
    public const string EventsName = "events.ndjson";

    public static SimulationFileCounts Write(ContactCentreSimulator simulator, string directory)
    {
        ArgumentNullException.ThrowIfNull(simulator);
        Directory.CreateDirectory(directory);
        var zone = TimeZoneInfo.FindSystemTimeZoneById(simulator.Options.TimeZone);
        var encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
        using var queueLogText = new StreamWriter(Path.Combine(directory, QueueLogName), append: false, encoding, 1 << 16);
        using var cdrText = new StreamWriter(Path.Combine(directory, CdrName), append: false, encoding, 1 << 16);
        using var eventStream = File.Create(Path.Combine(directory, EventsName));
        var queueLog = new QueueLogWriter(queueLogText);
        using var cdr = new CdrWriter(cdrText, zone);
        using var events = new JsonEventWriter(eventStream);
        simulator.Run(new RoutingSink(queueLog, cdr, events));
        cdr.Flush();
        events.Flush();
        return new SimulationFileCounts(queueLog.Written, cdr.Written, events.Written);
    }

    private sealed class RoutingSink(QueueLogWriter queueLog, CdrWriter cdr, JsonEventWriter events) : IContactEventSink
    {
        public void Accept(in ContactEvent contactEvent)
        {
            if (contactEvent.Kind == ContactEventKind.OutboundAttempt)
            {
                cdr.Accept(contactEvent);
            }
            else if (QueueLogWriter.CanWrite(contactEvent.Kind))
            {
                queueLog.Accept(contactEvent);
            }
            else
            {
                events.Accept(contactEvent);
            }
        }
    }
}
