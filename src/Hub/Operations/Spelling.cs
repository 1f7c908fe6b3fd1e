namespace Wallboard.Hub.Operations;

/// <summary>"Did you mean…" for configuration keys and commands: typos are the most common support question.</summary>
internal static class Spelling
{
    /// <summary>Whether <paramref name="typed"/> is at most two edits (ignoring case) from <paramref name="known"/>.</summary>
    public static bool IsNear(string typed, string known)
    {
        ArgumentNullException.ThrowIfNull(typed);
        ArgumentNullException.ThrowIfNull(known);
        return Distance(typed.ToUpperInvariant(), known.ToUpperInvariant()) <= 2;
    }

    /// <summary>Levenshtein distance, for "did you mean" (names are short).</summary>
    private static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitution, Math.Min(previous[j] + 1, current[j - 1] + 1));
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
