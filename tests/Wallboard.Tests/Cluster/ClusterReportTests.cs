using System.Globalization;
using Hangfire;
using Hangfire.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using Wallboard.Hub.Reports;
using Wallboard.Metrics.History;
using Wallboard.Tests.Reports;

namespace Wallboard.Tests.Cluster;

/// <summary>
/// A scheduled report with two hubs running, Hangfire on the cluster's PostgreSQL and mail through a
/// real SMTP server (aiosmtpd): both hubs register the schedule and run Hangfire servers, the job is
/// started from each, and the report goes out once. Each hub keeps its files in a folder of its own,
/// so only the shared ledger in PostgreSQL can tell the second run that the period went out.
/// </summary>
/// <remarks>
/// In the Hangfire group (Hangfire keeps its storage in process-wide configuration, so hosts with
/// Hangfire run one at a time), with the cluster's servers as a class fixture.
/// </remarks>
[Collection(DeliveryHangfireGroup.Name)]
public sealed class ClusterReportTests(ClusterServersFixture servers) : IClassFixture<ClusterServersFixture>, IAsyncLifetime
{
    private const string Period = "2026-11-27";

    private readonly string _name = ClusterServersFixture.NewClusterName();
    private string _database = string.Empty;

    public async Task InitializeAsync() => _database = await servers.CreateDatabaseAsync();

    public Task DisposeAsync() => servers.DropDatabaseAsync(_database);

    [Fact]
    public async Task AReportStartedOnBothHubsIsProducedAndEmailedOnce()
    {
        await using var smtp = await DeliverySmtpServer.SharedOrStartAsync();
        var recipient = $"manager-{Guid.NewGuid():N}@example.com";
        var time = new FakeTimeProvider(DeliveryHost.Now);
        var settings = new Dictionary<string, string>
        {
            ["Hangfire:QueuePollSeconds"] = "1",
            ["Reports:TimeZone"] = DeliveryHost.Zone,
            ["Reports:Schedules:0:Name"] = DeliveryHost.ReportName,
            ["Reports:Schedules:0:Period"] = "daily",
            ["Reports:Schedules:0:Queues:0"] = "vip",
            ["Reports:Schedules:0:Recipients:0"] = recipient,
            ["Reports:Smtp:Host"] = "127.0.0.1",
            ["Reports:Smtp:Port"] = smtp.Port.ToString(CultureInfo.InvariantCulture),
            ["Reports:Smtp:Tls"] = "none",
            ["Reports:Smtp:From"] = "wallboard@example.com",
        };
        static void CountRenders(Microsoft.AspNetCore.Builder.WebApplicationBuilder builder) =>
            builder.Services.AddSingleton<IReportRenderer>(provider => new CountingRenderer(ActivatorUtilities.CreateInstance<GeneratorReportRenderer>(provider)));
        var hubs = new List<ClusterHub>
        {
            await ClusterHub.StartAsync("a", (_name, servers.Redis, _database), time, settings, CountRenders),
            await ClusterHub.StartAsync("b", (_name, servers.Redis, _database), time, settings, CountRenders),
        };
        var renders = 0;
        try
        {
            // Queue vip on 27 November at 09:00 Shanghai, in the cluster's history (PostgreSQL): offered 4, answered 3, complete to the day's end.
            await hubs[0].Service<IKpiHistoryStore>().WriteAsync(
                [HistoryPoint.Queue("vip", DeliveryHost.NineAm, new() { Offered = 4, Answered = 3, AnsweredWithinSl = 2, Abandoned = 1, ShortAbandoned = 1, AnsweredWaitMs = 30_000, MaxWaitMs = 20_000 })],
                DeliveryHost.PeriodEndMs);

            // Both hubs registered the schedule: one recurring job in the shared storage.
            var storage = hubs[0].Service<JobStorage>();
            using (var connection = storage.GetConnection())
            {
                Assert.Equal(["report:" + DeliveryHost.ReportName], connection.GetRecurringJobs().Select(job => job.Id));
            }

            // "Trigger now" pressed on each hub at once: two runs, taken by whichever hubs' Hangfire servers poll first.
            foreach (var job in hubs.Select(hub => new RecurringJobManager(hub.Service<JobStorage>()).TriggerJob("report:" + DeliveryHost.ReportName)).ToList())
            {
                await DeliveryHost.WaitForStateAsync(storage, job!, DeliveryHost.Succeeded);
            }

            // The hub that produced it keeps the PDF; with it stopped, a run can only be the other hub's,
            // whose disk has no trace of the report: the shared ledger must stop it.
            var producer = Assert.Single(hubs, hub => File.Exists(Path.Combine(hub.DataFolder, "reports", DeliveryHost.ReportName, Period + ".pdf")));
            renders += Renders(producer);
            hubs.Remove(producer);
            await producer.DisposeAsync();
            var last = new RecurringJobManager(hubs[0].Service<JobStorage>()).TriggerJob("report:" + DeliveryHost.ReportName);
            await DeliveryHost.WaitForStateAsync(hubs[0].Service<JobStorage>(), last!, DeliveryHost.Succeeded);
            renders += Renders(hubs[0]);
        }
        finally
        {
            foreach (var hub in hubs)
            {
                await hub.DisposeAsync();
            }
        }

        var message = Assert.Single(smtp.MessagesTo(recipient));
        Assert.Contains(Period, message.Subject, StringComparison.Ordinal);
        Assert.Contains("<td>Offered</td><td align=\"right\">4</td>", message.HtmlBody, StringComparison.Ordinal);
        Assert.Equal(1, renders);
        await using var data = NpgsqlDataSource.Create(_database);
        await using var sent = data.CreateCommand("SELECT report, period, note FROM wallboard.reports_sent");
        await using var rows = await sent.ExecuteReaderAsync();
        Assert.True(await rows.ReadAsync());
        Assert.Equal((DeliveryHost.ReportName, Period, "sent to " + recipient), (rows.GetString(0), rows.GetString(1), rows.GetString(2)));
        Assert.False(await rows.ReadAsync());
    }

    private static int Renders(ClusterHub hub) => ((CountingRenderer)hub.Service<IReportRenderer>()).Renders;
}
