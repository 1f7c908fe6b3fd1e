using BenchmarkDotNet.Attributes;
using Wallboard.Metrics;
using Wallboard.Metrics.Counters;
using Wallboard.Metrics.History;
using Wallboard.Metrics.Names;
using Wallboard.Reports;

namespace Wallboard.Benchmarks;

/// <summary>
/// The monthly report: November 2026 in Shanghai for 50 queues, 5 campaigns and a centre of
/// <see cref="Agents"/> agents (120, a common size, and 500, the heaviest scheduled report) in
/// teams of 15 from the directory, one in six dialling out, from a SQLite store holding every
/// 15-minute point of October and November with the roll-ups of the centre's zone, as the server
/// keeps them (queues and campaigns of October are read for the comparison). One operation is the whole report: queries, roll-ups, charts, the agent table
/// over many pages, and the PDF bytes. The goal is under 5 s.
/// </summary>
[MemoryDiagnoser]
public class ReportBenchmarks
{
    private static readonly DateTimeOffset October = new(2026, 10, 1, 0, 0, 0, TimeSpan.FromHours(8));
    private static readonly DateTimeOffset December = new(2026, 12, 1, 0, 0, 0, TimeSpan.FromHours(8));

    private string _folder = string.Empty;
    private IKpiHistoryStore _store = null!;
    private ReportGenerator _generator = null!;
    private ReportContent _content = null!;

    [Params(120, 500)]
    public int Agents { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _folder = Directory.CreateTempSubdirectory("wallboard-bench-report-").FullName;
        // As the server keeps it: with the hour and local-day roll-ups of the centre's zone.
        _store = HistoryBenchmarkStores.Create("sqlite", _folder, "report", StoredRollups.For([NodaTime.DateTimeZoneProviders.Tzdb["Asia/Shanghai"]]));
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

            for (var a = 0; a < Agents && start >= October.AddMonths(1).ToUnixTimeMilliseconds(); a++)
            {
                var handled = open ? random.Next(0, 5) : 0;
                batch.Add(HistoryPoint.Agent($"agent-{a:D3}", start, a % 6 == 5
                    ? new AgentCounters
                    {
                        OutboundAttempts = handled * 3, OutboundConnected = handled, OutboundTalkMs = handled * 150_000L, LoginMs = open ? 900_000 : 0,
                        PauseMs = open ? random.Next(0, 120_000) : 0, Contacts = handled, Conversions = handled / 3,
                    }
                    : new AgentCounters
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
        var teams = new DirectoryLayer
        {
            Agents = Enumerable.Range(0, Agents).ToDictionary(a => $"agent-{a:D3}", a => new AgentEntry { Name = $"Agent {a:D3}", Team = $"team-{a / 15:D2}" }),
        };
        var names = NameDirectory.Create([teams], []);
        var options = new ReportOptions { Kpi = new KpiOptions { TimeZone = "Asia/Shanghai" }, AgentCallTargetPerDay = 120 };
        _generator = new ReportGenerator(_store, options, TimeProvider.System, () => names);
        var november = ReportRange.For(ReportPeriod.Monthly, new DateOnly(2026, 11, 15), "Asia/Shanghai");
        var data = ReportData.LoadAsync(_store, options, names, november, null, CancellationToken.None).GetAwaiter().GetResult();
        _content = new ReportContent(data, options, ReportText.English, ReportFonts.Load(options), "Monthly report November 2026", "all queues", October, null);
    }

    /// <summary>The drawing alone: the month's data read once in setup, then laid out and written as PDF pages.</summary>
    [Benchmark]
    public int RenderMonthlyReport() => ReportDocument.Render(_content).Length;

    [GlobalCleanup]
    public void Cleanup()
    {
        HistoryBenchmarkStores.DropAsync(_store).GetAwaiter().GetResult();
        Directory.Delete(_folder, recursive: true);
    }

    /// <summary>The store's part alone: November's agent points, read at once.</summary>
    [Benchmark]
    public async Task<int> ReadTheMonthOf500Agents()
    {
        var points = await _store.QueryAsync(HistoryKind.Agents, null, October.AddMonths(1).ToUnixTimeMilliseconds(), December.ToUnixTimeMilliseconds());
        return points.Count;
    }

    [Benchmark]
    public async Task<int> MonthlyReport()
    {
        var report = await _generator.GenerateAsync(new ReportRequest(ReportPeriod.Monthly, new DateOnly(2026, 11, 15), "Asia/Shanghai", null));
        return report.Pdf.Length;
    }
}
