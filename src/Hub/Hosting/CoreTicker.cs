using Microsoft.Extensions.Options;

namespace Wallboard.Hub.Hosting;

/// <summary>
/// Ticks the core at the configured cadence on the injected clock (a PeriodicTimer does not drift
/// the way a delay loop does) and hands each snapshot to the subscribers.
/// </summary>
internal sealed partial class CoreTicker(
    MetricsCore core,
    IEnumerable<ICoreTickSubscriber> subscribers,
    IOptions<MetricsOptions> options,
    TimeProvider time,
    ILogger<CoreTicker> logger) : BackgroundService
{
    private readonly ICoreTickSubscriber[] _subscribers = [.. subscribers];
    private long _ticks;

    /// <summary>Ticks since start (/healthz: a client can wait for the ticks after its events).</summary>
    public long Ticks => Interlocked.Read(ref _ticks);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.CadenceSeconds), time);
        do
        {
            await TickAsync(stoppingToken).ConfigureAwait(false);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    /// <summary>One tick; public to tests so they can drive the core without a timer.</summary>
    public async Task TickAsync(CancellationToken cancellationToken)
    {
        var (snapshot, changes) = core.Tick(time.GetUtcNow().ToUnixTimeMilliseconds());
        foreach (var subscriber in _subscribers)
        {
            try
            {
                await subscriber.OnTickAsync(snapshot, changes, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // One failing subscriber (a store that is down) must not stop the screens.
                Log.SubscriberFailed(logger, subscriber.GetType().Name, ex);
            }
        }

        Interlocked.Increment(ref _ticks);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 100, Level = LogLevel.Error, Message = "Tick subscriber {Subscriber} failed")]
        public static partial void SubscriberFailed(ILogger logger, string subscriber, Exception exception);
    }
}
