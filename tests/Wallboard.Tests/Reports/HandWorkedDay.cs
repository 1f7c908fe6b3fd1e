using Wallboard.Hub.History;
using Wallboard.Metrics.Counters;
using Wallboard.Metrics.History;

namespace Wallboard.Tests.Reports;

/// <summary>
/// A hand-worked day in Shanghai, Friday 27 November 2026, and the day before, with counters
/// chosen so that every figure in the report is a round number worked out here.
/// </summary>
/// <remarks>
/// 27 Nov (service-level target 80 %, threshold 20 s, formula "offered", 3 rings):
/// <list type="bullet">
/// <item>sales 09:00: offered 100, answered 90, abandoned 10, 72 within SL (72.0 %: missed), 81 of 90 within 3 rings, wait 900 s, handle 90 × 200 s.</item>
/// <item>sales 10:00: offered 100, answered 100, 95 within SL (95.0 %: met), 95 of 100 within rings, wait 500 s, handle 100 × 120 s.</item>
/// <item>support 14:00: offered 200, answered 190, abandoned 10, 153 within SL (76.5 %: missed), 166 of 190 within rings, wait 2,400 s, handle 38,400 s.</item>
/// </list>
/// Totals: offered 400, answered 380, SL (72+95+153)/400 = 80.0 %, ring rate (81+95+166)/380 = 90.0 %,
/// ASA (900+500+2,400)/380 = 10 s (0:10), AHT (18,000+12,000+38,400)/380 = 180 s (3:00),
/// abandon rate 20/400 = 5.0 %. Queue rows: sales offered 200, SL 83.5 %; support offered 200, SL 76.5 %.
/// <para>26 Nov: sales 09:00 offered 320, answered 296, abandoned 24, 240 within SL (75.0 %), 238 of 280
/// within rings (85.0 %), wait 296 × 15 s, handle 296 × 200 s. Changes: offered +25.0 %, SL +5.0 pts,
/// ring rate +5.0 pts, ASA −0:05, AHT −0:20, abandon rate 7.5 % → 5.0 %: −2.5 pts.</para>
/// <para>Agents on 27 Nov (call target 120 a day): alice handled 100, talk 13,200 s + wrap-up 3,000 s
/// → AHT 162 s (2:42); login 7:30, pause 1:15, busy 16,200 + 1,800 outbound s = 18,000 s of 22,500 s
/// available → occupancy 80.0 %; 20 outbound connected → (100+20)/120 = 100.0 %; 12 conversions.
/// bob handled 80 × 200 s (3:20), login 6:00, pause 0:00, busy 16,000 + 1,280 = 17,280 s of 21,600 s → 80.0 %;
/// 10 outbound connected → 90/120 = 75.0 %; 6 conversions.</para>
/// <para>Campaign winback on 27 Nov: 200 attempts, 50 connected (25.0 %), 50 contacts, 10 conversions
/// (20.0 %); on 26 Nov 100 attempts, 30 contacts, 3 conversions (10.0 %): conversion +10.0 pts. Of the
/// 50 contacts 20 were callbacks (回访), 6 of them converted (30.0 %); first contacts 4 of 30 (13.3 %).</para>
/// <para>Wait bands (sales only; support's point is as if stored before bands were counted, so the
/// distribution holds sales' 190 answered and 10 abandoned of the day's 400): answered ≤10 s 50 + 80 = 130
/// (68.4 %), 10–20 s 22 + 15 = 37 (19.5 %, cumulative 87.9 %), 20–30 s 8 + 3 = 11 (5.8 %, 93.7 %), 30–60 s
/// 6 + 2 = 8 (4.2 %, 97.9 %), 1–2 min 3 (1.6 %, 99.5 %), 2–5 min 1 (0.5 %, 100.0 %), over 5 min 0; abandoned
/// 1, 2, 2, 3, 1, 1, 0 of 10 (10.0 %, 20.0 %, 20.0 %, 30.0 %, 10.0 %, 10.0 %, 0.0 %).</para>
/// <para>The hours below target, by calls not answered within 20 s: 14:00 (200 offered, 153 in time: 47 —
/// 37 answered late and 10 abandoned) comes before 09:00 (100 offered, 72 in time: 28 — 18 late, 10
/// abandoned), although 09:00's service level (72.0 %) is the lower one.</para>
/// <para>26 Nov has calls at 09:00 only, while 27 Nov runs to 15:00: the day compared with is partial.</para>
/// </remarks>
internal static class HandWorkedDay
{
    public const string Zone = "Asia/Shanghai";

    public static readonly DateOnly Day = new(2026, 11, 27);

