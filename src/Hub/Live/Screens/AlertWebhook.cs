using System.Threading.Channels;
using Microsoft.Extensions.Options;

namespace Wallboard.Hub.Live.Screens;

/// <summary>Configuration section <c>Alerts</c>.</summary>
internal sealed class AlertsOptions
{
    public const string Section = "Alerts";

    /// <summary>Optional URL POSTed a JSON alert when a tile turns red.</summary>
    public Uri? WebhookUrl { get; set; }

    [System.ComponentModel.DataAnnotations.Range(0.1, 120)]
    public double TimeoutSeconds { get; set; } = 5;
}

/// <summary>Checks <c>Alerts</c> at start-up: the webhook must be an absolute http(s) URL.</summary>
internal sealed class AlertsOptionsValidator : IValidateOptions<AlertsOptions>
{
    public ValidateOptionsResult Validate(string? name, AlertsOptions options) =>
        options.WebhookUrl is { } url && (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
            ? ValidateOptionsResult.Fail($"{AlertsOptions.Section}:WebhookUrl must be an absolute http(s) URL, got '{url}'")
            : ValidateOptionsResult.Success;
}

/// <summary>
/// Posts alerts to the configured webhook off the tick: alerts are queued (bounded, the oldest
/// dropped) and sent by a background loop; failures are counted, never thrown.
/// </summary>
internal sealed partial class AlertWebhook(IHttpClientFactory clients, IOptions<AlertsOptions> options, ILogger<AlertWebhook> logger) : BackgroundService
{
    public const string ClientName = "alerts";

    private readonly Channel<AlertMessage> _queue = Channel.CreateBounded<AlertMessage>(new BoundedChannelOptions(256)
    {
        FullMode = BoundedChannelFullMode.DropOldest,
        SingleReader = true,
    });

    private TaskCompletionSource _attempted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _sent;
    private long _failed;

    public long Sent => Interlocked.Read(ref _sent);

    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>Completes when the next post has succeeded or failed (tests wait on it).</summary>
    public Task NextAttempt => Volatile.Read(ref _attempted).Task;

    public void Enqueue(AlertMessage alert)
    {
        if (options.Value.WebhookUrl is not null)
        {
            _queue.Writer.TryWrite(alert);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.WebhookUrl is not { } url)
        {
            return;
        }

        var client = clients.CreateClient(ClientName);
        client.Timeout = TimeSpan.FromSeconds(options.Value.TimeoutSeconds);
        await foreach (var alert in _queue.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                using var response = await client.PostAsJsonAsync(url, alert, stoppingToken).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    Interlocked.Increment(ref _sent);
                }
                else
                {
                    Interlocked.Increment(ref _failed);
                    Log.WebhookFailed(logger, (int)response.StatusCode);
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !stoppingToken.IsCancellationRequested)
            {
                Interlocked.Increment(ref _failed);
                Log.WebhookFailed(logger, 0);
            }

            Interlocked.Exchange(ref _attempted, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 410, Level = LogLevel.Warning, Message = "Alert webhook failed (HTTP status {Status}; 0 = no answer)")]
        public static partial void WebhookFailed(ILogger logger, int status);
    }
}
