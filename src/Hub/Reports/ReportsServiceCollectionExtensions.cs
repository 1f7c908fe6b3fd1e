using Hangfire;
using Hangfire.Dashboard;
using Hangfire.PostgreSql;
using Hangfire.Storage.SQLite;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Wallboard.Hub.Live.Access;
using Wallboard.Hub.Operations;
using Wallboard.Metrics;
using Wallboard.Metrics.History;
using Wallboard.Reports;

namespace Wallboard.Hub.Reports;

/// <summary>Reports in <c>serve</c>: the on-demand endpoint, and with scheduled reports Hangfire, its server and its dashboard.</summary>
internal static class ReportsServiceCollectionExtensions
{
    /// <summary>Who may download reports: supervisors and analysts (and admins).</summary>
    public const string Policy = "wallboard-reports";

    public const string DashboardPath = ApiKeyAuthenticationHandler.DashboardPath;

    /// <summary>
    /// Registers <see cref="ReportsOptions"/> and <see cref="HangfireOptions"/> (validated at start),
    /// the mailer and the job; when <c>Reports:Schedules</c> lists reports, Hangfire with its
    /// storage, a server and the recurring jobs. Without schedules there is nothing to run, so no
    /// Hangfire storage is created.
    /// </summary>
    public static IServiceCollection AddReports(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddWallboardOptions<ReportsOptions>(ReportsOptions.Section)
            .PostConfigure<Hosting.DataFolder>((options, data) => options.OutputPath = data.Resolve(options.OutputPath));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ReportsOptions>, ReportsOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(provider =>
        {
            // The report measures with the server's own definitions (SL threshold and formula, rings) unless given its own options.
            var options = provider.GetService<ReportOptions>()
                ?? new ReportOptions
                {
                    Kpi = provider.GetRequiredService<KpiOptions>(),
                    Staffing = provider.GetService<IOptions<Staffing.StaffingOptions>>()?.Value.ToPolicy() ?? new(),
                    RotaOf = provider.GetService<Staffing.RotaSource>() is { } rota
                        ? day => rota.For(NodaTime.LocalDate.FromDateOnly(day).PlusDays(-1), 3)
                        : null,
                };
            var directory = provider.GetService<Names.DirectoryService>();
            return new ReportGenerator(provider.GetRequiredService<IKpiHistoryStore>(), options, provider.GetRequiredService<TimeProvider>(),
                directory is null ? null : () => directory.Current);
        });
        services.TryAddSingleton<IReportRenderer, GeneratorReportRenderer>();
        services.AddSingleton<ReportMailer>();
        services.TryAddSingleton<IReportLedger, FileReportLedger>();
        services.AddTransient<ReportJob>();
        services.AddAuthorizationBuilder().AddPolicy(Policy, new AuthorizationPolicyBuilder(ApiKeyAuthenticationHandler.SchemeName)
            .RequireRole(WallboardRoles.Supervisor, WallboardRoles.Analyst, WallboardRoles.Admin)
            .Build());

        services.AddOwnedSection<HangfireOptions>(HangfireOptions.Section);
        if (!HasSchedules(configuration))
        {
            return services;
        }

        services.AddWallboardOptions<HangfireOptions>(HangfireOptions.Section);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<HangfireOptions>, HangfireOptionsValidator>());
        services.AddHangfire((provider, hangfire) =>
        {
            var options = provider.GetRequiredService<IOptions<HangfireOptions>>().Value;
            hangfire.SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
                .UseSimpleAssemblyNameTypeSerializer()
                .UseRecommendedSerializerSettings();
            if (options.UsesPostgreSql)
            {
                hangfire.UsePostgreSqlStorage(connection => connection.UseNpgsqlConnection(options.ConnectionString));
            }
            else
            {
                var path = provider.GetRequiredService<Hosting.DataFolder>().File(HangfireOptions.Section + ":SqlitePath", options.SqlitePath);
                hangfire.UseSQLiteStorage(path, new SQLiteStorageOptions { QueuePollInterval = TimeSpan.FromSeconds(options.QueuePollSeconds) });
            }
        });
        services.AddHangfireServer((provider, server) =>
        {
            var options = provider.GetRequiredService<IOptions<HangfireOptions>>().Value;
            server.WorkerCount = options.Workers;
            server.SchedulePollingInterval = TimeSpan.FromSeconds(options.QueuePollSeconds);
        });
        services.AddHostedService<ReportScheduleRegistrar>();
        return services;
    }

    /// <summary>Maps <c>GET /api/reports/{period}</c> and, when Hangfire runs, its dashboard at <c>/hangfire</c> for administrators.</summary>
    public static WebApplication MapReports(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapReportsApi();
        if (HasSchedules(app.Configuration))
        {
            // The host's admin policy decides; the filter replaces Hangfire's default (local requests only) and checks the role again.
            app.MapHangfireDashboard(DashboardPath, new DashboardOptions
            {
                Authorization = [new AdminDashboardAuthorizationFilter()],
                DisplayStorageConnectionString = false,
                DashboardTitle = "Wallboard reports",
            }).RequireAuthorization(WallboardPolicies.Admin);
        }

        return app;
    }

    public static bool HasSchedules(IConfiguration configuration) =>
        configuration.GetSection(ReportsOptions.Section + ":Schedules").GetChildren().Any();
}

