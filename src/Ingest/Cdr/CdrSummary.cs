namespace Wallboard.Ingest.Cdr;

/// <summary>
/// Totals over the good rows of a CDR file, in the terms a PBX's own CDR report uses, so that an
/// operator can check the import against it.
/// </summary>
public sealed class CdrSummary
{
    private readonly Dictionary<string, long> _byDisposition = new(StringComparer.Ordinal);

    /// <summary>Rows read without error (inbound and outbound).</summary>
    public long Rows { get; private set; }

    /// <summary>Rows whose disposition is ANSWERED.</summary>
    public long Answered { get; private set; }

    /// <summary>Sum of billsec over all good rows, whatever their disposition (as the PBX sums it).</summary>
    public long BillSecTotal { get; private set; }

    /// <summary>Sum of duration over all good rows.</summary>
    public long DurationTotal { get; private set; }

    /// <summary>Rows that were classified as outbound and produced an event.</summary>
    public long Outbound { get; private set; }

    /// <summary>Row count per disposition, exactly as written in the file.</summary>
    public IReadOnlyDictionary<string, long> ByDisposition => _byDisposition;

    internal void Count(CdrRecord record, bool outbound)
    {
        Rows++;
        if (record.Disposition == CdrDispositions.Answered)
        {
            Answered++;
        }

        BillSecTotal += record.BillSec;
        DurationTotal += record.Duration;
        if (outbound)
        {
            Outbound++;
        }

        _byDisposition[record.Disposition] = _byDisposition.GetValueOrDefault(record.Disposition) + 1;
    }

    /// <summary>Adds another summary (e.g. one per file) into this one.</summary>
    public void Add(CdrSummary other)
    {
        ArgumentNullException.ThrowIfNull(other);
        Rows += other.Rows;
        Answered += other.Answered;
        BillSecTotal += other.BillSecTotal;
        DurationTotal += other.DurationTotal;
        Outbound += other.Outbound;
        foreach (var (disposition, count) in other._byDisposition)
        {
            _byDisposition[disposition] = _byDisposition.GetValueOrDefault(disposition) + count;
        }
    }

    public override string ToString() =>
        $"{Rows} rows, {Answered} answered, {BillSecTotal} billsec, {Outbound} outbound";
}
