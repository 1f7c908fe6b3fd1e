using System.Net;
using MimeKit;

namespace Wallboard.Tests.Reports;

/// <summary>Hangfire keeps its storage in process-wide configuration: hosts with Hangfire run one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class DeliveryHangfireGroup
{
    public const string Name = "Report delivery (Hangfire)";
}

/// <summary>
/// Scheduled reports end to end in the real host: the recurring Hangfire job on SQLite storage,
/// history in SQLite, mail through a real SMTP server (aiosmtpd) read back from its Maildir.
/// The clock stands at 2026-11-28 07:00 Shanghai, so the due report covers 27 November.
/// </summary>
[Collection(DeliveryHangfireGroup.Name)]
public sealed class DeliveryTests
{
    private const string Period = "2026-11-27";

    [Fact]
    public async Task DueReportIsKeptAndSentOnceWithThePdfAttached()
    {
        await using var smtp = await DeliverySmtpServer.SharedOrStartAsync();
        await using var host = await DeliveryHost.StartAsync(smtp.Port);
        await host.WriteHistoryAsync(DeliveryHost.PeriodEndMs);

        var job = host.TriggerReport();
        await host.WaitForStateAsync(job, DeliveryHost.Succeeded);

        var message = Assert.Single(smtp.MessagesTo(host.Recipient));
        Assert.Equal([host.Recipient], message.To.Mailboxes.Select(box => box.Address));
        Assert.Equal("wallboard@example.com", message.From.Mailboxes.Single().Address);
        Assert.Contains(DeliveryHost.ReportName, message.Subject, StringComparison.Ordinal);
        Assert.Contains(Period, message.Subject, StringComparison.Ordinal);
        // The headline against the previous day (no calls then): offered 4, answered 3, SL 2 of 4 offered less the short abandon.
        Assert.Contains("<td>Offered</td><td align=\"right\">4</td><td align=\"right\">—</td>", message.HtmlBody, StringComparison.Ordinal);
        Assert.Contains("<td>Answered</td><td align=\"right\">3</td>", message.HtmlBody, StringComparison.Ordinal);
        // Service level 2 / 3 against 80 %: below the target, which for service level is worse; the same weekday a week before has no calls.
        Assert.Contains(
            "<tr><td>Service level</td><td align=\"right\">66.7%</td><td align=\"right\">—</td><td align=\"right\">—</td><td style=\"color:#C0392B\">80.0% &#183; below target (worse)</td></tr>",
            message.HtmlBody,
            StringComparison.Ordinal);
        Assert.Contains("<p><b>Fri 27 Nov 2026: 4 calls offered, 3 answered; service level 66.7% against a target of 80.0%, below target (worse);", message.HtmlBody, StringComparison.Ordinal);

        var kept = await File.ReadAllBytesAsync(Path.Combine(host.ReportsFolder, DeliveryHost.ReportName, Period + ".pdf"));
        var attached = Attachment(message);
        Assert.Equal("wallboard-daily-2026-11-27-en.pdf", attached.FileName);
        Assert.Equal("%PDF"u8.ToArray(), attached.Bytes[..4]);
        Assert.Equal(kept, attached.Bytes);
        Assert.Equal(Period, host.JobParameter(job, "ReportPeriod")?.Trim('"'));

        // Run again (a retry, or an admin pressing "Trigger now"): the period was sent, nothing goes out twice.
        var again = host.TriggerReport();
        await host.WaitForStateAsync(again, DeliveryHost.Succeeded);
        Assert.Single(smtp.MessagesTo(host.Recipient));
        Assert.Equal(1, host.Renderer.Renders);
    }

