namespace Wallboard.Ingest.Model;

/// <summary>
/// Counts of what a source read, with the first errors kept verbatim. Per-line problems are
/// counted rather than logged one by one, so a file full of garbage cannot flood the log.
/// </summary>
public sealed class IngestReport
{
    /// <summary>How many errors are kept in <see cref="Errors"/>; the rest are only counted.</summary>
    public const int MaxKeptErrors = 100;

    private readonly List<IngestError> _errors = [];

    /// <summary>Lines (or CSV rows, or JSON documents) read, blank lines excluded.</summary>
    public long LinesRead { get; private set; }

    /// <summary>Lines that produced an event.</summary>
    public long Events { get; private set; }

    /// <summary>Lines that were understood but carry nothing the metrics use (e.g. QUEUESTART).</summary>
    public long Ignored { get; private set; }

    /// <summary>Lines with a verb or event type that is not known; skipped.</summary>
    public long Unknown { get; private set; }

    /// <summary>Lines that are malformed; skipped.</summary>
    public long Malformed { get; private set; }

    /// <summary>Lines read after repairing them (NUL bytes an unclean shutdown left before them); also counted as read.</summary>
    public long Repaired { get; private set; }

    /// <summary>The first <see cref="MaxKeptErrors"/> malformed or repaired lines, in the order read.</summary>
    public IReadOnlyList<IngestError> Errors => _errors;

    public void CountEvent()
    {
        LinesRead++;
        Events++;
    }

    public void CountIgnored()
    {
        LinesRead++;
        Ignored++;
    }

    public void CountUnknown()
    {
        LinesRead++;
        Unknown++;
    }

    public void CountMalformed(IngestError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        LinesRead++;
        Malformed++;
        if (_errors.Count < MaxKeptErrors)
        {
            _errors.Add(error);
        }
    }

    /// <summary>
    /// Turns a line counted as an event into a malformed one: a check that needs the lines around it
    /// (<see cref="Pipeline.TimeJumpScreen"/>) refused it after its reader had taken it.
    /// </summary>
    public void CountRefusedEvent(IngestError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        Events--;
        Malformed++;
        if (_errors.Count < MaxKeptErrors)
        {
            _errors.Add(error);
        }
    }

    /// <summary>Notes a line that was repaired before it was read; the line itself is counted by its result.</summary>
    public void CountRepaired(IngestError notice)
    {
        ArgumentNullException.ThrowIfNull(notice);
        Repaired++;
        if (_errors.Count < MaxKeptErrors)
        {
            _errors.Add(notice with { Repaired = true });
        }
    }

    /// <summary>Adds another report's counts (e.g. one per file) into this one.</summary>
    public void Add(IngestReport other) => Add(other, lineOffset: 0);

    /// <summary>
    /// Adds the report of a part read on its own, whose line numbers count from its first line,
    /// into the report of the whole, where <paramref name="lineOffset"/> lines come before it.
    /// </summary>
    public void Add(IngestReport other, long lineOffset)
    {
        ArgumentNullException.ThrowIfNull(other);
        LinesRead += other.LinesRead;
        Events += other.Events;
        Ignored += other.Ignored;
        Unknown += other.Unknown;
        Malformed += other.Malformed;
        Repaired += other.Repaired;
        foreach (var error in other._errors)
        {
            if (_errors.Count >= MaxKeptErrors)
            {
                break;
            }

            _errors.Add(lineOffset == 0 ? error : error with { Line = error.Line + lineOffset });
        }
    }

    public override string ToString() => Repaired == 0
        ? $"{LinesRead} lines read, {Events} events, {Ignored} ignored, {Unknown} unknown, {Malformed} malformed"
        : $"{LinesRead} lines read, {Events} events, {Ignored} ignored, {Unknown} unknown, {Malformed} malformed, {Repaired} repaired";
}
