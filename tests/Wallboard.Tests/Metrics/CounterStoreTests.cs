using Wallboard.Metrics.Counters;
using Wallboard.Metrics.Persistence;

namespace Wallboard.Tests.Metrics;

public sealed class CounterStoreTests
{
    private const long Minute = 60_000;

    [Fact]
    public void EverySlotKeepsItsOwnCountersAcrossChunksAndWideRows()
    {
        // 3 intervals × 5,000 entities: more slots than one chunk holds and entities far past the first row.
        var store = new CounterStore<QueueCounters>();
        for (var interval = 0; interval < 3; interval++)
        {
            for (var entity = 0; entity < 5_000; entity++)
            {
                store.Update(entity, interval * Minute).Offered += (interval * 10_000) + entity;
            }
        }

        store.Update(4_999, 0).Answered = 7; // an old slot, after many newer ones
        Assert.Equal(15_000, store.Count);
        Assert.True(store.TryGet(4_321, 2 * Minute, out var value));
        Assert.Equal(24_321, value.Offered);
        Assert.True(store.TryGet(4_999, 0, out value));
        Assert.Equal((4_999, 7), (value.Offered, value.Answered));
        Assert.False(store.TryGet(5_000, 0, out _));
        Assert.False(store.TryGet(1, 3 * Minute, out _));
        Assert.Equal(15_000, store.All().Count());
        Assert.Equal(Enumerable.Range(0, 15_000).Sum(i => (long)((i / 5_000 * 10_000) + (i % 5_000))), store.All().Sum(slot => slot.Value.Offered));
    }

    [Fact]
    public void DrainReturnsExactlyTheSlotsTouchedSinceTheLastDrain()
    {
        var store = new CounterStore<QueueCounters>();
        store.Update(0, 0).Offered++;
        store.Update(1, 0).Offered++;
        store.Update(0, 0).Offered++;
        Assert.Equal([(0, 0L, 2L), (1, 0L, 1L)], store.DrainChanged().Select(s => (s.Entity, s.IntervalStart, s.Value.Offered)));

        store.Seed(2, Minute, new QueueCounters { Offered = 40 });
        Assert.Empty(store.DrainChanged()); // seeding is not a change
        store.Update(2, Minute).Offered++;
        Assert.Equal([(2, Minute, 41L)], store.DrainChanged().Select(s => (s.Entity, s.IntervalStart, s.Value.Offered)));
    }

    [Fact]
    public void RemoveBeforeKeepsLaterSlotsFindableAndChanged()
    {
        var store = new CounterStore<AgentCounters>();
        for (var minute = 0; minute < 10; minute++)
        {
            store.Update(minute % 3, minute * Minute).Answered = minute;
        }

        _ = store.DrainChanged();
        store.Update(2, 8 * Minute).Answered += 100; // changed, then kept
        store.Update(0, 0).Answered += 100; // changed, then removed
        store.RemoveBefore(7 * Minute);

        Assert.Equal(3, store.Count);
        Assert.False(store.TryGet(0, 0, out _));
        Assert.True(store.TryGet(2, 8 * Minute, out var kept));
        Assert.Equal(108, kept.Answered);
        Assert.Equal([(2, 8 * Minute)], store.DrainChanged().Select(s => (s.Entity, s.IntervalStart)));

        store.Update(0, 9 * Minute).Answered++; // an existing slot, not a new one
        store.Update(1, 11 * Minute).Answered++;
        Assert.Equal(4, store.Count);
        Assert.True(store.TryGet(0, 9 * Minute, out var slot));
        Assert.Equal(10, slot.Answered);
    }

    [Fact]
    public void UpdatesOfForgottenIntervalsAreDroppedAndCounted()
    {
        var store = new CounterStore<QueueCounters>();
        store.Update(0, 5 * Minute).Offered = 7;
        store.Update(0, 9 * Minute).Offered = 3;
        _ = store.DrainChanged();
        store.RemoveBefore(8 * Minute);

        // A late call for minute 5: recreating the slot would publish offered = 1 over the stored 7.
        store.Update(0, 5 * Minute).Offered++;
        store.Update(1, 7 * Minute).Offered++;
        store.Update(0, 9 * Minute).Offered++;

        Assert.Equal(2, store.TooLate);
        Assert.Equal(1, store.Count);
        Assert.False(store.TryGet(0, 5 * Minute, out _));
        Assert.Equal([(0, 9 * Minute, 4L)], store.DrainChanged().Select(s => (s.Entity, s.IntervalStart, s.Value.Offered)));

        // A second RemoveBefore never moves the edge back.
        store.RemoveBefore(Minute);
        store.Update(0, 7 * Minute).Offered++;
        Assert.Equal(3, store.TooLate);
    }