    [Fact]
    public async Task FailedSendIsRetriedByHangfireAndTheRetrySendsTheKeptPdf()
    {
        // Nothing listens on this port until the SMTP server is started below.
        var port = DeliverySmtpServer.FreePort();
        await using var host = await DeliveryHost.StartAsync(port);
        await host.HistoryWrittenUpToAsync(DeliveryHost.PeriodEndMs);

        var job = host.TriggerReport();
        var retry = await host.WaitForStateAsync(job, DeliveryHost.Scheduled);
        Assert.Contains("Retry attempt 1", retry.Reason, StringComparison.Ordinal);
        Assert.Equal("1", host.JobParameter(job, "RetryCount"));
        var keptPath = Path.Combine(host.ReportsFolder, DeliveryHost.ReportName, Period + ".pdf");
        var kept = await File.ReadAllBytesAsync(keptPath);
        Assert.False(File.Exists(Path.ChangeExtension(keptPath, ".sent")));

        await using var smtp = await DeliverySmtpServer.StartAsync(port);
        host.RetryNow(job);
        await host.WaitForStateAsync(job, DeliveryHost.Succeeded);

        var message = Assert.Single(smtp.MessagesTo(host.Recipient));
        Assert.Equal(kept, Attachment(message).Bytes);
        Assert.Equal(1, host.Renderer.Renders);
        Assert.True(File.Exists(Path.ChangeExtension(keptPath, ".sent")));
    }

