using System.IO.Hashing;
using System.Runtime.InteropServices;

namespace Wallboard.Metrics.Engine;

/// <summary>
/// Remembers which customers were in contact (called a queue, or were reached by a campaign) in
/// the repeat-contact window, so that a callback disposition can tell a repeat contact.
/// </summary>
/// <remarks>
/// Every queued call is a contact, but only dispositions ask, and a centre that sends no
/// dispositions would pay a hash-set insert with a cache miss on every call for nothing (it was a
/// quarter of the core's time on a month of a large centre). So contacts are appended to a list
/// in time order and folded into the index only when a disposition asks. Customers are kept as
/// 64-bit hashes (XxHash3), not strings: the index holds no caller number and keeps no string
/// alive, and with a million customers in the window the odds of any collision are below 10⁻⁷.
/// The index is open addressing over (hash, last contact) pairs: a customer costs one cache miss,
/// where a <see cref="Dictionary{TKey, TValue}"/> takes two (bucket, then entry), and with hundreds
/// of thousands of customers almost every lookup misses. A customer whose last contact left the
/// window is dead: its entry is taken by the next new customer that probes past it, and dropped
/// when the table is rebuilt, which happens only when it is half full, so memory follows the
/// window, not the uptime, without a sweep that would rehash every customer each day.
/// </remarks>
internal sealed class ContactedCustomers(long windowMs)
{
    private const int InitialCapacity = 1 << 12;

    private readonly Queue<(ulong Customer, long AtMs)> _pending = new();
    private Contact[] _index = new Contact[InitialCapacity];

    // The table a rebuild fills when the size stays, so that rebuilding allocates nothing.
    private Contact[] _spare = [];

    /// <summary>Entries in use, dead ones included (for tests).</summary>
    public int Occupied { get; private set; }

    /// <summary>Entries of the table (for tests).</summary>
    public int Capacity => _index.Length;

    /// <summary>Notes a contact at <paramref name="atMs"/>; contacts arrive in time order.</summary>
    public void Record(string customer, long atMs)
    {
        _pending.Enqueue((Hash(customer), atMs));

        // Without questions the list would grow with the uptime; what is out of the window is never asked about.
        while (_pending.Count > 0 && _pending.Peek().AtMs < atMs - windowMs)
        {
            _pending.Dequeue();
        }
    }

    /// <summary>Whether <paramref name="customer"/> was in contact within the window before <paramref name="atMs"/>; then records this contact.</summary>
    public bool RecordAndCheckRepeat(string customer, long atMs)
    {
        var windowStartMs = atMs - windowMs;
        while (_pending.TryDequeue(out var contact))
        {
            ref var earlierMs = ref LastContactOf(contact.Customer, windowStartMs, out var seen);
            earlierMs = seen ? Math.Max(earlierMs, contact.AtMs) : contact.AtMs;
        }

        ref var lastMs = ref LastContactOf(Hash(customer), windowStartMs, out var repeat);
        lastMs = repeat ? Math.Max(lastMs, atMs) : atMs;
        return repeat;
    }

    /// <summary>
    /// The last contact time of a customer; <paramref name="inWindow"/> is false when it has none since
    /// <paramref name="windowStartMs"/>, and the caller then sets it.
    /// </summary>
    private ref long LastContactOf(ulong customer, long windowStartMs, out bool inWindow)
    {
        if (Occupied >= _index.Length / 2)
        {
            Rebuild(windowStartMs);
        }

        var mask = _index.Length - 1;
        var dead = -1;
        var i = (int)customer & mask;
        for (; ; i = (i + 1) & mask)
        {
            ref var entry = ref _index[i];
            if (entry.Customer == customer)
            {
                inWindow = entry.LastMs >= windowStartMs;
                return ref entry.LastMs;
            }

            if (entry.Customer == Contact.Empty)
            {
                break;
            }

            if (dead < 0 && entry.LastMs < windowStartMs)
            {
                dead = i;
            }
        }

        if (dead >= 0)
        {
            i = dead;
        }
        else
        {
            Occupied++;
        }

        _index[i].Customer = customer;
        inWindow = false;
        return ref _index[i].LastMs;
    }

    /// <summary>Re-inserts the customers still in the window into a table sized for them (a quarter full).</summary>
    private void Rebuild(long windowStartMs)
    {
        var kept = 0;
        foreach (var entry in _index)
        {
            kept += entry.Customer != Contact.Empty && entry.LastMs >= windowStartMs ? 1 : 0;
        }

        var capacity = InitialCapacity;
        while (capacity < kept * 4)
        {
            capacity *= 2;
        }

        var old = _index;
        if (_spare.Length == capacity)
        {
            Array.Clear(_spare);
            _index = _spare;
        }
        else
        {
            _index = new Contact[capacity];
        }

        _spare = old;
        Occupied = 0;
        foreach (var entry in old)
        {
            if (entry.Customer != Contact.Empty && entry.LastMs >= windowStartMs)
            {
                LastContactOf(entry.Customer, windowStartMs, out _) = entry.LastMs;
            }
        }
    }

    private static ulong Hash(string customer)
    {
        var hash = XxHash3.HashToUInt64(MemoryMarshal.AsBytes(customer.AsSpan()));
        return hash == Contact.Empty ? 1 : hash;
    }

    private struct Contact
    {
        /// <summary>The hash that marks a free entry; a customer hashing to it is kept as 1.</summary>
        public const ulong Empty = 0;

        public ulong Customer;
        public long LastMs;
    }
}
