using Wallboard.Metrics.Counters;

namespace Wallboard.Metrics.Rows;

/// <summary>One agent in one interval.</summary>
public sealed record AgentKpiRow
{
    public required string Agent { get; init; }

    /// <summary>The agent's display name from the directory; the id when it has none.</summary>
    public string AgentName { get; init; } = string.Empty;
    public required DateTimeOffset? IntervalStart { get; init; }
    public long Answered { get; init; }
    public long RingNoAnswer { get; init; }
    public long Handled { get; init; }
    public double TalkSeconds { get; init; }
    public double? AhtSeconds { get; init; }
    public double LoginSeconds { get; init; }
    public double PauseSeconds { get; init; }
    public double HoldSeconds { get; init; }
    public double WrapUpSeconds { get; init; }

    /// <summary>Busy time (talk, hold, wrap-up, outbound talk) over available time (login − pause).</summary>
    public double? Occupancy { get; init; }

    public long OutboundAttempts { get; init; }
    public long OutboundConnected { get; init; }
    public long Contacts { get; init; }
    public long Conversions { get; init; }
    public double? ConversionRate { get; init; }
    public long Complaints { get; init; }

    /// <summary>(handled + outbound connected − complaints) / call target; null without a target.</summary>
    public double? CallTargetAttainment { get; init; }

    /// <remarks>The display name; the id when null.</remarks>
    public static AgentKpiRow From(string agent, DateTimeOffset? intervalStart, in AgentCounters c, int callTarget, string? name = null)
    {
        var busyMs = c.TalkMs + c.HoldMs + c.WrapUpMs + c.OutboundTalkMs;
        return new AgentKpiRow
        {
            Agent = agent,
            AgentName = name ?? agent,
            IntervalStart = intervalStart,
            Answered = c.Answered,
            RingNoAnswer = c.RingNoAnswer,
            Handled = c.Handled,
            TalkSeconds = KpiMath.Seconds(c.TalkMs),
            AhtSeconds = KpiMath.AverageSeconds(c.TalkMs + c.HoldMs + c.WrapUpMs, c.Handled),
            LoginSeconds = KpiMath.Seconds(c.LoginMs),
            PauseSeconds = KpiMath.Seconds(c.PauseMs),
            HoldSeconds = KpiMath.Seconds(c.HoldMs),
            WrapUpSeconds = KpiMath.Seconds(c.WrapUpMs),
            Occupancy = KpiMath.Ratio(busyMs, c.LoginMs - c.PauseMs),
            OutboundAttempts = c.OutboundAttempts,
            OutboundConnected = c.OutboundConnected,
            Contacts = c.Contacts,
            Conversions = c.Conversions,
            ConversionRate = KpiMath.Ratio(c.Conversions, c.Contacts),
            Complaints = c.Complaints,
            CallTargetAttainment = KpiMath.Ratio(c.Handled + c.OutboundConnected - c.Complaints, callTarget),
        };
    }
}
