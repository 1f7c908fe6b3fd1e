using System.Globalization;
using System.Text;
using Hangfire;
using Hangfire.States;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using NodaTime;
using Wallboard.Hub.Hosting;
using Wallboard.Hub.Reports;
using Wallboard.Metrics.History;

namespace Wallboard.Tests.Reports;

/// <summary>
/// The real host (<see cref="WallboardHost.Build"/>, i.e. <c>serve</c>) on 127.0.0.1:0 with one
/// scheduled daily report <c>floor-daily</c> for queue <c>vip</c> in Asia/Shanghai, history in
/// SQLite (Microsoft.Data.Sqlite) and Hangfire on SQLite storage (Hangfire.Storage.SQLite), all
/// in a temporary folder, on a fake clock standing at 2026-11-28 07:00 Shanghai: the report due
/// is the one for 27 November.
/// </summary>
internal sealed class DeliveryHost : IAsyncDisposable
{
    public const string ReportName = "floor-daily";
    public const string Zone = "Asia/Shanghai";

    /// <summary>2026-11-28 07:00 in Shanghai (+08:00).</summary>
    public static readonly DateTimeOffset Now = new(2026, 11, 27, 23, 0, 0, TimeSpan.Zero);

    /// <summary>The end of 27 November in Shanghai, Unix ms: history must be written up to here.</summary>
    public static readonly long PeriodEndMs = new DateTimeOffset(2026, 11, 28, 0, 0, 0, TimeSpan.FromHours(8)).ToUnixTimeMilliseconds();

    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private readonly string _root;

    private DeliveryHost(WebApplication app, FakeTimeProvider time, string root, string recipient)
    {
        App = app;
        Time = time;
        _root = root;
        Recipient = recipient;
        BaseAddress = new Uri(app.Urls.First(url => url.StartsWith("http://", StringComparison.Ordinal)) + "/");
    }

    public WebApplication App { get; }

    public FakeTimeProvider Time { get; }

    public Uri BaseAddress { get; }

    /// <summary>Unique per host, so a shared SMTP server's other messages are told apart.</summary>
    public string Recipient { get; }

    public string ReportsFolder => Path.Combine(_root, "reports");

    public JobStorage Storage => Service<JobStorage>();

    public CountingRenderer Renderer => (CountingRenderer)Service<IReportRenderer>();

    public IKpiHistoryStore History => Service<IKpiHistoryStore>();

