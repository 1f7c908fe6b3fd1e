using System.IO.Compression;
using System.Text;
using Wallboard.Metrics;
using Wallboard.Metrics.Engine;
using Wallboard.Metrics.History;
using Wallboard.Metrics.Live;
using Wallboard.Metrics.Staffing;

namespace Wallboard.Hub.Cluster;

/// <summary>What a partition's core publishes at each tick: its figures, who runs it and how far it has read.</summary>
/// <param name="Partition">The partition.</param>
/// <param name="Node">The hub that runs its core.</param>
/// <param name="Position">The last stream entry applied.</param>
/// <param name="EventsApplied">Events the core has applied since it took over.</param>
/// <param name="Snapshot">The figures.</param>
internal sealed record PartitionSnapshot(string Partition, string Node, string? Position, long EventsApplied, LiveSnapshot Snapshot);

/// <summary>
/// A <see cref="PartitionSnapshot"/> as bytes for Redis: every figure the live API and the screens
/// read (counters of every window, agents' states, staffing, adherence), Brotli-compressed at its
/// fastest level (a large centre's agents are most of it, and mostly zeros).
/// </summary>
internal static class SnapshotCodec
{
    private const byte Version = 1;

    public static byte[] Encode(PartitionSnapshot published)
    {
        ArgumentNullException.ThrowIfNull(published);
        using var buffer = new MemoryStream();
        using (var brotli = new BrotliStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        using (var writer = new BinaryWriter(brotli, Encoding.UTF8))
        {
            writer.Write(Version);
            writer.Write(published.Partition);
            writer.Write(published.Node);
            Text(writer, published.Position);
            writer.Write(published.EventsApplied);
            var snapshot = published.Snapshot;
            writer.Write(snapshot.AtMs);
            writer.Write(snapshot.Queues.Count);
            foreach (var queue in snapshot.Queues)
            {
                writer.Write(queue.Queue);
                writer.Write((int)queue.Formula);
                writer.Write(queue.Waiting);
                Number(writer, queue.LongestWaitSeconds);
                Windows(writer, queue.Windows, counters => HistorySchema.ToValues(counters));
                writer.Write(queue.AgentsStaffed);
                writer.Write(queue.AgentsAvailable);
                writer.Write(queue.Staffing is not null);
                if (queue.Staffing is { } staffing)
                {
                    writer.Write((int)staffing.Model);
                    writer.Write(staffing.ArrivalsPerHour);
                    Number(writer, staffing.AhtSeconds);
                    Number(writer, staffing.PatienceSeconds);
                    writer.Write(staffing.SlThresholdSeconds);
                    writer.Write(staffing.SlTarget);
                    Number(writer, staffing.AgentsRequired);
                    Number(writer, staffing.PredictedServiceLevel);
                }

                writer.Write(queue.Name);
                Text(writer, queue.Team);
            }

            writer.Write(snapshot.Agents.Count);
            foreach (var agent in snapshot.Agents)
            {
                writer.Write(agent.Agent);
                writer.Write((byte)agent.Status);
                writer.Write(agent.SecondsInStatus);
                Text(writer, agent.PauseReason);
                writer.Write(agent.Queues.Count);
                foreach (var queue in agent.Queues)
                {
                    writer.Write(queue);
                }

                Windows(writer, agent.Windows, counters => HistorySchema.ToValues(counters));
                writer.Write(agent.Adherence is not null);
                if (agent.Adherence is { } adherence)
                {
                    writer.Write(adherence.ScheduledSeconds);
                    writer.Write(adherence.AdheringSeconds);
                    writer.Write(adherence.WorkedSeconds);
                }

                writer.Write(agent.Name);
                Text(writer, agent.Team);
                Text(writer, agent.Campaign);
            }

            writer.Write(snapshot.Campaigns.Count);
            foreach (var campaign in snapshot.Campaigns)
            {
                writer.Write(campaign.Campaign);
                Windows(writer, campaign.Windows, counters => HistorySchema.ToValues(counters));
                writer.Write(campaign.Name);
                Text(writer, campaign.Team);
            }
        }

        return buffer.ToArray();
    }

    public static PartitionSnapshot Decode(byte[] bytes)
    {
        using var buffer = new MemoryStream(bytes, writable: false);
        using var brotli = new BrotliStream(buffer, CompressionMode.Decompress);
        using var reader = new BinaryReader(brotli, Encoding.UTF8);
        var version = reader.ReadByte();
        if (version != Version)
        {
            throw new InvalidDataException($"figures of format {version}; this build reads format {Version}");
        }

        var partition = reader.ReadString();
        var node = reader.ReadString();
        var position = Text(reader);
        var applied = reader.ReadInt64();
        var atMs = reader.ReadInt64();
        var queues = new LiveQueueFigures[reader.ReadInt32()];
        for (var i = 0; i < queues.Length; i++)
        {
            var id = reader.ReadString();
            var formula = (ServiceLevelFormula)reader.ReadInt32();
            var waiting = reader.ReadInt32();
            var longest = Number(reader);
            var windows = Windows(reader, HistoryKind.Queues, values => HistorySchema.ToQueueCounters(values));
            var staffed = reader.ReadInt32();
            var available = reader.ReadInt32();
            LiveQueueStaffing? staffing = null;
            if (reader.ReadBoolean())
            {
                staffing = new LiveQueueStaffing(
                    (StaffingModel)reader.ReadInt32(), reader.ReadDouble(), Number(reader), Number(reader),
                    reader.ReadDouble(), reader.ReadDouble(), (int?)Number(reader), Number(reader));
            }

            queues[i] = new LiveQueueFigures(id, formula, waiting, longest, windows)
            {
                AgentsStaffed = staffed,
                AgentsAvailable = available,
                Staffing = staffing,
                Name = reader.ReadString(),
                Team = Text(reader),
            };
        }

        var agents = new LiveAgentFigures[reader.ReadInt32()];
        for (var i = 0; i < agents.Length; i++)
        {
            var id = reader.ReadString();
            var status = (AgentStatus)reader.ReadByte();
            var seconds = reader.ReadDouble();
            var pause = Text(reader);
            var served = new string[reader.ReadInt32()];
            for (var q = 0; q < served.Length; q++)
            {
                served[q] = reader.ReadString();
            }

            var windows = Windows(reader, HistoryKind.Agents, values => HistorySchema.ToAgentCounters(values));
            var adherence = reader.ReadBoolean() ? new AgentAdherence(reader.ReadDouble(), reader.ReadDouble(), reader.ReadDouble()) : null;
            agents[i] = new LiveAgentFigures(id, status, seconds, pause, served, windows)
            {
                Adherence = adherence,
                Name = reader.ReadString(),
                Team = Text(reader),
                Campaign = Text(reader),
            };
        }

        var campaigns = new LiveCampaignFigures[reader.ReadInt32()];
        for (var i = 0; i < campaigns.Length; i++)
        {
            var id = reader.ReadString();
            var windows = Windows(reader, HistoryKind.Campaigns, values => HistorySchema.ToCampaignCounters(values));
            campaigns[i] = new LiveCampaignFigures(id, windows) { Name = reader.ReadString(), Team = Text(reader) };
        }

        return new PartitionSnapshot(partition, node, position, applied, new LiveSnapshot(atMs, queues, agents, campaigns));
    }

    private static void Windows<T>(BinaryWriter writer, IReadOnlyDictionary<LiveWindow, T> windows, Func<T, long[]> values)
    {
        writer.Write(windows.Count);
        foreach (var (window, counters) in windows)
        {
            writer.Write((byte)window);
            var fields = values(counters);
            writer.Write(fields.Length);
            foreach (var value in fields)
            {
                writer.Write(value);
            }
        }
    }

    private static Dictionary<LiveWindow, T> Windows<T>(BinaryReader reader, HistoryKind kind, Func<long[], T> counters)
    {
        var count = reader.ReadInt32();
        var expected = HistorySchema.Fields(kind).Count;
        var windows = new Dictionary<LiveWindow, T>(count);
        for (var i = 0; i < count; i++)
        {
            var window = (LiveWindow)reader.ReadByte();
            var length = reader.ReadInt32();
            var values = new long[expected];
            for (var f = 0; f < length; f++)
            {
                // A counter another build has and this one has not is passed over; one it lacks stays 0.
                var value = reader.ReadInt64();
                if (f < expected)
                {
                    values[f] = value;
                }
            }

            windows[window] = counters(values);
        }

        return windows;
    }

    private static void Number(BinaryWriter writer, double? value)
    {
        writer.Write(value.HasValue);
        if (value is { } v)
        {
            writer.Write(v);
        }
    }

    private static double? Number(BinaryReader reader) => reader.ReadBoolean() ? reader.ReadDouble() : null;

    private static void Text(BinaryWriter writer, string? value)
    {
        writer.Write(value is not null);
        if (value is not null)
        {
            writer.Write(value);
        }
    }

    private static string? Text(BinaryReader reader) => reader.ReadBoolean() ? reader.ReadString() : null;
}
