using Wallboard.Ingest.Model;

namespace Wallboard.Hub.Hosting;

/// <summary>The single reader of the ingest channel: drains it in batches into the core.</summary>
internal sealed partial class MetricsPump(
    IngestChannel channel,
    MetricsCore core,
    IEnumerable<ICoreInitializer> initializers,
    ILogger<MetricsPump> logger) : BackgroundService
{
    private const int BatchSize = 1024;

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

        var batch = new ContactEvent[BatchSize];
        var reader = channel.Reader;
        while (await reader.WaitToReadAsync(stoppingToken).ConfigureAwait(false))
        {
            var count = 0;
            while (count < BatchSize && reader.TryRead(out var contactEvent))
            {
                batch[count++] = contactEvent;
            }

            core.Apply(batch.AsSpan(0, count));
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 101, Level = LogLevel.Warning, Message = "Core initializer {Initializer} failed; starting without it")]
        public static partial void InitializerFailed(ILogger logger, string initializer, Exception exception);
    }
}
