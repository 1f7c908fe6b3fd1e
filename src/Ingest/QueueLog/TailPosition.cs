using System.Globalization;

namespace Wallboard.Ingest.QueueLog;

/// <summary>
/// Where a <see cref="QueueLogTail"/> is: the file, known by the SHA-256 of its first
/// <paramref name="FingerprintLength"/> bytes, the byte offset just after the last delivered line
/// and that line's number. Its text form is what a checkpoint stores.
/// </summary>
public sealed record TailPosition(int FingerprintLength, string FingerprintSha256, long Offset, long Line)
{
    private const string Prefix = "tail1:";

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Prefix}{Offset}:{Line}:{FingerprintLength}:{FingerprintSha256}");

    /// <summary>Reads the text form; false for anything else.</summary>
    public static bool TryParse(string? text, out TailPosition? position)
    {
        position = null;
        if (text is null || !text.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var parts = text[Prefix.Length..].Split(':');
        if (parts.Length != 4
            || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var offset)
            || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var line)
            || !int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var length)
            || length > QueueLogTail.FingerprintSize || offset < length
            || parts[3].Length != 64 || !parts[3].All(char.IsAsciiHexDigit))
        {
            return false;
        }

        position = new TailPosition(length, parts[3], offset, line);
        return true;
    }
}
