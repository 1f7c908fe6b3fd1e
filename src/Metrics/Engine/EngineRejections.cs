using System.Runtime.InteropServices;

namespace Wallboard.Metrics.Engine;

/// <summary>Events an engine refused, by reason. None of them was applied or moved the watermark.</summary>
[StructLayout(LayoutKind.Auto)]
public struct EngineRejections
{
    /// <summary>A time the calendar cannot place (before 1970 or from 9000 on).</summary>
    public long OutOfCalendar;

    /// <summary>A queue, agent or campaign name longer than <see cref="EntityLimits.MaxNameLength"/>.</summary>
    public long NameTooLong;

    /// <summary>A new queue when <see cref="EntityLimits.MaxQueues"/> are known.</summary>
    public long TooManyQueues;

    /// <summary>A new agent when <see cref="EntityLimits.MaxAgents"/> are known.</summary>
    public long TooManyAgents;

    /// <summary>A new campaign when <see cref="EntityLimits.MaxCampaigns"/> are known.</summary>
    public long TooManyCampaigns;

    public readonly long Total => OutOfCalendar + NameTooLong + TooManyQueues + TooManyAgents + TooManyCampaigns;
}
