using Wallboard.Ingest.Model;

namespace Wallboard.Hub.Hosting;

/// <summary>The single reader of the ingest channel: drains it in batches into the core.</summary>
internal sealed class MetricsPump(IngestChannel channel, MetricsCore core) : BackgroundService
{
    private const int BatchSize = 1024;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
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
}
