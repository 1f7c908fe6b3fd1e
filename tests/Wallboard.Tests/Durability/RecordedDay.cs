using System.Globalization;
using System.Text;
using Wallboard.Ingest.Json;
using Wallboard.Ingest.Model;
using Wallboard.Ingest.QueueLog;
using Wallboard.Ingest.Simulation;

namespace Wallboard.Tests.Durability;

/// <summary>
/// A day of two contact centres, each fed its own way: one as a queue_log the server tails, the
/// other as JSON events over HTTP (its names prefixed, so the two never share a queue, agent,
/// campaign, call or customer). In a time zone where the server's clock reads about 22:45, so the
/// whole day (00:00 to 22:00) is "today" and every agent has logged off by its end. Cut into
/// chunks of <c>chunkSpan</c>, each a queue_log text and NDJSON events.
/// </summary>
internal sealed record RecordedDay(string Zone, DateTimeOffset Start, IReadOnlyList<(string QueueLog, string Events)> Chunks)
{
    public static RecordedDay Make(DateTimeOffset now, int seed, TimeSpan chunkSpan)
    {
        var offset = (int)Math.Round(22.75 - now.UtcDateTime.TimeOfDay.TotalHours);
        offset = offset > 14 ? offset - 24 : offset;
        var zone = offset switch { 0 => "Etc/GMT", > 0 => $"Etc/GMT-{offset}", _ => $"Etc/GMT+{-offset}" };
        var local = now.ToOffset(TimeSpan.FromHours(offset));
        var start = new DateTimeOffset(local.Date, local.Offset);
        var duration = TimeSpan.FromHours(22);
        var tailed = Events(new SimulationOptions { Seed = seed, Start = start, Duration = duration, TimeZone = zone });
        var posted = Events(new SimulationOptions { Seed = seed + 1, Start = start, Duration = duration, TimeZone = zone })
            .Select(e => e with
            {
                CallId = e.CallId.Length > 0 ? "b-" + e.CallId : e.CallId,
                Queue = e.Queue.Length > 0 ? "b-" + e.Queue : e.Queue,
                Agent = e.Agent.Length > 0 ? "b-" + e.Agent : e.Agent,
                Campaign = e.Campaign is { Length: > 0 } campaign ? "b-" + campaign : e.Campaign,
                Customer = e.Customer is { Length: > 0 } customer ? "b-" + customer : e.Customer,
            })
            .ToList();

        var chunks = new List<(string, string)>();
        for (var from = start; from < start + duration; from += chunkSpan)
        {
            var (fromMs, toMs) = (from.ToUnixTimeMilliseconds(), (from + chunkSpan).ToUnixTimeMilliseconds());
            var queueLog = new StringWriter(CultureInfo.InvariantCulture);
            var writer = new QueueLogWriter(queueLog);
            foreach (var e in tailed.Where(e => e.UnixTimeMs >= fromMs && e.UnixTimeMs < toMs && QueueLogWriter.CanWrite(e.Kind)))
            {
                writer.Accept(e);
            }

            using var json = new MemoryStream();
            using (var events = new JsonEventWriter(json, leaveOpen: true))
            {
                foreach (var e in posted.Where(e => e.UnixTimeMs >= fromMs && e.UnixTimeMs < toMs))
                {
                    events.Accept(e);
                }
            }

            chunks.Add((queueLog.ToString(), Encoding.UTF8.GetString(json.ToArray())));
        }

        return new RecordedDay(zone, start, chunks);
    }

    private static List<ContactEvent> Events(SimulationOptions options)
    {
        var sink = new ListSink();
        new ContactCentreSimulator(options).Run(sink);
        return sink.Events;
    }
}

internal sealed class ListSink : IContactEventSink
{
    public List<ContactEvent> Events { get; } = [];

    public void Accept(in ContactEvent contactEvent) => Events.Add(contactEvent);
}

