using Wallboard.Ingest.Model;
using Wallboard.Ingest.Pipeline;

namespace Wallboard.Tests;

public sealed class MergedSourcesTests
{
    private sealed class ListSink : IContactEventSink
    {
        public List<ContactEvent> Events { get; } = [];

        public void Accept(in ContactEvent contactEvent) => Events.Add(contactEvent);
    }

    private static Action<IContactEventSink> Source(string name, params long[] times) => sink =>
    {
        foreach (var t in times)
        {
            sink.Accept(new ContactEvent { Kind = ContactEventKind.CallQueued, UnixTimeMs = t, CallId = name, Queue = "q", Agent = "" });
        }
    };

    [Fact]
    public async Task EventsOfSeveralSourcesArriveInTimeOrder()
    {
        var sink = new ListSink();
        var many = Enumerable.Range(0, 3000).Select(i => (long)(i * 2)).ToArray();
        var odd = Enumerable.Range(0, 3000).Select(i => (long)(i * 2) + 1).ToArray();

        await MergedSources.RunAsync([Source("even", many), Source("odd", odd), Source("empty")], sink);

        Assert.Equal(6000, sink.Events.Count);
        Assert.Equal(Enumerable.Range(0, 6000).Select(i => (long)i), sink.Events.Select(e => e.UnixTimeMs));
    }

    [Fact]
    public async Task AFailingSourceFailsTheRun()
    {
        var sink = new ListSink();
        var error = await Assert.ThrowsAsync<IOException>(() => MergedSources.RunAsync(
            [Source("ok", 1, 2, 3), _ => throw new IOException("disk gone")], sink));
        Assert.Equal("disk gone", error.Message);
    }
}
