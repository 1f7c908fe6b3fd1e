using System.Runtime.InteropServices;
using Wallboard.Ingest.Model;
using Wallboard.Metrics.Persistence;

namespace Wallboard.Metrics.Engine;

/// <summary>
/// Remembers which customers were in contact (called a queue, or were reached by a campaign) in
/// the repeat-contact window, so that a callback disposition can tell a repeat contact.
/// </summary>
/// <remarks>
/// Every queued call is a contact, but only dispositions ask, and a centre that sends no
/// dispositions would pay a hash-set insert with a cache miss on every call for nothing (it was a
/// quarter of the core's time on a month of a large centre). So contacts are appended to a list
/// in time order and folded into the index only when a disposition asks. Customers are their
/// <see cref="IdKey"/>, not strings: the index holds no caller number and keeps no string alive.
/// A dictionary beat open addressing here (in the core's benchmark, 89 ns an event against 102
/// with 16-byte entries folded 64 at a time, misses overlapped; 12-byte entries were no better):
/// new customers, most of them, touch only its compact bucket array and append their entry next
/// to the last one.
/// Customers whose last contact left the window are dropped, so memory follows the window, not the uptime.
/// </remarks>
internal sealed class ContactedCustomers(long windowMs)
{
    private readonly Queue<(ulong Customer, long AtMs)> _pending = new();
    private readonly Dictionary<ulong, long> _lastContactMs = new();
    private long _nextPruneMs = long.MinValue;

    /// <summary>Customers in the index (for tests).</summary>
    public int Indexed => _lastContactMs.Count;

    /// <summary>Notes a contact at <paramref name="atMs"/>; contacts arrive in time order.</summary>
    public void Record(ulong customer, long atMs)
    {
        _pending.Enqueue((customer, atMs));

        // Without questions the list would grow with the uptime; what is out of the window is never asked about.
        while (_pending.Count > 0 && _pending.Peek().AtMs < atMs - windowMs)
        {
            _pending.Dequeue();
        }
    }

    /// <summary>Whether <paramref name="customer"/> was in contact within the window before <paramref name="atMs"/>; then records this contact.</summary>
    public bool RecordAndCheckRepeat(ulong customer, long atMs)
    {
        while (_pending.TryDequeue(out var contact))
        {
            Remember(contact.Customer, contact.AtMs);
        }

        if (atMs >= _nextPruneMs)
        {
            // Four times a window (of event time), forget customers whose last contact left it: memory stays
            // within a quarter window of what the window holds, and a customer is visited four times, not
            // thirty as with a daily sweep of a 30-day window (4 ns an event of the core, measured).
            _nextPruneMs = atMs + Math.Max(windowMs / 4, 1);
            foreach (var (key, contactMs) in _lastContactMs)
            {
                if (contactMs < atMs - windowMs)
                {
                    _lastContactMs.Remove(key);
                }
            }
        }

        ref var lastMs = ref CollectionsMarshal.GetValueRefOrAddDefault(_lastContactMs, customer, out var known);
        var repeat = known && lastMs >= atMs - windowMs;
        lastMs = known ? Math.Max(lastMs, atMs) : atMs;
        return repeat;
    }

    private void Remember(ulong customer, long atMs)
    {
        ref var lastMs = ref CollectionsMarshal.GetValueRefOrAddDefault(_lastContactMs, customer, out var known);
        lastMs = known ? Math.Max(lastMs, atMs) : atMs;
    }

    public void WriteState(StateWriter writer)
    {
        writer.Section("contacted-customers");
        writer.Write<(ulong Customer, long AtMs)>([.. _pending]);
        writer.Write<KeyValuePair<ulong, long>>([.. _lastContactMs]);
        writer.Write(_nextPruneMs);
    }

    /// <summary>Takes the state <see cref="WriteState"/> wrote; this window must be empty.</summary>
    public void ReadState(StateReader reader)
    {
        reader.Section("contacted-customers");
        foreach (var contact in reader.ReadArray<(ulong Customer, long AtMs)>())
        {
            _pending.Enqueue(contact);
        }

        foreach (var (customer, atMs) in reader.ReadArray<KeyValuePair<ulong, long>>())
        {
            _lastContactMs.Add(customer, atMs);
        }

        _nextPruneMs = reader.ReadInt64();
    }
}
