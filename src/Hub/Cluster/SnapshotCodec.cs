using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Serialization;
using Wallboard.Metrics.Live;

namespace Wallboard.Hub.Cluster;

/// <summary>What a partition's core publishes at each tick: its figures, who runs it and how far it has read.</summary>
/// <param name="Partition">The partition.</param>
/// <param name="Node">The hub that runs its core.</param>
/// <param name="Position">The last stream entry applied.</param>
/// <param name="EventsApplied">Events the core has applied since it took over.</param>
/// <param name="Snapshot">The figures.</param>
internal sealed record PartitionSnapshot(string Partition, string Node, string? Position, long EventsApplied, LiveSnapshot Snapshot);

/// <summary>
/// A <see cref="PartitionSnapshot"/> as bytes for Redis: the whole <see cref="LiveSnapshot"/> as
/// JSON (System.Text.Json, source-generated, the counters' fields included), Brotli-compressed at
/// its fastest level.
/// </summary>
/// <remarks>
/// JSON because the snapshot grows with the product: every counter, property or record added to the
/// live figures travels without a change here, and a hub of the build before or after reads what it
/// knows and passes over the rest (a rolling upgrade). Fields at their default (most counters of
/// most windows are zero) are left out and read back as that default, which with Brotli keeps a
/// 1,200-agent partition's figures small (ClusterBenchmarks measures it).
/// </remarks>
internal static class SnapshotCodec
{
    public static byte[] Encode(PartitionSnapshot published)
    {
        ArgumentNullException.ThrowIfNull(published);
        using var buffer = new MemoryStream();
        using (var brotli = new BrotliStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        {
            JsonSerializer.Serialize(brotli, published, SnapshotJson.Default.PartitionSnapshot);
        }

        return buffer.ToArray();
    }

    /// <summary>The figures in <paramref name="bytes"/>; <see cref="InvalidDataException"/> when they cannot be read.</summary>
    public static PartitionSnapshot Decode(byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        try
        {
            using var brotli = new BrotliStream(new MemoryStream(bytes, writable: false), CompressionMode.Decompress);
            return JsonSerializer.Deserialize(brotli, SnapshotJson.Default.PartitionSnapshot)
                ?? throw new InvalidDataException("published figures: null");
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException("published figures: " + ex.Message, ex);
        }
    }
}

[JsonSourceGenerationOptions(
    IncludeFields = true,
    IgnoreReadOnlyProperties = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingDefault,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(PartitionSnapshot))]
internal sealed partial class SnapshotJson : JsonSerializerContext;
