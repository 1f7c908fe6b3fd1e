namespace Wallboard.Ingest.Json;

/// <summary>What <see cref="JsonEventParser.Parse"/> made of one line.</summary>
public enum JsonParseStatus : byte
{
    /// <summary>The line is an event of a known type.</summary>
    Event,

    /// <summary>The line is empty or white space; it is not counted.</summary>
    Blank,

    /// <summary>The line is a well-formed event of a type this schema does not know.</summary>
    Unknown,

    /// <summary>The line is not a valid event; the error says why.</summary>
    Malformed,
}
