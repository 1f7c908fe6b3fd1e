namespace Wallboard.Ingest.QueueLog;

/// <summary>What <see cref="QueueLogParser"/> made of one line.</summary>
public enum QueueLogLineResult : byte
{
    /// <summary>The line produced an event.</summary>
    Event,

    /// <summary>A known verb that carries nothing the metrics use (QUEUESTART, CONFIGRELOAD, …).</summary>
    Ignored,

    /// <summary>A verb this parser does not know.</summary>
    Unknown,

    /// <summary>The line is broken; the parser gives a message naming the field and value.</summary>
    Malformed,

    /// <summary>An empty or whitespace-only line: not a line at all for counting purposes.</summary>
    Blank,
}
