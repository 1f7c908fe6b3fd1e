using System.Text;
using Wallboard.Ingest.Model;

namespace Wallboard.Hub.Cluster;

/// <summary>
/// Events as the bytes of one stream entry: every field of <see cref="ContactEvent"/>, unknown
/// durations kept unknown, so the core that reads the stream sees exactly what the hub that parsed
/// the lines saw (JSON events could not carry every kind, nor "unknown" apart from zero).
/// </summary>
/// <remarks>
/// Names are interned as they are read, per reader: the core finds a name by its instance first,
/// and a batch's agents and queues repeat.
/// </remarks>
internal static class EventCodec
{
    private const byte Version = 1;

    public static byte[] Encode(ReadOnlySpan<ContactEvent> events)
    {
        using var buffer = new MemoryStream(64 + (events.Length * 64));
        using (var writer = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(Version);
            writer.Write(events.Length);
            foreach (ref readonly var e in events)
            {
                writer.Write((byte)e.Kind);
                writer.Write(e.UnixTimeMs);
                writer.Write(e.CallId);
                writer.Write(e.Queue ?? string.Empty);
                writer.Write(e.Agent ?? string.Empty);
                WriteDuration(writer, e.WaitMs);
                WriteDuration(writer, e.TalkMs);
                WriteDuration(writer, e.RingMs);
                WriteDuration(writer, e.HoldMs);
                WriteDuration(writer, e.WrapUpMs);
                WriteText(writer, e.Reason);
                WriteText(writer, e.Campaign);
                WriteText(writer, e.Customer);
                writer.Write((byte)e.Result);
                writer.Write((byte)((e.Converted ? 1 : 0) | (e.Complaint ? 2 : 0)));
            }
        }

        return buffer.ToArray();
    }

    /// <summary>The events of an entry; <paramref name="names"/> interns queue, agent and campaign names.</summary>
    public static ContactEvent[] Decode(ReadOnlyMemory<byte> bytes, IdInterner names)
    {
        ArgumentNullException.ThrowIfNull(names);
        using var stream = new MemoryStream(bytes.ToArray(), writable: false);
        using var reader = new BinaryReader(stream, Encoding.UTF8);
        var version = reader.ReadByte();
        if (version != Version)
        {
            throw new InvalidDataException($"stream entry of format {version}; this build reads format {Version}");
        }

        var count = reader.ReadInt32();
        if (count < 0 || count > bytes.Length)
        {
            throw new InvalidDataException($"stream entry claims {count} events in {bytes.Length} bytes");
        }

        var events = new ContactEvent[count];
        for (var i = 0; i < count; i++)
        {
            var kind = (ContactEventKind)reader.ReadByte();
            var time = reader.ReadInt64();
            var callId = reader.ReadString();
            var queue = names.Intern(reader.ReadString());
            var agent = names.Intern(reader.ReadString());
            var wait = ReadDuration(reader);
            var talk = ReadDuration(reader);
            var ring = ReadDuration(reader);
            var hold = ReadDuration(reader);
            var wrapUp = ReadDuration(reader);
            var reason = ReadText(reader);
            var campaign = ReadText(reader) is { } c ? names.Intern(c) : null;
            var customer = ReadText(reader);
            var result = (OutboundResult)reader.ReadByte();
            var flags = reader.ReadByte();
            events[i] = new ContactEvent
            {
                Kind = kind,
                UnixTimeMs = time,
                CallId = callId,
                Queue = queue,
                Agent = agent,
                WaitMs = wait,
                TalkMs = talk,
                RingMs = ring,
                HoldMs = hold,
                WrapUpMs = wrapUp,
                Reason = reason,
                Campaign = campaign,
                Customer = customer,
                Result = result,
                Converted = (flags & 1) != 0,
                Complaint = (flags & 2) != 0,
            };
        }

        return events;
    }

    private static void WriteDuration(BinaryWriter writer, long? value)
    {
        writer.Write(value.HasValue);
        if (value is { } ms)
        {
            writer.Write(ms);
        }
    }

    private static long? ReadDuration(BinaryReader reader) => reader.ReadBoolean() ? reader.ReadInt64() : null;

    private static void WriteText(BinaryWriter writer, string? value)
    {
        writer.Write(value is not null);
        if (value is not null)
        {
            writer.Write(value);
        }
    }

    private static string? ReadText(BinaryReader reader) => reader.ReadBoolean() ? reader.ReadString() : null;
}
