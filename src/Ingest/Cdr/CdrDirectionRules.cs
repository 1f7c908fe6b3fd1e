using System.Text.RegularExpressions;

namespace Wallboard.Ingest.Cdr;

/// <summary>
/// Which CDR rows are outbound campaign calls. A row is outbound when any rule matches; with no
/// rules every row is inbound. Master.csv has no direction column, so this has to come from how
/// the dial plan is laid out: a dialer's context, its account codes, or the channels it uses.
/// </summary>
public sealed class CdrDirectionRules
{
    /// <summary>How long the channel pattern may run on one row before the row is rejected.</summary>
    public static readonly TimeSpan PatternTimeout = TimeSpan.FromMilliseconds(100);

    /// <summary>Rules that match nothing: every row is inbound.</summary>
    public static CdrDirectionRules None { get; } = new();

    /// <summary>Dial-plan contexts (dcontext) of outbound calls, compared exactly.</summary>
    public IReadOnlySet<string> OutboundContexts { get; init; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>Account codes of outbound calls, compared exactly.</summary>
    public IReadOnlySet<string> OutboundAccountCodes { get; init; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>Account-code prefixes of outbound calls (e.g. <c>camp-</c>); an empty prefix is ignored.</summary>
    public IReadOnlyList<string> OutboundAccountCodePrefixes { get; init; } = [];

    /// <summary>
    /// A pattern on the channel column (e.g. <c>^Local/.*@dialer-</c>). Build it with a match timeout
    /// (see <see cref="CreateChannelPattern"/>) so that a bad pattern cannot stall ingest.
    /// </summary>
    public Regex? OutboundChannelPattern { get; init; }

    /// <summary>Builds a culture-invariant channel pattern with <see cref="PatternTimeout"/>.</summary>
    public static Regex CreateChannelPattern(string pattern) =>
        new(pattern, RegexOptions.CultureInvariant, PatternTimeout);

    /// <summary>Whether the row is an outbound campaign call.</summary>
    /// <exception cref="RegexMatchTimeoutException">The channel pattern took too long on this row.</exception>
    public bool IsOutbound(CdrRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (OutboundContexts.Contains(record.DContext))
        {
            return true;
        }

        if (record.AccountCode.Length > 0)
        {
            if (OutboundAccountCodes.Contains(record.AccountCode))
            {
                return true;
            }

            foreach (var prefix in OutboundAccountCodePrefixes)
            {
                if (prefix.Length > 0 && record.AccountCode.StartsWith(prefix, StringComparison.Ordinal))
                {
                    return true;
                }
            }
        }

        return OutboundChannelPattern?.IsMatch(record.Channel) == true;
    }
}