    /// <summary>Also the test that runs Microsoft.Data.Sqlite (history) and Hangfire.Storage.SQLite (jobs) in one process.</summary>
    [Fact]
    public async Task ReportWaitsWhileHistoryIsBehindAndIsSentForTheSamePeriodOnceItCatchesUp()
    {
        await using var smtp = await DeliverySmtpServer.SharedOrStartAsync();
        await using var host = await DeliveryHost.StartAsync(smtp.Port);
        var behind = DeliveryHost.PeriodEndMs - TimeSpan.FromHours(2).Ticks / TimeSpan.TicksPerMillisecond;
        await host.HistoryWrittenUpToAsync(behind);

        var job = host.TriggerReport();
        var retry = await host.WaitForStateAsync(job, DeliveryHost.Scheduled);
        Assert.True(retry.Reason.Contains("history is behind: written up to 2026-11-27 22:00", StringComparison.Ordinal), retry.Reason + " / " + string.Join(", ", retry.Data));
        Assert.Empty(smtp.MessagesTo(host.Recipient));
        Assert.False(Directory.Exists(Path.Combine(host.ReportsFolder, DeliveryHost.ReportName)) &&
            Directory.EnumerateFiles(Path.Combine(host.ReportsFolder, DeliveryHost.ReportName)).Any());

        // The store catches up a day later: the retry still reports 27 November, not the new "yesterday".
        host.Time.Advance(TimeSpan.FromDays(1));
        await host.HistoryWrittenUpToAsync(DeliveryHost.PeriodEndMs + TimeSpan.FromMinutes(15).Ticks / TimeSpan.TicksPerMillisecond);
        host.RetryNow(job);
        await host.WaitForStateAsync(job, DeliveryHost.Succeeded);

        var message = Assert.Single(smtp.MessagesTo(host.Recipient));
        Assert.Contains(Period, message.Subject, StringComparison.Ordinal);
        Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(host.ReportsFolder, DeliveryHost.ReportName, Period + ".pdf")), Attachment(message).Bytes);
    }

    [Fact]
    public async Task OnDemandReportIsAPdfAndABadDateIsA400NamingDate()
    {
        await using var host = await DeliveryHost.StartAsync(DeliverySmtpServer.FreePort());
        await host.HistoryWrittenUpToAsync(DeliveryHost.PeriodEndMs);
        using var http = host.Http();

        using var response = await http.GetAsync(new Uri("api/reports/daily?date=2026-11-27&queues=vip&lang=en&tz=Asia/Shanghai", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/pdf", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("wallboard-daily-2026-11-27-en.pdf", response.Content.Headers.ContentDisposition?.FileNameStar ?? response.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        Assert.Equal("%PDF"u8.ToArray(), (await response.Content.ReadAsByteArrayAsync())[..4]);
        Assert.Equal("true", response.Headers.GetValues("X-Report-Complete").Single());

        // History is written up to the end of the 27th: the 28th comes back, marked incomplete.
        using var later = await http.GetAsync(new Uri("api/reports/daily?date=2026-11-28&lang=zh-CN", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, later.StatusCode);
        Assert.Equal("false", later.Headers.GetValues("X-Report-Complete").Single());
        Assert.Equal("wallboard-daily-2026-11-28-zh-CN.pdf", later.Content.Headers.ContentDisposition?.FileNameStar);

        // Any day of the week asks for its ISO week: Thursday 26 November is in the week of Monday the 23rd.
        using var weekly = await http.GetAsync(new Uri("api/reports/weekly?date=2026-11-26", UriKind.Relative));
        Assert.Equal("wallboard-weekly-2026-W48-en.pdf", weekly.Content.Headers.ContentDisposition?.FileNameStar);

        foreach (var (query, parameter) in new[]
        {
            ("daily?date=27.11.2026", "date"),
            ("daily?date=2026-02-30", "date"),
            ("daily?tz=Mars/Olympus", "tz"),
            ("daily?lang=fr", "lang"),
            ("hourly", "period"),
        })
        {
            using var bad = await http.GetAsync(new Uri("api/reports/" + query, UriKind.Relative));
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            Assert.StartsWith(parameter + ":", System.Text.Json.JsonDocument.Parse(await bad.Content.ReadAsStringAsync()).RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task ReportsNeedASupervisorOrAnalystKeyAndTheDashboardAnAdminKey()
    {
        const string Viewer = "viewer-key-0123456789", Supervisor = "supervisor-key-0123456789", Analyst = "analyst-key-0123456789", Admin = "admin-key-0123456789";
        await using var host = await DeliveryHost.StartAsync(DeliverySmtpServer.FreePort(), new Dictionary<string, string>
        {
            ["Access:Viewer:0"] = Viewer,
            ["Access:Supervisor:0"] = Supervisor,
            ["Access:Analyst:0"] = Analyst,
            ["Access:Admin:0"] = Admin,
        });
        var report = new Uri("api/reports/daily?date=2026-11-27", UriKind.Relative);
        var dashboard = new Uri("hangfire", UriKind.Relative);

        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(host, null, report));
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(host, Viewer, report));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(host, Supervisor, report));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(host, Analyst, report));

        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(host, null, dashboard));
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(host, Supervisor, dashboard));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(host, Admin, dashboard));
    }

    [Fact]
    public async Task AnAdminOpensTheDashboardOnceWithTheKeyAndItsOwnRequestsCarryItInACookie()
    {
        const string Admin = "admin-key-0123456789", Viewer = "viewer-key-0123456789";
        await using var host = await DeliveryHost.StartAsync(DeliverySmtpServer.FreePort(), new Dictionary<string, string>
        {
            ["Access:Admin:0"] = Admin,
            ["Access:Viewer:0"] = Viewer,
        });
        using var browser = new HttpClient(new HttpClientHandler { UseCookies = true, CookieContainer = new System.Net.CookieContainer() }) { BaseAddress = host.BaseAddress };

        using var first = await browser.GetAsync(new Uri("hangfire?access_token=" + Admin, UriKind.Relative));
        var cookie = Assert.Single(first.Headers.GetValues("Set-Cookie"));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("path=/hangfire", cookie, StringComparison.OrdinalIgnoreCase);

        // The dashboard's own follow-up requests carry no key, only the cookie.
        using var followUp = await browser.GetAsync(new Uri("hangfire/jobs/enqueued", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, followUp.StatusCode);

        // The cookie is scoped to the dashboard: it opens nothing else.
        using var elsewhere = new HttpRequestMessage(HttpMethod.Get, new Uri("api/live/queues", UriKind.Relative));
        elsewhere.Headers.Add("Cookie", cookie.Split(';')[0]);
        using var refused = await browser.SendAsync(elsewhere);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);

        // A viewer key in the query sets no cookie.
        using var viewer = await new HttpClient { BaseAddress = host.BaseAddress }.GetAsync(new Uri("hangfire?access_token=" + Viewer, UriKind.Relative));
        Assert.Equal(HttpStatusCode.Forbidden, viewer.StatusCode);
        Assert.False(viewer.Headers.Contains("Set-Cookie"));
    }

    /// <summary>
    /// Behind a proxy that ends https the cookie was not Secure, so a browser sent it over plain
    /// http too; and it carried the admin key itself. Now it is Secure there and holds a session
    /// reference that opens the dashboard only.
    /// </summary>
    [Fact]
    public async Task BehindAnHttpsProxyTheDashboardCookieIsSecureAndCarriesASessionNotTheKey()
    {
        const string Admin = "admin-key-0123456789";
        await using var host = await DeliveryHost.StartAsync(DeliverySmtpServer.FreePort(), new Dictionary<string, string> { ["Access:Admin:0"] = Admin });
        using var http = new HttpClient { BaseAddress = host.BaseAddress };

        using var open = new HttpRequestMessage(HttpMethod.Get, new Uri("hangfire?access_token=" + Admin, UriKind.Relative));
        open.Headers.Add("X-Forwarded-Proto", "https");
        using var first = await http.SendAsync(open);
        var cookie = Assert.Single(first.Headers.GetValues("Set-Cookie"));
        var pair = cookie.Split(';')[0];
        var value = Uri.UnescapeDataString(pair[(pair.IndexOf('=', StringComparison.Ordinal) + 1)..]);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Contains("; secure", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Admin, value, StringComparison.Ordinal);
        Assert.True(value.Length >= 40, value); // 256 random bits

        // The session opens the dashboard; as an API key it opens nothing.
        using var withCookie = new HttpRequestMessage(HttpMethod.Get, new Uri("hangfire/jobs/enqueued", UriKind.Relative));
        withCookie.Headers.Add("Cookie", pair);
        using var followUp = await http.SendAsync(withCookie);
        using var asKey = new HttpRequestMessage(HttpMethod.Get, new Uri("hangfire", UriKind.Relative));
        asKey.Headers.Add("X-Api-Key", value);
        using var refused = await http.SendAsync(asKey);

        Assert.Equal(HttpStatusCode.OK, followUp.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);

        // Over plain http without a proxy's word the cookie is not marked Secure (it would never come back).
        using var plain = await http.GetAsync(new Uri("hangfire?access_token=" + Admin, UriKind.Relative));
        Assert.DoesNotContain("secure", Assert.Single(plain.Headers.GetValues("Set-Cookie")), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task ABadScheduleStopsTheStartNamingTheKey()
    {
        var error = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() => DeliveryHost.StartAsync(
            DeliverySmtpServer.FreePort(),
            new Dictionary<string, string> { ["Reports:Schedules:0:Period"] = "hourly", ["Reports:Smtp:Tls"] = "tls" }));

        Assert.Contains("Reports:Schedules:0:Period must be daily, weekly or monthly, got 'hourly'", error.Failures);
        Assert.Contains("Reports:Smtp:Tls must be none, starttls or ssl, got 'tls'", error.Failures);
    }

    private static async Task<HttpStatusCode> StatusAsync(DeliveryHost host, string? key, Uri path)
    {
        using var http = host.Http(key);
        using var response = await http.GetAsync(path);
        return response.StatusCode;
    }

    private static (string? FileName, byte[] Bytes) Attachment(MimeMessage message)
    {
        var part = Assert.Single(message.Attachments.OfType<MimePart>());
        Assert.Equal("application/pdf", part.ContentType.MimeType);
        using var bytes = new MemoryStream();
        part.Content!.DecodeTo(bytes);
        return (part.FileName, bytes.ToArray());
    }
}
