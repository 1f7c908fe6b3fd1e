using Wallboard.Hub.Reports;

namespace Wallboard.Tests.Reports;

/// <summary>Start-up validation of <c>Reports</c> and <c>Hangfire</c>, default schedules and report periods.</summary>
public sealed class DeliveryOptionsTests
{
    [Fact]
    public void EveryBadKeyIsNamed()
    {
        var options = new ReportsOptions
        {
            TimeZone = "Asia/Shangai",
            QueueGroups = new(StringComparer.Ordinal) { ["inbound"] = ["sales", "vip"] },
            Schedules =
            [
                new ScheduledReportOptions { Name = "floor daily", Period = "hourly", Cron = "7 *", TimeZone = "Nowhere/City", Group = "outbound", Language = "fr", Recipients = ["not-an-address"] },
                new ScheduledReportOptions { Name = "ok", Recipients = [] },
            ],
            Smtp = new SmtpOptions { Host = "", Port = 0, Tls = "tls", Password = "secret", From = null },
        };

        var failures = new ReportsOptionsValidator().Validate(null, options).Failures!.ToList();

        foreach (var key in new[]
        {
            "Reports:TimeZone", "Reports:Schedules:0:Name", "Reports:Schedules:0:Period", "Reports:Schedules:0:Cron",
            "Reports:Schedules:0:TimeZone", "Reports:Schedules:0:Group", "Reports:Schedules:0:Language",
            "Reports:Schedules:0:Recipients:0", "Reports:Schedules:1:Recipients", "Reports:Smtp:Host", "Reports:Smtp:Port",
            "Reports:Smtp:Tls", "Reports:Smtp:Password", "Reports:Smtp:From",
        })
        {
            Assert.True(failures.Exists(failure => failure.StartsWith(key + " ", StringComparison.Ordinal)), $"no message names {key}: {string.Join(" | ", failures)}");
        }

        Assert.DoesNotContain(failures, failure => failure.Contains("secret", StringComparison.Ordinal));
    }

    [Fact]
    public void HangfireStorageIsSqliteOrPostgreSqlWithAConnectionString()
    {
        var validator = new HangfireOptionsValidator();
        Assert.True(validator.Validate(null, new HangfireOptions()).Succeeded);
        Assert.StartsWith("Hangfire:ConnectionString", Assert.Single(validator.Validate(null, new HangfireOptions { Storage = "postgresql" }).Failures!), StringComparison.Ordinal);
        Assert.StartsWith("Hangfire:Storage", Assert.Single(validator.Validate(null, new HangfireOptions { Storage = "redis" }).Failures!), StringComparison.Ordinal);
    }

    [Fact]
    public void SchedulesDefaultToSevenDailyHalfPastSevenOnMondaysAndEightOnTheFirstInTheReportsZone()
    {
        var reports = new ReportsOptions
        {
            TimeZone = "Asia/Shanghai",
            QueueGroups = new(StringComparer.Ordinal) { ["inbound"] = ["sales", "vip"] },
        };

        var daily = ReportSchedule.Resolve(new ScheduledReportOptions { Name = "d", Period = "daily" }, reports);
        var weekly = ReportSchedule.Resolve(new ScheduledReportOptions { Name = "w", Period = "Weekly", TimeZone = "Europe/Berlin", Group = "inbound" }, reports);
        var monthly = ReportSchedule.Resolve(new ScheduledReportOptions { Name = "m", Period = "monthly", Cron = "0 9 2 * *" }, reports);

        Assert.Equal(("0 7 * * *", "Asia/Shanghai", (IReadOnlyList<string>?)null), (daily.Cron, daily.TimeZone, daily.Queues));
        Assert.Equal(("30 7 * * 1", "Europe/Berlin", ReportKind.Weekly), (weekly.Cron, weekly.TimeZone, weekly.Kind));
        Assert.Equal(["sales", "vip"], weekly.Queues);
        Assert.Equal("0 9 2 * *", monthly.Cron);
        Assert.Equal("0 8 1 * *", ReportSchedule.DefaultCron(ReportKind.Monthly));
        Assert.Equal("report:d", daily.JobId);
    }

    [Theory]
    [InlineData("daily", "2026-11-27T23:00:00Z", "Asia/Shanghai", "2026-11-27", "2026-11-27")] // 07:00 on the 28th in Shanghai
    [InlineData("daily", "2026-11-27T15:59:00Z", "Asia/Shanghai", "2026-11-26", "2026-11-26")] // still the 27th in Shanghai
    [InlineData("weekly", "2026-11-29T23:30:00Z", "Asia/Shanghai", "2026-11-23", "2026-W48")] // Monday 30 Nov 07:30
    [InlineData("weekly", "2026-11-29T23:30:00Z", "UTC", "2026-11-16", "2026-W47")] // still Sunday in UTC
    [InlineData("weekly", "2027-01-04T00:00:00Z", "UTC", "2026-12-28", "2026-W53")] // ISO week 53
    [InlineData("monthly", "2026-12-01T00:00:00Z", "Asia/Shanghai", "2026-11-01", "2026-11")]
    [InlineData("monthly", "2026-01-01T00:30:00Z", "Europe/Berlin", "2025-12-01", "2025-12")]
    public void ThePeriodThatJustEndedIsTakenInTheReportsZone(string period, string now, string zone, string first, string key)
    {
        var kind = ReportNames.ParseKind(period)!.Value;
        var date = ReportPeriods.JustEnded(kind, zone, DateTimeOffset.Parse(now, System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(DateOnly.Parse(first, System.Globalization.CultureInfo.InvariantCulture), date);
        Assert.Equal(key, ReportPeriods.Key(kind, date));
    }
}
