using System.Globalization;
using Hangfire;
using Hangfire.States;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Wallboard.Hub.Hosting;
using Wallboard.Hub.Reports;
using Wallboard.Metrics.Counters;
using Wallboard.Metrics.History;

namespace Wallboard.Tests.Reports;

/// <summary>
/// The real host (<see cref="WallboardHost.Build"/>, i.e. <c>serve</c>) on 127.0.0.1:0 with one
/// scheduled daily report <c>floor-daily</c> for queue <c>vip</c> in Asia/Shanghai, history in
/// SQLite (Microsoft.Data.Sqlite) and Hangfire on SQLite storage (Hangfire.Storage.SQLite), all
/// in a temporary folder, the real PDF generator, on a fake clock standing at 2026-11-28 07:00 Shanghai: the report due
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

    public static readonly long NineAm = new DateTimeOffset(2026, 11, 27, 9, 0, 0, TimeSpan.FromHours(8)).ToUnixTimeMilliseconds();

    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private readonly string _root;

    private DeliveryHost(WebApplication app, FakeTimeProvider time, string root, string recipient)
    {
        App = app;
        Time = time;
        _root = root;
        Recipient = recipient;
        BaseAddress = TestHost.BaseAddressOf(app);
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
        var args = TestHost.Arguments(
            root,
            Zone,
            settings,
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
            "--Reports:Smtp:TimeoutSeconds=10");

        var time = new FakeTimeProvider(Now);
        var app = WallboardHost.Build([.. args], builder =>
        {
            builder.Services.AddSingleton<TimeProvider>(time);
            builder.Services.AddSingleton<IReportRenderer>(provider => new CountingRenderer(ActivatorUtilities.CreateInstance<GeneratorReportRenderer>(provider)));
        });
        try
        {
            await app.StartAsync();
        }
        catch
        {
            // A start refused by validation leaves nothing behind.
            await app.DisposeAsync();
            Directory.Delete(root, recursive: true);
            throw;
        }

        return new DeliveryHost(app, time, root, recipient);
    }

    public T Service<T>()
        where T : notnull => App.Services.GetRequiredService<T>();

    public HttpClient Http(string? key = null) => TestHost.Client(BaseAddress, key);

    /// <summary>
    /// Queue vip on 27 November at 09:00 Shanghai: offered 4, answered 3 (2 within SL), 1 short
    /// abandon; history written up to <paramref name="writtenUpToMs"/>.
    /// </summary>
    public Task WriteHistoryAsync(long writtenUpToMs) => History.WriteAsync(
        [HistoryPoint.Queue("vip", NineAm, new QueueCounters { Offered = 4, Answered = 3, AnsweredWithinSl = 2, Abandoned = 1, ShortAbandoned = 1, AnsweredWaitMs = 30_000, MaxWaitMs = 20_000 })],
        writtenUpToMs);

    /// <summary>Marks history complete (or not) up to <paramref name="writtenUpToMs"/> through the host's SQLite history store.</summary>
    public Task HistoryWrittenUpToAsync(long writtenUpToMs) => History.WriteAsync([], writtenUpToMs);

    /// <summary>Runs the report's recurring job now, as the dashboard's "Trigger now" does; returns the background job's id.</summary>
    public string TriggerReport() =>
        new RecurringJobManager(Storage).TriggerJob("report:" + ReportName) ?? throw new InvalidOperationException("recurring job not found");

    /// <summary>Runs a job that waits for a retry now instead of after its retry delay.</summary>
    public void RetryNow(string jobId) => new BackgroundJobClient(Storage).Requeue(jobId);

    /// <summary>Waits until the job reaches one of the states (e.g. Succeeded, or Scheduled for a retry).</summary>
    public Task<Hangfire.Storage.StateData> WaitForStateAsync(string jobId, params string[] states) => WaitForStateAsync(Storage, jobId, states);

    /// <summary>Waits until the job of <paramref name="storage"/> reaches one of the states.</summary>
    public static async Task<Hangfire.Storage.StateData> WaitForStateAsync(JobStorage storage, string jobId, params string[] states)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        while (true)
        {
            using (var connection = storage.GetConnection())
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

/// <summary>The host's renderer (the real PDF generator), counting its renders: a retry must not render again.</summary>
internal sealed class CountingRenderer(IReportRenderer inner) : IReportRenderer
{
    private int _renders;

    public int Renders => _renders;

    public Task<RenderedReport> RenderAsync(ReportOrder order, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _renders);
        return inner.RenderAsync(order, cancellationToken);
    }
}
