namespace Wallboard.Hub.Hosting;

/// <summary>The single reader of the ingest channel: applies its batches to the core in the order they came.</summary>
internal sealed partial class MetricsPump(
    IngestChannel channel,
    MetricsCore core,
    IEnumerable<ICoreInitializer> initializers,
    ILogger<MetricsPump> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        foreach (var initializer in initializers)
        {
            try
            {
                await initializer.InitializeAsync(core, stoppingToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // A store that is down at start must not keep the screens dark; the core starts empty.
                Log.InitializerFailed(logger, initializer.GetType().Name, ex);
            }
        }

        var reader = channel.Reader;
        while (await reader.WaitToReadAsync(stoppingToken).ConfigureAwait(false))
        {
            while (reader.TryRead(out var batch))
            {
                channel.Taken(batch);
                core.Apply(batch);
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 101, Level = LogLevel.Warning, Message = "Core initializer {Initializer} failed; starting without it")]
        public static partial void InitializerFailed(ILogger logger, string initializer, Exception exception);
    }
}
