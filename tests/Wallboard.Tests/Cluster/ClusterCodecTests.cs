using System.Reflection;
using System.Text.Json;
using Wallboard.Hub.Cluster;
using Wallboard.Ingest.Model;
using Wallboard.Metrics;
using Wallboard.Metrics.Counters;
using Wallboard.Metrics.Engine;
using Wallboard.Metrics.Live;
using Wallboard.Metrics.Staffing;

namespace Wallboard.Tests.Cluster;

/// <summary>What goes through Redis comes back whole: the events of a stream entry, and a partition's published figures.</summary>
public sealed class ClusterCodecTests
{
    private static readonly JsonSerializerOptions Everything = new() { IncludeFields = true, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };

    [Fact]
    public void AnEventWithEveryFieldSetComesBackEqualAndAnUnknownDurationStaysUnknown()
    {
        var full = new ContactEvent
        {
            Kind = ContactEventKind.OutboundAttempt,
            UnixTimeMs = 1_764_900_000_123,
            CallId = "1764900000.42",
            Queue = "销售",
            Agent = "PJSIP/1001",
            WaitMs = 0,
            TalkMs = 95_000,
            RingMs = 7_000,
            HoldMs = 12_000,
            WrapUpMs = 30_000,
            Reason = "sale",
            Campaign = "winter-sale",
            Customer = "+8613800000001",
            Result = OutboundResult.Connected,
            Converted = true,
            Complaint = true,
        };
        // A property added to the event later must be set above, or this fails: the codec must carry it.
        var unset = typeof(ContactEvent).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(property => property.GetValue(full) is var value && (value is null || value.Equals(property.PropertyType.IsValueType ? Activator.CreateInstance(property.PropertyType) : null)))
            .Select(property => property.Name);
        Assert.Empty(unset);
        var sparse = new ContactEvent { Kind = ContactEventKind.CallQueued, UnixTimeMs = 5, CallId = "c1", Queue = "sales", Agent = string.Empty, WaitMs = null };

        var read = EventCodec.Decode(EventCodec.Encode([full, sparse]), new IdInterner());

        Assert.Equal([full, sparse], read);
        Assert.Null(read[1].WaitMs);
        Assert.Equal(0, read[0].WaitMs);
    }

    [Fact]
    public void AnEntryOfAnotherFormatIsRefusedNamingIt()
    {
        var bytes = EventCodec.Encode([]);
        bytes[0] = 9;

        var error = Assert.Throws<InvalidDataException>(() => EventCodec.Decode(bytes, new IdInterner()));

        Assert.Equal("stream entry of format 9; this build reads format 1", error.Message);
    }

    [Fact]
    public void PublishedFiguresComeBackWithEveryCounterAndPropertyAndTheDefaultsLeftOut()
    {
        var snapshot = new LiveSnapshot(
            1_764_900_000_000,
            [
                new LiveQueueFigures("sales", ServiceLevelFormula.Answered, 3, 42.5, Windows<QueueCounters>(100))
                {
                    AgentsStaffed = 7,
                    AgentsAvailable = 2,
                    Staffing = new LiveQueueStaffing(StaffingModel.ErlangA, 120.5, 240, 90, 20, 0.8, 9, 0.83),
                    Name = "销售",
                    Team = "north",
                    WaitingArrivals = [1_764_899_990_000, 1_764_899_995_000, 1_764_899_999_000],
                },
                new LiveQueueFigures("empty", ServiceLevelFormula.Offered, 0, null, new Dictionary<LiveWindow, QueueCounters>()),
            ],
            [
                new LiveAgentFigures("PJSIP/1001", AgentStatus.Paused, 61.25, "lunch", ["sales", "support"], Windows<AgentCounters>(200))
                {
                    Adherence = new AgentAdherence(3_600, 3_000, 3_300),
                    Name = "王芳",
                    Team = "north",
                    Campaign = "winter-sale",
                    CurrentQueue = "sales",
                },
            ],
            [new LiveCampaignFigures("winter-sale", Windows<CampaignCounters>(300)) { Name = "冬季促销", Team = "outbound" }]);
        // A property added to the figures later must be set above, or this fails.
        Assert.Empty(Unset(snapshot.Queues[0]).Concat(Unset(snapshot.Agents[0])).Concat(Unset(snapshot.Campaigns[0])));

        var bytes = SnapshotCodec.Encode(new PartitionSnapshot("beijing", "hub-a", "1764900000000-3", 12_345, snapshot));
        var read = SnapshotCodec.Decode(bytes);

        Assert.Equal(("beijing", "hub-a", "1764900000000-3", 12_345L), (read.Partition, read.Node, read.Position, read.EventsApplied));
        Assert.Equal(JsonSerializer.Serialize(snapshot, Everything), JsonSerializer.Serialize(read.Snapshot, Everything));
        Assert.Equal("empty", read.Snapshot.Queues[1].Name);
        Assert.Null(read.Snapshot.Queues[1].LongestWaitSeconds);
    }

    [Fact]
    public void FiguresThatCannotBeReadAreRefusedAsInvalidData()
    {
        using var buffer = new MemoryStream();
        using (var brotli = new System.IO.Compression.BrotliStream(buffer, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true))
        {
            brotli.Write("{\"Partition\": 12"u8);
        }

        Assert.Throws<InvalidDataException>(() => SnapshotCodec.Decode(buffer.ToArray()));
    }

    /// <summary>Counters of every window, each field a different number: a counter added later is covered without a change here.</summary>
    private static Dictionary<LiveWindow, T> Windows<T>(long seed)
        where T : struct
    {
        var windows = new Dictionary<LiveWindow, T>();
        foreach (var window in Enum.GetValues<LiveWindow>())
        {
            object counters = default(T);
            var value = seed + ((long)window * 1_000);
            foreach (var field in typeof(T).GetFields(BindingFlags.Public | BindingFlags.Instance))
            {
                field.SetValue(counters, ++value);
            }

            windows[window] = (T)counters;
        }

        return windows;
    }

    private static IEnumerable<string> Unset(object figures) =>
        figures.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(property => property.CanWrite)
            .Where(property => property.GetValue(figures) is var value && (value is null || (property.PropertyType.IsValueType && value.Equals(Activator.CreateInstance(property.PropertyType)))))
            .Select(property => figures.GetType().Name + "." + property.Name);
}
