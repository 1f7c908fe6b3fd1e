using BenchmarkDotNet.Attributes;
using Wallboard.Metrics;
using Wallboard.Metrics.Counters;
using Wallboard.Metrics.History;
using Wallboard.Reports;

namespace Wallboard.Benchmarks;

/// <summary>
/// The heaviest scheduled report: November 2026 in Shanghai for 50 queues, 500 agents and 5
/// campaigns, from a SQLite store holding every 15-minute point of October and November
/// (queues and campaigns of October are read for the comparison). One operation is the whole
/// report: queries, roll-ups, charts, a 500-row agent table over many pages, and the PDF bytes.
/// The goal is under 5 s.
/// </summary>
[MemoryDiagnoser]
public class ReportBenchmarks
{
    private static readonly DateTimeOffset October = new(2026, 10, 1, 0, 0, 0, TimeSpan.FromHours(8));
    private static readonly DateTimeOffset December = new(2026, 12, 1, 0, 0, 0, TimeSpan.FromHours(8));

    private string _folder = string.Empty;
    private IKpiHistoryStore _store = null!;
    private ReportGenerator _generator = null!;

    [GlobalSetup]
    public void Setup()
    {
        _folder = Directory.CreateTempSubdirectory("wallboard-bench-report-").FullName;
        _store = HistoryBenchmarkStores.Create("sqlite", _folder, "report");
        var random = new Random(1);
        var batch = new List<HistoryPoint>(50_000);
        var end = December.ToUnixTimeMilliseconds();
        for (var start = October.ToUnixTimeMilliseconds(); start < end; start += HistoryPoint.IntervalMs)
        {
            // Calls come in working hours (08:00–20:00 local); agents are logged in then.
            var hour = DateTimeOffset.FromUnixTimeMilliseconds(start).ToOffset(TimeSpan.FromHours(8)).Hour;
            var open = hour is >= 8 and < 20;
            for (var q = 0; q < 50; q++)
            {
                var offered = open ? random.Next(5, 40) : random.Next(0, 3);
                var answered = offered * 9 / 10;
                batch.Add(HistoryPoint.Queue($"queue-{q:D2}", start, new QueueCounters
                {
                    Offered = offered, Answered = answered, Abandoned = offered - answered, AnsweredWithinSl = answered * random.Next(70, 100) / 100,
                    AnsweredWithinRings = answered * 8 / 10, RingKnown = answered, AnsweredWaitMs = answered * 12_000L, Handled = answered,
                    TalkMs = answered * 170_000L, WrapUpMs = answered * 20_000L, MaxWaitMs = random.Next(0, 120_000),
                }));
            }

            for (var a = 0; a < 500 && start >= October.AddMonths(1).ToUnixTimeMilliseconds(); a++)
            {
                var handled = open ? random.Next(0, 5) : 0;
                batch.Add(HistoryPoint.Agent($"agent-{a:D3}", start, new AgentCounters
                {
                    Answered = handled, Handled = handled, TalkMs = handled * 150_000L, WrapUpMs = handled * 20_000L, LoginMs = open ? 900_000 : 0,
                    PauseMs = open ? random.Next(0, 120_000) : 0, Contacts = handled, Conversions = handled / 3,
                }));
            }

            for (var c = 0; c < 5; c++)
            {
                var attempts = open ? random.Next(10, 60) : 0;
                batch.Add(HistoryPoint.Campaign($"campaign-{c}", start, new CampaignCounters
                {
                    Attempts = attempts, Connected = attempts / 3, Contacts = attempts / 3, Conversions = attempts / 12,
                }));
            }

            if (batch.Count >= 40_000)
            {
                _store.WriteAsync(batch, null).GetAwaiter().GetResult();
                batch.Clear();
            }
        }

        _store.WriteAsync(batch, end).GetAwaiter().GetResult();
        _generator = new ReportGenerator(_store, new ReportOptions { Kpi = new KpiOptions { TimeZone = "Asia/Shanghai" }, AgentCallTargetPerDay = 120 }, TimeProvider.System);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        HistoryBenchmarkStores.DropAsync(_store).GetAwaiter().GetResult();
        Directory.Delete(_folder, recursive: true);
    }

    /// <summary>The store's part alone: November's agent points, as the report reads them.</summary>
    [Benchmark]
    public async Task<int> ReadTheMonthOf500Agents()
    {
        var points = await _store.QueryAsync(HistoryKind.Agents, null, October.AddMonths(1).ToUnixTimeMilliseconds(), December.ToUnixTimeMilliseconds());
        return points.Count;
    }

    [Benchmark]
    public async Task<int> MonthlyReportFor50QueuesAnd500Agents()
    {
        var report = await _generator.GenerateAsync(new ReportRequest(ReportPeriod.Monthly, new DateOnly(2026, 11, 15), "Asia/Shanghai", null));
        return report.Pdf.Length;
    }
}
