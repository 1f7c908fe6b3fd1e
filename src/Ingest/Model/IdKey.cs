using System.IO.Hashing;
using System.Runtime.InteropServices;

namespace Wallboard.Ingest.Model;

/// <summary>
/// A 64-bit key for an id (a call id, a caller number): XxHash3 of its text, 0 for none. Two ids
/// share a key with odds of 2⁻⁶⁴ a pair, about 3·10⁻⁸ that any two of a million ids do, so the
/// core tells calls and customers apart by key without reading their text again.
/// </summary>
public static class IdKey
{
    /// <summary>The key of <paramref name="id"/>; 0 for null or empty (and never otherwise).</summary>
    public static ulong Of(string? id)
    {
        if (string.IsNullOrEmpty(id))
        {
            return 0;
        }

        var key = XxHash3.HashToUInt64(MemoryMarshal.AsBytes(id.AsSpan()));
        return key == 0 ? 1 : key;
    }
}
