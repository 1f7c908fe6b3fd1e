using System.IO.Hashing;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace Wallboard.Ingest.Model;

/// <summary>An id as a string and its <see cref="IdKey"/>, worked out together once.</summary>
internal readonly record struct InternedId(string Text, ulong Key)
{
    public static InternedId Empty { get; } = new(string.Empty, 0);
}

/// <summary>
/// Gives one string per distinct id read as UTF-8 bytes, with its <see cref="IdKey"/>, allocating
/// only for ids not seen lately: <see cref="IdInterner"/> for bytes, a reader's ids looked up where
/// they lie in the file, not decoded first.
/// </summary>
/// <remarks>
/// A fixed table of groups of eight entries, a group chosen by a hash of the bytes (the hashes of a
/// group in one cache line, so an id not there costs one miss); when its group is full an id takes
/// the place of one there. So it
/// never grows nor starts afresh, and the ids in use (the calls in progress, the queues and agents)
/// stay in it while the ids of finished calls are overwritten. An id seen again after it was
/// overwritten gets a new string of the same text: equal ids from one parser are usually, not
/// always, the same instance. An entry keeps the key of its id, so a call's key is hashed once per
/// call rather than once per line. Not thread-safe: one per parser.
/// (The dictionary looked up by span that <see cref="IdInterner"/> is took 14 % of the CPU of
/// <c>wallboard kpi</c>: hashing the text, comparing it with the stored string, and the misses
/// of a table of 16,384 strings scattered over the heap.)
/// </remarks>
internal sealed class Utf8Interner
{
    // Entries are looked for in groups of this many, whose hashes lie in one cache line.
    private const int GroupSize = 8;

    // Ids up to this many bytes are kept in their entry as well, and compared there: a call id is
    // some 15 bytes, and comparing with its string was a cache miss a line.
    private const int InlineBytes = 24;

    private readonly ulong[] _hashes;
    private readonly Entry[] _entries;
    private readonly int _groupMask;
    private int _victim;

    /// <param name="capacity">Entries, a power of two: a few times the ids in use at once.</param>
    public Utf8Interner(int capacity)
    {
        if (capacity < GroupSize || !int.IsPow2(capacity))
        {
            throw new ArgumentOutOfRangeException(nameof(capacity), capacity, $"a power of two of at least {GroupSize}");
        }

        _hashes = new ulong[capacity];
        _entries = new Entry[capacity];
        _groupMask = (capacity / GroupSize) - 1;
    }

    /// <summary>The interned id of <paramref name="utf8"/>; decoded as <see cref="Encoding.UTF8"/> decodes (invalid bytes become U+FFFD).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public InternedId Intern(ReadOnlySpan<byte> utf8)
    {
        if (utf8.IsEmpty)
        {
            return InternedId.Empty;
        }

        Inline inline = default;
        ulong hash;
        if (utf8.Length <= InlineBytes)
        {
            utf8.CopyTo(MemoryMarshal.AsBytes((Span<ulong>)inline));
            hash = Mix(inline[0], inline[1], inline[2], utf8.Length);
        }
        else
        {
            hash = XxHash3.HashToUInt64(utf8);
        }

        // 0 marks an empty place.
        hash |= 1;
        var group = ((int)(hash >> 32) & _groupMask) * GroupSize;
        var hashes = _hashes.AsSpan(group, GroupSize);
        for (var i = 0; i < GroupSize; i++)
        {
            if (hashes[i] == 0)
            {
                hashes[i] = hash;
                return Fill(ref _entries[group + i], inline, utf8);
            }

            if (hashes[i] == hash)
            {
                ref readonly var entry = ref _entries[group + i];
                if (entry.Length == utf8.Length
                    && (utf8.Length <= InlineBytes ? entry.Bytes[0] == inline[0] && entry.Bytes[1] == inline[1] && entry.Bytes[2] == inline[2] : Same(entry.Id!, utf8)))
                {
                    return new InternedId(entry.Id!, entry.Key);
                }
            }
        }

        // A full group: the id replaces one of its entries, each in turn.
        _victim = (_victim + 1) & (GroupSize - 1);
        hashes[_victim] = hash;
        return Fill(ref _entries[group + _victim], inline, utf8);
    }

    /// <summary>A hash of up to 24 bytes, good enough to spread ids over the table (equality is decided on the bytes).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Mix(ulong a, ulong b, ulong c, int length)
    {
        var h = (a * 0x9E3779B97F4A7C15UL) ^ (b * 0xC2B2AE3D27D4EB4FUL) ^ (c * 0x165667B19E3779F9UL) ^ (ulong)length;
        return h ^ (h >> 29);
    }

    private static InternedId Fill(ref Entry entry, Inline inline, ReadOnlySpan<byte> utf8)
    {
        var id = Encoding.UTF8.GetString(utf8);
        entry = new Entry { Bytes = inline, Length = utf8.Length, Id = id, Key = IdKey.Of(id) };
        return new InternedId(id, entry.Key);
    }

    private static bool Same(string id, ReadOnlySpan<byte> utf8)
    {
        if (Ascii.Equals(utf8, id))
        {
            return true;
        }

        // Only text beyond ASCII can still be equal (ASCII against the same ASCII was compared above).
        if (Ascii.IsValid(utf8) && Ascii.IsValid(id))
        {
            return false;
        }

        // A name in Chinese, say: decoded on the stack, as reading it would decode it.
        if (utf8.Length > 256)
        {
            return Encoding.UTF8.GetString(utf8) == id;
        }

        Span<char> text = stackalloc char[utf8.Length];
        return text[..Encoding.UTF8.GetChars(utf8, text)].SequenceEqual(id);
    }

    [InlineArray(3)]
    private struct Inline
    {
        private ulong _element;
    }

    private struct Entry
    {
        public Inline Bytes;
        public int Length;
        public string? Id;
        public ulong Key;
    }
}