/// <summary>The Hangfire dashboard is for holders of the admin role only.</summary>
internal sealed class AdminDashboardAuthorizationFilter : IDashboardAuthorizationFilter
{
    public bool Authorize(DashboardContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.GetHttpContext().User.IsInRole(WallboardRoles.Admin);
    }
}

/// <summary>
/// At start, makes Hangfire's recurring jobs match <c>Reports:Schedules</c>: one per report with
/// its cron and zone, and removes the jobs of reports no longer configured. A cron Hangfire
/// refuses stops the start with the key named.
/// </summary>
internal sealed partial class ReportScheduleRegistrar(
    IOptions<ReportsOptions> options,
    IRecurringJobManager recurringJobs,
    JobStorage storage,
    ILogger<ReportScheduleRegistrar> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var reports = options.Value;
        var wanted = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < reports.Schedules.Count; i++)
        {
            var schedule = ReportSchedule.Resolve(reports.Schedules[i], reports);
            var name = schedule.Name;
            try
            {
                recurringJobs.AddOrUpdate<ReportJob>(
                    schedule.JobId,
                    job => job.RunAsync(name, null, CancellationToken.None),
                    schedule.Cron,
                    new RecurringJobOptions { TimeZone = TimeZoneInfo.FindSystemTimeZoneById(schedule.TimeZone) });
            }
            catch (ArgumentException ex)
            {
                throw new OptionsValidationException(ReportsOptions.Section, typeof(ReportsOptions), [$"{ReportsOptions.Section}:Schedules:{i}:Cron '{schedule.Cron}' is refused by Hangfire: {ex.Message}"]);
            }

            wanted.Add(schedule.JobId);
            Log.Scheduled(logger, schedule.Name, schedule.Kind, schedule.Cron, schedule.TimeZone);
        }

        using var connection = storage.GetConnection();
        foreach (var job in Hangfire.Storage.StorageConnectionExtensions.GetRecurringJobs(connection))
        {
            if (job.Id.StartsWith("report:", StringComparison.Ordinal) && !wanted.Contains(job.Id))
            {
                recurringJobs.RemoveIfExists(job.Id);
                Log.Removed(logger, job.Id);
            }
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static partial class Log
    {
        [LoggerMessage(EventId = 910, Level = LogLevel.Information, Message = "Report {Report} ({Kind}) scheduled at '{Cron}' in {Zone}")]
        public static partial void Scheduled(ILogger logger, string report, ReportKind kind, string cron, string zone);

        [LoggerMessage(EventId = 911, Level = LogLevel.Information, Message = "Recurring job {Job} removed: its report is no longer configured")]
        public static partial void Removed(ILogger logger, string job);
    }
}
