using System.Globalization;
using System.Text.Json;
using Wallboard.Ingest.Model;

namespace Wallboard.Hub.Durability;

/// <summary>
/// Keeps the events that threw inside the core, one JSON object a line with the time, the source,
/// the reason and the event's fields, so they can be looked at and fed again once fixed. Bounded:
/// beyond the limit they are only counted.
/// </summary>
internal sealed class DeadLetters
{
    private readonly string? _path;
    private readonly long _maxBytes;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();

    public DeadLetters(string? path, long maxBytes, TimeProvider time)
    {
        _path = path;
        _maxBytes = maxBytes;
        _time = time;
    }

    /// <summary>Counts only (tests and tools without a data folder).</summary>
    public static DeadLetters None { get; } = new(null, 0, TimeProvider.System);

    /// <summary>Events quarantined since start.</summary>
    public long Count { get; private set; }

    /// <summary>Events quarantined but not written because the file reached its limit.</summary>
    public long NotWritten { get; private set; }

    public void Add(in ContactEvent contactEvent, string? source, Exception reason)
    {
        lock (_lock)
        {
            Count++;
            if (_path is null)
            {
                return;
            }

            try
            {
                var line = Line(contactEvent, source, reason);
                var file = new FileInfo(_path);
                if ((file.Exists ? file.Length : 0) + line.Length > _maxBytes)
                {
                    NotWritten++;
                    return;
                }

                Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
                using var stream = new FileStream(_path, FileMode.Append, FileAccess.Write, FileShare.Read);
                stream.Write(line);
            }
            catch (IOException)
            {
                NotWritten++;
            }
        }
    }

    private byte[] Line(in ContactEvent e, string? source, Exception reason)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("at", _time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture));
            json.WriteString("source", source);
            json.WriteString("reason", $"{reason.GetType().Name}: {reason.Message}");
            json.WriteStartObject("event");
            json.WriteString("kind", e.Kind.ToString());
            json.WriteNumber("time_ms", e.UnixTimeMs);
            json.WriteString("call_id", e.CallId);
            json.WriteString("queue", e.Queue);
            json.WriteString("agent", e.Agent);
            json.WriteString("campaign", e.Campaign);
            json.WriteString("customer", e.Customer);
            json.WriteString("reason", e.Reason);
            json.WriteEndObject();
            json.WriteEndObject();
        }

        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }
}
