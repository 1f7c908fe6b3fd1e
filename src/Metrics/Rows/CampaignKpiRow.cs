using Wallboard.Metrics.Counters;

namespace Wallboard.Metrics.Rows;

/// <summary>One outbound or callback campaign in one interval.</summary>
public sealed record CampaignKpiRow
{
    public required string Campaign { get; init; }

    /// <summary>The campaign's display name from the directory; the id when it has none.</summary>
    public string CampaignName { get; init; } = string.Empty;
    public required DateTimeOffset? IntervalStart { get; init; }
    public long Attempts { get; init; }
    public long Connected { get; init; }
    public double? ConnectRate { get; init; }
    public long NoAnswer { get; init; }
    public long Busy { get; init; }
    public long Failed { get; init; }
    public double TalkSeconds { get; init; }
    public long Contacts { get; init; }
    public long Conversions { get; init; }
    public double? ConversionRate { get; init; }
    public long RepeatContacts { get; init; }
    public long RepeatConversions { get; init; }

    /// <summary>Conversions on a repeat contact of the same customer (the callback, 回访, rate).</summary>
    public double? RepeatConversionRate { get; init; }

    public long Complaints { get; init; }

    /// <remarks>The display name; the id when null.</remarks>
    public static CampaignKpiRow From(string campaign, DateTimeOffset? intervalStart, in CampaignCounters c, string? name = null) => new()
    {
        Campaign = campaign,
        CampaignName = name ?? campaign,
        IntervalStart = intervalStart,
        Attempts = c.Attempts,
        Connected = c.Connected,
        ConnectRate = KpiMath.Ratio(c.Connected, c.Attempts),
        NoAnswer = c.NoAnswer,
        Busy = c.Busy,
        Failed = c.Failed,
        TalkSeconds = KpiMath.Seconds(c.TalkMs),
        Contacts = c.Contacts,
        Conversions = c.Conversions,
        ConversionRate = KpiMath.Ratio(c.Conversions, c.Contacts),
        RepeatContacts = c.RepeatContacts,
        RepeatConversions = c.RepeatConversions,
        RepeatConversionRate = KpiMath.Ratio(c.RepeatConversions, c.RepeatContacts),
        Complaints = c.Complaints,
    };
}
