using System.Buffers;
using System.IO.Hashing;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

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

        return OfText(id);
    }

    /// <summary>
    /// The key of the text <paramref name="utf8"/> decodes to (as <see cref="Encoding.UTF8"/> decodes it,
    /// invalid bytes as U+FFFD): <c>Of(Encoding.UTF8.GetString(utf8))</c> without making the string.
    /// </summary>
    /// <remarks>
    /// For a reader whose sink only tells ids apart (the core of <c>wallboard kpi</c>): a string for
    /// each call id and caller number was an allocation, a copy and a hash of the copy for every call.
    /// An ASCII id, the usual kind, is widened on the stack and hashed there.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static ulong Of(ReadOnlySpan<byte> utf8)
    {
        const int StackChars = 128;
        if (utf8.IsEmpty)
        {
            return 0;
        }

        Span<char> stack = stackalloc char[StackChars];
        if (utf8.Length <= StackChars && Ascii.ToUtf16(utf8, stack, out var written) == OperationStatus.Done)
        {
            return OfText(stack[..written]);
        }

        char[]? rented = null;
        var text = utf8.Length <= StackChars ? stack : (rented = ArrayPool<char>.Shared.Rent(utf8.Length));
        try
        {
            return OfText(text[..Encoding.UTF8.GetChars(utf8, text)]);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<char>.Shared.Return(rented);
            }
        }
    }

    private static ulong OfText(ReadOnlySpan<char> id)
    {
        var key = XxHash3.HashToUInt64(MemoryMarshal.AsBytes(id));
        return key == 0 ? 1 : key;
    }
}
