using Wallboard.Metrics.Counters;

namespace Wallboard.Metrics.History;

/// <summary>
/// The stored fields of each kind, in snake_case, in the order of <see cref="HistoryPoint.Values"/>.
/// They are the counter structs' fields one for one: adding a counter means adding it here too
/// (a test checks that the field count matches the struct). A field added later goes at the end, so
/// the columns of existing SQLite files stay where they are (the store adds the new ones with 0).
/// </summary>
public static class HistorySchema
{
    private static readonly string[] QueueFields =
    [
        "offered", "answered", "abandoned", "short_abandoned", "timed_out", "exited_key", "exited_empty",
        "answered_within_sl", "abandoned_within_sl", "answered_within_rings", "ring_known", "answered_wait_ms",
        "handled", "talk_ms", "hold_ms", "wrap_up_ms", "abandon_wait_ms", "max_wait_ms", "withdrawn",
        "answered_within_ten_seconds", "answered_within_twenty_seconds", "answered_within_thirty_seconds",
        "answered_within_one_minute", "answered_within_two_minutes", "answered_within_five_minutes",
        "abandoned_within_ten_seconds", "abandoned_within_twenty_seconds", "abandoned_within_thirty_seconds",
        "abandoned_within_one_minute", "abandoned_within_two_minutes", "abandoned_within_five_minutes",
    ];

    private static readonly string[] AgentFields =
    [
        "answered", "ring_no_answer", "handled", "talk_ms", "hold_ms", "wrap_up_ms", "login_ms", "pause_ms",
        "outbound_attempts", "outbound_connected", "outbound_talk_ms", "contacts", "conversions", "complaints",
    ];

    private static readonly string[] CampaignFields =
    [
        "attempts", "connected", "no_answer", "busy", "failed", "talk_ms", "contacts", "conversions",
        "repeat_contacts", "repeat_conversions", "complaints",
    ];

    /// <summary>Fields whose sum over intervals is their maximum; every other field is summed.</summary>
    /// <remarks>Roll-ups of both stores aggregate by this list, so a counter added later is summed with no change there (a test checks the list against the structs' <c>Add</c>).</remarks>
    private static readonly HashSet<string> MaximumFields = new(StringComparer.Ordinal) { "max_wait_ms" };

    private static readonly bool[] QueueMaxima = [.. QueueFields.Select(MaximumFields.Contains)];
    private static readonly bool[] AgentMaxima = [.. AgentFields.Select(MaximumFields.Contains)];
    private static readonly bool[] CampaignMaxima = [.. CampaignFields.Select(MaximumFields.Contains)];

    /// <summary>The stored field names of a kind.</summary>
    public static IReadOnlyList<string> Fields(HistoryKind kind) => kind switch
    {
        HistoryKind.Queues => QueueFields,
        HistoryKind.Agents => AgentFields,
        _ => CampaignFields,
    };

    /// <summary>Whether a field of the kinds' schemas combines by maximum (<c>max_wait_ms</c>) rather than by sum.</summary>
    public static bool IsMaximum(string field) => MaximumFields.Contains(field);

    /// <summary>
    /// Adds the values of one interval into <paramref name="sum"/>, field by field as the counter
    /// structs' <c>Add</c> does: summed, or the larger kept for a maximum.
    /// </summary>
    public static void Combine(HistoryKind kind, Span<long> sum, ReadOnlySpan<long> values)
    {
        var maxima = kind switch
        {
            HistoryKind.Queues => QueueMaxima,
            HistoryKind.Agents => AgentMaxima,
            _ => CampaignMaxima,
        };
        for (var i = 0; i < maxima.Length; i++)
        {
            sum[i] = maxima[i] ? Math.Max(sum[i], values[i]) : sum[i] + values[i];
        }
    }

    /// <summary>The name of the tag (InfluxDB) or key column (SQLite) that holds the id.</summary>
    public static string IdName(HistoryKind kind) => kind switch
    {
        HistoryKind.Queues => "queue",
        HistoryKind.Agents => "agent",
        _ => "campaign",
    };

    /// <summary>The InfluxDB measurement and SQLite table of a kind.</summary>
    public static string TableName(HistoryKind kind) => IdName(kind) + "_interval";

    public static long[] ToValues(in QueueCounters c)
    {
        var values = new long[QueueFields.Length];
        CopyTo(c, values);
        return values;
    }

    public static long[] ToValues(in AgentCounters c)
    {
        var values = new long[AgentFields.Length];
        CopyTo(c, values);
        return values;
    }

    public static long[] ToValues(in CampaignCounters c)
    {
        var values = new long[CampaignFields.Length];
        CopyTo(c, values);
        return values;
    }