    [Fact]
    public void ForgottenSlotsAndRowsAreReusedWithoutNewMemory()
    {
        // A live one-minute engine: 40 agents logged in, an hour of minutes forgotten each hour.
        var store = new CounterStore<AgentCounters>();
        void Hour(int hour)
        {
            for (var minute = hour * 60; minute < (hour + 1) * 60; minute++)
            {
                for (var agent = 0; agent < 40; agent++)
                {
                    store.Update(agent, minute * Minute).LoginMs += 60_000 + agent;
                }
            }

            store.RemoveBefore((hour - 1) * 60 * Minute);
        }

        Hour(0);
        Hour(1);
        Hour(2); // the first hour's slots and rows are taken again

        // Each hour on its own: what the runtime allocates once on this thread (as the JIT replaces
        // code that ran often) falls in one hour at most; new slots or rows would be in every hour.
        var allocated = new long[4];
        for (var hour = 3; hour < 7; hour++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            Hour(hour);
            allocated[hour - 3] = GC.GetAllocatedBytesForCurrentThread() - before;
        }

        Assert.True(allocated.Count(bytes => bytes > 0) <= 1, $"bytes allocated in hours 3–6: {string.Join(", ", allocated)}");

        // Hours 5 and 6 are kept, each slot with its own counters; hour 4 is gone.
        Assert.Equal(2 * 60 * 40, store.Count);
        Assert.Equal(2 * 60 * 40, store.All().Count());
        Assert.False(store.TryGet(7, 299 * Minute, out _));
        Assert.True(store.TryGet(7, 300 * Minute, out var first));
        Assert.True(store.TryGet(39, 419 * Minute, out var last));
        Assert.Equal((60_007, 60_039), (first.LoginMs, last.LoginMs));
        Assert.Equal(2 * 60 * ((40 * 60_000L) + (39 * 40 / 2)), store.All().Sum(slot => slot.Value.LoginMs));
        Assert.All(store.All(), slot => Assert.InRange(slot.IntervalStart, 300 * Minute, 419 * Minute));
    }

    [Fact]
    public void ACheckpointOfAStoreWithFreedSlotsHoldsExactlyTheLiveOnes()
    {
        var store = new CounterStore<QueueCounters>();
        for (var minute = 0; minute < 6; minute++)
        {
            for (var queue = 0; queue < 3; queue++)
            {
                store.Update(queue, minute * Minute).Offered = (minute * 10) + queue;
            }
        }

        _ = store.DrainChanged();
        store.Update(1, 4 * Minute).Answered = 1;
        store.RemoveBefore(3 * Minute); // frees minutes 0–2
        store.Update(2, 7 * Minute).Offered = 72; // into a freed slot
        store.Update(0, 5 * Minute).Answered = 2;

        var bytes = new MemoryStream();
        using (var writer = new StateWriter(bytes))
        {
            store.WriteState(writer);
        }

        bytes.Position = 0;
        var restored = new CounterStore<QueueCounters>();
        using (var reader = new StateReader(bytes))
        {
            restored.ReadState(reader);
        }

        static IEnumerable<(int, long, long, long)> Rows(CounterStore<QueueCounters> s) =>
            s.All().Select(slot => (slot.Entity, slot.IntervalStart, slot.Value.Offered, slot.Value.Answered)).Order();
        Assert.Equal(10, restored.Count);
        Assert.Equal(Rows(store), Rows(restored));
        Assert.Contains((2, 7 * Minute, 72L, 0L), Rows(restored));
        Assert.Equal(
            [(0, 5 * Minute), (1, 4 * Minute), (2, 7 * Minute)],
            restored.DrainChanged().Select(s => (s.Entity, s.IntervalStart)).Order());

        // Forgotten intervals stay forgotten after the restore.
        restored.Update(0, 2 * Minute).Offered++;
        Assert.Equal(1, restored.TooLate);
    }
}
