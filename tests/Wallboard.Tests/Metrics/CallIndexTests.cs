using Wallboard.Metrics.Engine;

namespace Wallboard.Tests.Metrics;

public sealed class CallIndexTests
{
    [Fact]
    public void AddsFindsAndRemovesAsADictionaryDoesThroughGrowthAndLongRuns()
    {
        // Keys from a small range collide in the table's low bits, so runs form and removals shift
        // entries back; key 0 (a call without an id) is a key like the others.
        var index = new CallIndex();
        var reference = new Dictionary<ulong, int>();
        var random = new Random(16);
        for (var n = 0; n < 200_000; n++)
        {
            var key = (ulong)random.Next(0, 5_000) << (random.Next(2) == 0 ? 0 : 10);
            switch (random.Next(3))
            {
                case 0:
                    ref var slot = ref index.GetValueRefOrAddDefault(key, out var exists);
                    Assert.Equal(reference.ContainsKey(key), exists);
                    slot = n;
                    reference[key] = n;
                    break;
                case 1:
                    Assert.Equal(reference.Remove(key, out var expected), index.Remove(key, out var removed));
                    Assert.Equal(expected, removed);
                    break;
                default:
                    Assert.Equal(reference.TryGetValue(key, out var value), index.TryGetValue(key, out var found));
                    Assert.Equal(value, found);
                    break;
            }
        }

        Assert.Equal(reference.Count, index.Count);
        Assert.Equal(reference.OrderBy(pair => pair.Key), index.ToArray().OrderBy(pair => pair.Key));
    }
}
