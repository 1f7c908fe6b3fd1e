namespace Wallboard.Ingest.Model;

/// <summary>A line that could not be used, with enough to find and fix it.</summary>
/// <param name="Source">The file or endpoint the line came from.</param>
/// <param name="Line">The 1-based line number (for CSV, the physical line where the row starts).</param>
/// <param name="Message">What is wrong, naming the field and the value.</param>
public sealed record IngestError(string Source, long Line, string Message)
{
    /// <summary>The line was read after a repair (not skipped); the message says what was repaired.</summary>
    public bool Repaired { get; init; }

    public override string ToString() => $"{Source}:{Line}: {Message}";
}