    public static async Task<DeliveryHost> StartAsync(int smtpPort, IReadOnlyDictionary<string, string>? settings = null)
    {
        var root = Path.Combine(Path.GetTempPath(), "wallboard-delivery-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(root, "dashboards"));
        var recipient = $"manager-{Guid.NewGuid():N}@example.com";
        var args = new List<string>
        {
            "--urls", "http://127.0.0.1:0",
            "--Sources:Demo=false",
            "--Dashboards:Path=" + Path.Combine(root, "dashboards"),
            "--Web:Path=" + Path.Combine(root, "web"),
            "--Metrics:TimeZone=" + Zone,
            "--Logging:LogLevel:Default=Warning",
            "--History:SqlitePath=" + Path.Combine(root, "history.db"),
            "--Hangfire:SqlitePath=" + Path.Combine(root, "hangfire.db"),
            "--Hangfire:QueuePollSeconds=1",
            "--Reports:TimeZone=" + Zone,
            "--Reports:OutputPath=" + Path.Combine(root, "reports"),
            "--Reports:Schedules:0:Name=" + ReportName,
            "--Reports:Schedules:0:Period=daily",
            "--Reports:Schedules:0:Queues:0=vip",
            "--Reports:Schedules:0:Recipients:0=" + recipient,
            "--Reports:Smtp:Host=127.0.0.1",
            "--Reports:Smtp:Port=" + smtpPort.ToString(CultureInfo.InvariantCulture),
            "--Reports:Smtp:Tls=none",
            "--Reports:Smtp:From=wallboard@example.com",
            "--Reports:Smtp:TimeoutSeconds=10",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            args.Add($"--{key}={value}");
        }

        var time = new FakeTimeProvider(Now);
        var app = WallboardHost.Build([.. args], builder =>
        {
            builder.Services.AddSingleton<TimeProvider>(time);
            builder.Services.AddSingleton<IReportRenderer>(provider => new CountingRenderer(provider.GetRequiredService<IKpiHistoryStore>()));
        });
        await app.StartAsync();
        return new DeliveryHost(app, time, root, recipient);
    }

    public T Service<T>()
        where T : notnull => App.Services.GetRequiredService<T>();

    public HttpClient Http(string? key = null)
    {
        var client = new HttpClient { BaseAddress = BaseAddress };
        if (key is not null)
        {
            client.DefaultRequestHeaders.Add("X-Api-Key", key);
        }

        return client;
    }

    /// <summary>Marks history complete (or not) up to <paramref name="writtenUpToMs"/> through the host's SQLite history store.</summary>
    public Task HistoryWrittenUpToAsync(long writtenUpToMs) => History.WriteAsync([], writtenUpToMs);

    /// <summary>Runs the report's recurring job now, as the dashboard's "Trigger now" does; returns the background job's id.</summary>
    public string TriggerReport() =>
        new RecurringJobManager(Storage).TriggerJob("report:" + ReportName) ?? throw new InvalidOperationException("recurring job not found");

    /// <summary>Runs a job that waits for a retry now instead of after its retry delay.</summary>
    public void RetryNow(string jobId) => new BackgroundJobClient(Storage).Requeue(jobId);

    /// <summary>Waits until the job reaches one of the states (e.g. Succeeded, or Scheduled for a retry).</summary>
    public async Task<Hangfire.Storage.StateData> WaitForStateAsync(string jobId, params string[] states)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        while (true)
        {
            using (var connection = Storage.GetConnection())
            {
                if (connection.GetStateData(jobId) is { } state && states.Contains(state.Name, StringComparer.Ordinal))
                {
                    return state;
                }
            }

            // Hangfire's worker picks the job from SQLite on its own poll (1 s here); there is no event to wait on.
            await Task.Delay(TimeSpan.FromMilliseconds(100), TimeProvider.System, timeout.Token);
        }
    }

    public string? JobParameter(string jobId, string name)
    {
        using var connection = Storage.GetConnection();
        return connection.GetJobParameter(jobId, name);
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }

    public static string Succeeded => SucceededState.StateName;

    public static string Scheduled => ScheduledState.StateName;
}

/// <summary>
/// A stand-in for the PDF generator that keeps its rule about completeness: complete only when
/// the history store's watermark has reached the period's end. Each PDF carries its render number,
/// so a regenerated file would differ from the kept one.
/// </summary>
internal sealed class CountingRenderer(IKpiHistoryStore store) : IReportRenderer
{
    private int _renders;

    public int Renders => _renders;

    public async Task<RenderedReport> RenderAsync(ReportOrder order, CancellationToken cancellationToken)
    {
        var zone = DateTimeZoneProviders.Tzdb[order.TimeZone];
        var first = LocalDate.FromDateOnly(order.Date);
        var end = order.Kind switch
        {
            ReportKind.Daily => first.PlusDays(1),
            ReportKind.Weekly => first.PlusDays(7),
            _ => first.PlusMonths(1),
        };
        var endMs = end.AtStartOfDayInZone(zone).ToInstant().ToUnixTimeMilliseconds();
        var writtenUpTo = await store.GetWrittenUpToAsync(cancellationToken);
        var complete = writtenUpTo >= endMs;
        var render = Interlocked.Increment(ref _renders);
        var title = $"{order.Kind} report {order.Date:yyyy-MM-dd}";
        var pdf = Encoding.ASCII.GetBytes($"%PDF-1.4\n% {title}, render {render.ToString(CultureInfo.InvariantCulture)}\n%%EOF\n");
        var reason = complete
            ? null
            : $"history is behind: written up to {(writtenUpTo is { } ms ? Instant.FromUnixTimeMilliseconds(ms).InZone(zone).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) : "nothing")}";
        return new RenderedReport(pdf, title, $"wallboard-{order.Kind.ToString().ToLowerInvariant()}-{order.Date:yyyy-MM-dd}.pdf", [new HeadlineFigure("Offered", "7", "5"), new HeadlineFigure("Service level", "80.0 %", "75.0 %")], complete, reason);
    }
}
