using System.Runtime.InteropServices;

namespace Wallboard.Metrics.Counters;

/// <summary>Additive figures of one outbound or callback campaign in one interval.</summary>
[StructLayout(LayoutKind.Auto)]
public struct CampaignCounters
{
    public long Attempts;
    public long Connected;
    public long NoAnswer;
    public long Busy;
    public long Failed;
    public long TalkMs;

    /// <summary>Dispositions recorded: conversations that reached an outcome.</summary>
    public long Contacts;

    public long Conversions;

    /// <summary>Contacts with a customer this campaign had already reached before (callbacks, 回访).</summary>
    public long RepeatContacts;

    public long RepeatConversions;
    public long Complaints;

    public void Add(in CampaignCounters other)
    {
        Attempts += other.Attempts;
        Connected += other.Connected;
        NoAnswer += other.NoAnswer;
        Busy += other.Busy;
        Failed += other.Failed;
        TalkMs += other.TalkMs;
        Contacts += other.Contacts;
        Conversions += other.Conversions;
        RepeatContacts += other.RepeatContacts;
        RepeatConversions += other.RepeatConversions;
        Complaints += other.Complaints;
    }
}
