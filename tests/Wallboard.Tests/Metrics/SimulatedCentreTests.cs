using Wallboard.Ingest.Cdr;
using Wallboard.Ingest.Json;
using Wallboard.Ingest.Model;
using Wallboard.Ingest.Pipeline;
using Wallboard.Ingest.QueueLog;
using Wallboard.Ingest.Simulation;
using Wallboard.Metrics;
using Wallboard.Metrics.Calendar;
using Wallboard.Metrics.Engine;
using Wallboard.Metrics.Rows;

namespace Wallboard.Tests.Metrics;

/// <summary>Whole simulated days through the files and the core: invariants that must hold for any traffic.</summary>
public sealed class SimulatedCentreTests : IDisposable
{
    private static readonly SimulationOptions Day = new()
    {
        Seed = 7,
        Start = new DateTimeOffset(2026, 11, 23, 0, 0, 0, TimeSpan.FromHours(8)),
        Duration = TimeSpan.FromDays(2),
        TimeZone = "Asia/Shanghai",
    };

    private readonly string _dir = Directory.CreateTempSubdirectory("wallboard-sim-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static KpiOptions Options(IntervalLength interval) => new() { TimeZone = "Asia/Shanghai", Interval = interval };

    private static KpiEngine Direct(IntervalLength interval)
    {
        var engine = new KpiEngine(Options(interval));
        new ContactCentreSimulator(Day).Run(engine);
        engine.FlushOpenSessions(engine.WatermarkMs);
        return engine;
    }

    [Fact]
    public void OfferedIsTheSumOfOutcomesAndQuarterHoursSumToTheTotal()
    {
        var quarters = KpiRows.Queues(Direct(IntervalLength.FifteenMinutes));
        var totals = KpiRows.Queues(Direct(IntervalLength.Total));

        Assert.Equal(3, totals.Count);
        Assert.True(totals.Sum(t => t.Offered) > 3000, "two simulated days should offer thousands of calls");
        QueueInvariants.AssertOfferedIsTheSumOfOutcomes(quarters.Concat(totals));
        foreach (var row in quarters.Concat(totals))
        {
            Assert.True(row.ShortAbandoned <= row.Abandoned);
            Assert.True(row.AnsweredWithinSl <= row.Answered);
            Assert.True(row.Handled <= row.Answered);
        }

        foreach (var total in totals)
        {
            var parts = quarters.Where(q => q.Queue == total.Queue).ToList();
            Assert.Equal(total.Offered, parts.Sum(p => p.Offered));
            Assert.Equal(total.Answered, parts.Sum(p => p.Answered));
            Assert.Equal(total.Abandoned, parts.Sum(p => p.Abandoned));
            Assert.Equal(total.ShortAbandoned, parts.Sum(p => p.ShortAbandoned));
            Assert.Equal(total.AnsweredWithinSl, parts.Sum(p => p.AnsweredWithinSl));
            Assert.Equal(total.AnsweredWithinRings, parts.Sum(p => p.AnsweredWithinRings));
            Assert.Equal(total.Handled, parts.Sum(p => p.Handled));
            Assert.Equal(total.TalkSeconds, parts.Sum(p => p.TalkSeconds), 6);
            Assert.Equal(total.MaxWaitSeconds, parts.Max(p => p.MaxWaitSeconds));
        }

        var agentQuarters = KpiRows.Agents(Direct(IntervalLength.FifteenMinutes));
        foreach (var total in KpiRows.Agents(Direct(IntervalLength.Total)))
        {
            var parts = agentQuarters.Where(a => a.Agent == total.Agent).ToList();
            Assert.Equal(total.LoginSeconds, parts.Sum(p => p.LoginSeconds), 6);
            Assert.Equal(total.PauseSeconds, parts.Sum(p => p.PauseSeconds), 6);
            Assert.Equal(total.Handled, parts.Sum(p => p.Handled));
            Assert.True(total.PauseSeconds <= total.LoginSeconds);
        }
    }

    [Fact]
    public async Task TheWrittenFilesReadBackToTheSameQueueAndAgentFigures()
    {
        var counts = SimulationFiles.Write(new ContactCentreSimulator(Day), _dir);
        Assert.True(counts.QueueLogLines > 0 && counts.CdrRows > 0 && counts.JsonEvents > 0);

        var fromFiles = new KpiEngine(Options(IntervalLength.Hour));
        var reports = new[] { new IngestReport(), new IngestReport(), new IngestReport() };
        var cdrReader = new CdrReader(TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai"), new CdrDirectionRules
        {
            OutboundContexts = new HashSet<string>(["outbound"]),
        });
        await MergedSources.RunAsync(
            [
                sink => new QueueLogReader().ReadFile(Path.Combine(_dir, SimulationFiles.QueueLogName), sink, reports[0]),
                sink => cdrReader.ReadFile(Path.Combine(_dir, SimulationFiles.CdrName), sink, reports[1]),
                sink =>
                {
                    using var stream = File.OpenRead(Path.Combine(_dir, SimulationFiles.EventsName));
                    new JsonEventReader().Read(stream, SimulationFiles.EventsName, sink, reports[2]);
                },
            ],
            fromFiles);
        fromFiles.FlushOpenSessions(fromFiles.WatermarkMs);

        Assert.All(reports, report => Assert.Equal(0, report.Malformed + report.Unknown));
        Assert.Equal(counts.QueueLogLines, reports[0].Events);
        Assert.Equal(counts.CdrRows, reports[1].Events);
        Assert.Equal(counts.JsonEvents, reports[2].Events);

        var direct = Direct(IntervalLength.Hour);
        Assert.Equal(KpiRows.Queues(direct), KpiRows.Queues(fromFiles));
        QueueInvariants.AssertOfferedIsTheSumOfOutcomes(KpiRows.Queues(fromFiles));
        var directAgents = KpiRows.Agents(direct);
        var fileAgents = KpiRows.Agents(fromFiles);
        Assert.Equal(directAgents.Count, fileAgents.Count);
        for (var i = 0; i < directAgents.Count; i++)
        {
            // CDR times are whole seconds, so outbound talk may differ by rounding; everything else is exact.
            Assert.Equal(directAgents[i] with { Occupancy = null }, fileAgents[i] with { Occupancy = null });
        }

        var directCampaigns = KpiRows.Campaigns(Direct(IntervalLength.Total));
        var fileCampaignTotals = KpiRows.Campaigns(fromFiles).GroupBy(c => c.Campaign).ToDictionary(g => g.Key, g => (Attempts: g.Sum(c => c.Attempts), Connected: g.Sum(c => c.Connected), Conversions: g.Sum(c => c.Conversions)));
        foreach (var campaign in directCampaigns)
        {
            Assert.Equal((campaign.Attempts, campaign.Connected, campaign.Conversions), fileCampaignTotals[campaign.Campaign]);
        }
    }
}
