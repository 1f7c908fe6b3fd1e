using System.Runtime.InteropServices;
using Wallboard.Metrics.Persistence;

namespace Wallboard.Tests.Durability;

/// <summary>Arrays of structs written by one build are read by a later one that added or moved fields.</summary>
public sealed class StructShapeTests
{
    [Fact]
    public void ProbedOffsetsMatchAnExplicitLayout()
    {
        var shape = StructShape.Of<Explicit>();
        Assert.Equal(24, shape.Size);
        Assert.Equal([new StructField("Flag", 0, 1), new StructField("Count", 4, 4), new StructField("Nested.Value", 8, 8), new StructField("Total", 16, 8)], shape.Fields);
    }

    [Fact]
    public void AFieldAddedByALaterBuildReadsAsZeroAndTheOthersKeepTheirValues()
    {
        using var stream = new MemoryStream();
        using (var writer = new StateWriter(stream))
        {
            writer.Write<Before>([new Before { Offered = 80, Answered = 75, Flag = true }, new Before { Offered = 5, Answered = 1 }]);
        }

        stream.Position = 0;
        using var reader = new StateReader(stream);
        var after = reader.ReadArray<After>();

        Assert.Equal([(0L, 80L, 75L, true), (0L, 5L, 1L, false)], after.Select(a => (a.Withdrawn, a.Offered, a.Answered, a.Flag)));
    }

#pragma warning disable CS0649 // Set only through the bytes read back or by reflection.
    [StructLayout(LayoutKind.Explicit)]
    private struct Explicit
    {
        [FieldOffset(0)]
        public bool Flag;

        [FieldOffset(4)]
        public int Count;

        [FieldOffset(8)]
        public InnerPart Nested;

        [FieldOffset(16)]
        public long Total;
    }

    private struct InnerPart
    {
        public long Value;
    }

    private struct Before
    {
        public long Offered;
        public long Answered;
        public bool Flag;
    }

    // A new counter first, so every old field moves.
    private struct After
    {
        public long Withdrawn;
        public long Offered;
        public bool Flag;
        public long Answered;
    }
#pragma warning restore CS0649
}
