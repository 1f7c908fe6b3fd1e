using Wallboard.Metrics.Engine;

namespace Wallboard.Tests.Metrics;

public sealed class NameTableTests
{
    [Fact]
    public void EqualTextIsOneNameWhateverTheInstance()
    {
        // Two readers intern the same agents as different string instances; 5,000 names overflow the
        // identity table (1,024 entries) many times over, so lookups go both ways.
        var table = new NameTable();
        var first = Enumerable.Range(0, 5_000).Select(i => $"SIP/{i:D4}").ToArray();
        var second = first.Select(name => new string(name.AsSpan())).ToArray();
        for (var round = 0; round < 3; round++)
        {
            for (var i = 0; i < first.Length; i++)
            {
                Assert.Equal(i, table.IndexOf(first[i]));
                Assert.Equal(i, table.IndexOf(second[i]));
            }
        }

        Assert.Equal(5_000, table.Count);
        Assert.Equal("SIP/4999", table.Names[4_999]);
        Assert.True(table.TryGetIndex(new string("SIP/1234".AsSpan()), out var index));
        Assert.Equal(1_234, index);
        Assert.False(table.TryGetIndex("SIP/5000", out _));
    }
}