    /// <summary>09:00 on 27 Nov 2026 in Shanghai (01:00Z).</summary>
    public const long NineAm = 1795741200_000;

    private const long Hour = 3_600_000;
    private const long DayMs = 24 * Hour;

    /// <summary>Local midnight ending 27 Nov.</summary>
    public const long EndOfDay = NineAm + (15 * Hour);

    public static IReadOnlyList<HistoryPoint> Points() =>
    [
        HistoryPoint.Queue("sales", NineAm, new QueueCounters
        {
            Offered = 100, Answered = 90, Abandoned = 10, AnsweredWithinSl = 72, AbandonedWithinSl = 3, AnsweredWithinRings = 81, RingKnown = 90,
            AnsweredWaitMs = 900_000, Handled = 90, TalkMs = 13_500_000, HoldMs = 1_800_000, WrapUpMs = 2_700_000,
            AnsweredWithinTenSeconds = 50, AnsweredWithinTwentySeconds = 72, AnsweredWithinThirtySeconds = 80,
            AnsweredWithinOneMinute = 86, AnsweredWithinTwoMinutes = 89, AnsweredWithinFiveMinutes = 90,
            AbandonedWithinTenSeconds = 1, AbandonedWithinTwentySeconds = 3, AbandonedWithinThirtySeconds = 5,
            AbandonedWithinOneMinute = 8, AbandonedWithinTwoMinutes = 9, AbandonedWithinFiveMinutes = 10,
        }),
        HistoryPoint.Queue("sales", NineAm + Hour, new QueueCounters
        {
            Offered = 100, Answered = 100, AnsweredWithinSl = 95, AnsweredWithinRings = 95, RingKnown = 100,
            AnsweredWaitMs = 500_000, Handled = 100, TalkMs = 10_000_000, WrapUpMs = 2_000_000,
            AnsweredWithinTenSeconds = 80, AnsweredWithinTwentySeconds = 95, AnsweredWithinThirtySeconds = 98,
            AnsweredWithinOneMinute = 100, AnsweredWithinTwoMinutes = 100, AnsweredWithinFiveMinutes = 100,
        }),
        HistoryPoint.Queue("support", NineAm + (5 * Hour), new QueueCounters
        {
            Offered = 200, Answered = 190, Abandoned = 10, AnsweredWithinSl = 153, AnsweredWithinRings = 166, RingKnown = 190,
            AnsweredWaitMs = 2_400_000, Handled = 190, TalkMs = 30_000_000, HoldMs = 2_400_000, WrapUpMs = 6_000_000,
        }),
        HistoryPoint.Queue("sales", NineAm - DayMs, new QueueCounters
        {
            Offered = 320, Answered = 296, Abandoned = 24, AnsweredWithinSl = 240, AnsweredWithinRings = 238, RingKnown = 280,
            AnsweredWaitMs = 296 * 15_000, Handled = 296, TalkMs = 296 * 200_000,
        }),
        HistoryPoint.Agent("alice", NineAm, new AgentCounters
        {
            Answered = 100, Handled = 100, TalkMs = 13_200_000, WrapUpMs = 3_000_000, LoginMs = 27_000_000, PauseMs = 4_500_000,
            OutboundAttempts = 40, OutboundConnected = 20, OutboundTalkMs = 1_800_000, Contacts = 100, Conversions = 12,
        }),
        HistoryPoint.Agent("bob", NineAm, new AgentCounters
        {
            Answered = 80, Handled = 80, TalkMs = 16_000_000, LoginMs = 21_600_000,
            OutboundAttempts = 30, OutboundConnected = 10, OutboundTalkMs = 1_280_000, Contacts = 80, Conversions = 6,
        }),
        HistoryPoint.Campaign("winback", NineAm, new CampaignCounters { Attempts = 200, Connected = 50, Contacts = 50, Conversions = 10, RepeatContacts = 20, RepeatConversions = 6 }),
        HistoryPoint.Campaign("winback", NineAm - DayMs, new CampaignCounters { Attempts = 100, Connected = 30, Contacts = 30, Conversions = 3 }),
    ];

    /// <summary>A SQLite store holding the day, written up to <paramref name="writtenUpToMs"/> (default: the end of 27 Nov).</summary>
    public static async Task<SqliteHistoryStore> StoreAsync(string folder, long? writtenUpToMs = EndOfDay, IEnumerable<HistoryPoint>? more = null)
    {
        var store = new SqliteHistoryStore(Path.Combine(folder, "history.db"));
        await store.WriteAsync([.. Points(), .. more ?? []], writtenUpToMs);
        return store;
    }
}