    /// <summary>Writes the counters in <see cref="Fields"/> order into <paramref name="values"/> (an import's rows, without an array per interval).</summary>
    public static void CopyTo(in QueueCounters c, Span<long> values)
    {
        Check(values, QueueFields);
        values[0] = c.Offered;
        values[1] = c.Answered;
        values[2] = c.Abandoned;
        values[3] = c.ShortAbandoned;
        values[4] = c.TimedOut;
        values[5] = c.ExitedKey;
        values[6] = c.ExitedEmpty;
        values[7] = c.AnsweredWithinSl;
        values[8] = c.AbandonedWithinSl;
        values[9] = c.AnsweredWithinRings;
        values[10] = c.RingKnown;
        values[11] = c.AnsweredWaitMs;
        values[12] = c.Handled;
        values[13] = c.TalkMs;
        values[14] = c.HoldMs;
        values[15] = c.WrapUpMs;
        values[16] = c.AbandonWaitMs;
        values[17] = c.MaxWaitMs;
        values[18] = c.Withdrawn;
        values[19] = c.AnsweredWithinTenSeconds;
        values[20] = c.AnsweredWithinTwentySeconds;
        values[21] = c.AnsweredWithinThirtySeconds;
        values[22] = c.AnsweredWithinOneMinute;
        values[23] = c.AnsweredWithinTwoMinutes;
        values[24] = c.AnsweredWithinFiveMinutes;
        values[25] = c.AbandonedWithinTenSeconds;
        values[26] = c.AbandonedWithinTwentySeconds;
        values[27] = c.AbandonedWithinThirtySeconds;
        values[28] = c.AbandonedWithinOneMinute;
        values[29] = c.AbandonedWithinTwoMinutes;
        values[30] = c.AbandonedWithinFiveMinutes;
    }

    /// <inheritdoc cref="CopyTo(in QueueCounters, Span{long})"/>
    public static void CopyTo(in AgentCounters c, Span<long> values)
    {
        Check(values, AgentFields);
        values[0] = c.Answered;
        values[1] = c.RingNoAnswer;
        values[2] = c.Handled;
        values[3] = c.TalkMs;
        values[4] = c.HoldMs;
        values[5] = c.WrapUpMs;
        values[6] = c.LoginMs;
        values[7] = c.PauseMs;
        values[8] = c.OutboundAttempts;
        values[9] = c.OutboundConnected;
        values[10] = c.OutboundTalkMs;
        values[11] = c.Contacts;
        values[12] = c.Conversions;
        values[13] = c.Complaints;
    }

    /// <inheritdoc cref="CopyTo(in QueueCounters, Span{long})"/>
    public static void CopyTo(in CampaignCounters c, Span<long> values)
    {
        Check(values, CampaignFields);
        values[0] = c.Attempts;
        values[1] = c.Connected;
        values[2] = c.NoAnswer;
        values[3] = c.Busy;
        values[4] = c.Failed;
        values[5] = c.TalkMs;
        values[6] = c.Contacts;
        values[7] = c.Conversions;
        values[8] = c.RepeatContacts;
        values[9] = c.RepeatConversions;
        values[10] = c.Complaints;
    }

    public static QueueCounters ToQueueCounters(ReadOnlySpan<long> v)
    {
        Check(v, QueueFields);
        return new QueueCounters
        {
            Offered = v[0], Answered = v[1], Abandoned = v[2], ShortAbandoned = v[3], TimedOut = v[4], ExitedKey = v[5],
            ExitedEmpty = v[6], AnsweredWithinSl = v[7], AbandonedWithinSl = v[8], AnsweredWithinRings = v[9],
            RingKnown = v[10], AnsweredWaitMs = v[11], Handled = v[12], TalkMs = v[13], HoldMs = v[14], WrapUpMs = v[15],
            AbandonWaitMs = v[16], MaxWaitMs = v[17], Withdrawn = v[18],
            AnsweredWithinTenSeconds = v[19], AnsweredWithinTwentySeconds = v[20], AnsweredWithinThirtySeconds = v[21],
            AnsweredWithinOneMinute = v[22], AnsweredWithinTwoMinutes = v[23], AnsweredWithinFiveMinutes = v[24],
            AbandonedWithinTenSeconds = v[25], AbandonedWithinTwentySeconds = v[26], AbandonedWithinThirtySeconds = v[27],
            AbandonedWithinOneMinute = v[28], AbandonedWithinTwoMinutes = v[29], AbandonedWithinFiveMinutes = v[30],
        };
    }

    public static AgentCounters ToAgentCounters(ReadOnlySpan<long> v)
    {
        Check(v, AgentFields);
        return new AgentCounters
        {
            Answered = v[0], RingNoAnswer = v[1], Handled = v[2], TalkMs = v[3], HoldMs = v[4], WrapUpMs = v[5],
            LoginMs = v[6], PauseMs = v[7], OutboundAttempts = v[8], OutboundConnected = v[9], OutboundTalkMs = v[10],
            Contacts = v[11], Conversions = v[12], Complaints = v[13],
        };
    }

    public static CampaignCounters ToCampaignCounters(ReadOnlySpan<long> v)
    {
        Check(v, CampaignFields);
        return new CampaignCounters
        {
            Attempts = v[0], Connected = v[1], NoAnswer = v[2], Busy = v[3], Failed = v[4], TalkMs = v[5],
            Contacts = v[6], Conversions = v[7], RepeatContacts = v[8], RepeatConversions = v[9], Complaints = v[10],
        };
    }

    private static void Check(ReadOnlySpan<long> values, string[] fields)
    {
        if (values.Length != fields.Length)
        {
            throw new ArgumentException($"expected {fields.Length} values ({fields[0]}…), got {values.Length}", nameof(values));
        }
    }
}
