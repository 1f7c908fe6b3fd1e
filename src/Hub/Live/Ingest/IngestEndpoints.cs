using System.Collections.Concurrent;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Wallboard.Hub.Durability;
using Wallboard.Hub.Hosting;
using Wallboard.Hub.Live.Access;
using Wallboard.Hub.Names;
using Wallboard.Hub.Operations;
using Wallboard.Ingest.Json;
using Wallboard.Ingest.Model;
using Wallboard.Ingest.QueueLog;

namespace Wallboard.Hub.Live.Ingest;

/// <summary>Configuration section <c>Ingest</c>: limits of HTTP ingest.</summary>
internal sealed class IngestOptions
{
    public const string Section = "Ingest";

    /// <summary>The largest request body accepted, in bytes.</summary>
    [Range(1024, 1L << 30)]
    public long MaxBodyBytes { get; set; } = 8L << 20;

    /// <summary>The longest line of any source (tails and HTTP), in bytes; longer lines are skipped and reported.</summary>
    [Range(256, 64 << 20)]
    public int MaxLineBytes { get; set; } = 64 * 1024;

    /// <summary>An event further ahead of the server's clock than this is refused (a PBX with a wrong clock).</summary>
    [Range(0, 7 * 86_400)]
    public double MaxClockSkewSeconds { get; set; } = 300;

    /// <summary>An event further back than this is refused; older data goes through <c>wallboard import</c>.</summary>
    [Range(0.01, 3660)]
    public double HorizonDays { get; set; } = 30;

    /// <summary>
    /// <c>kpi</c> and <c>import</c>: an event further than this from the lines around it in its file
    /// is refused (a corrupted digit; files are written in time order). See <c>Cli.BatchTimeRule</c>.
    /// </summary>
    [Range(0.01, 3660)]
    public double BatchMaxJumpDays { get; set; } = 7;

    /// <summary>The event times accepted at <paramref name="nowMs"/>.</summary>
    public EventTimeLimits TimeLimitsAt(long nowMs) =>
        EventTimeLimits.Live(nowMs, TimeSpan.FromSeconds(MaxClockSkewSeconds), TimeSpan.FromDays(HorizonDays));
}

/// <summary>One line that was not used.</summary>
internal sealed record IngestLineError(long Line, string Message);

/// <summary>
/// The answer of HTTP ingest: lines accepted (an event), ignored (understood, nothing to count),
/// unknown (a verb or type this server does not know) and rejected (malformed), with the errors by line.
/// </summary>
internal sealed record IngestResult(long Accepted, long Rejected, long Ignored, long Unknown, IReadOnlyList<IngestLineError> Errors)
{
    public static IngestResult From(IngestReport report) => new(
        report.Events, report.Malformed, report.Ignored, report.Unknown,
        [.. report.Errors.Select(error => new IngestLineError(error.Line, error.Message))]);
}

/// <summary>
/// <c>POST /api/ingest/queue-log</c> (text/plain queue_log lines) and <c>POST /api/events</c> (NDJSON).
/// A request is one batch: it is answered once the core has applied it and a saved checkpoint
/// includes it, so an answered batch survives any crash. With an <c>Idempotency-Key</c> header a
/// client may send a batch again when it got no answer: a key the server has seen (kept with the
/// checkpoint) gets the first answer again, with <c>Idempotent-Replayed: true</c>, and is not
/// counted twice.
/// </summary>
internal static class IngestEndpoints
{
    public const string IdempotencyKeyHeader = "Idempotency-Key";
    public const string ReplayedHeader = "Idempotent-Replayed";

    /// <summary>The longest idempotency key accepted (a UUID is 36).</summary>
    public const int MaxKeyLength = 200;

    private const string QueueLogSource = "queue-log";
    private const string EventsSource = "events";

    /// <summary>How long a request waits for the checkpoint that makes its batch durable before it is told to retry.</summary>
    private static readonly TimeSpan DurableTimeout = TimeSpan.FromSeconds(30);

    public static IEndpointRouteBuilder MapIngest(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api").RequireAuthorization(WallboardPolicies.Ingest);
        api.MapPost("/ingest/queue-log", (HttpContext http, IngestServices services, CancellationToken cancellationToken) =>
            IngestAsync(http, services, QueueLogSource, ReadQueueLogAsync, cancellationToken));
        api.MapPost("/events", (HttpContext http, IngestServices services, CancellationToken cancellationToken) =>
            IngestAsync(http, services, EventsSource, ReadEventsAsync, cancellationToken));
        return routes;
    }

    private static async Task<IResult> IngestAsync(
        HttpContext http,
        IngestServices services,
        string source,
        IngestReader read,
        CancellationToken cancellationToken)
    {
        var options = services.Options.Value;
        if (TooLarge(http, options) is { } tooLarge)
        {
            return tooLarge;
        }

        string? key = null;
        if (http.Request.Headers.TryGetValue(IdempotencyKeyHeader, out var keys))
        {
            key = keys.ToString();
            if (key.Length is 0 or > MaxKeyLength || !key.All(c => c is >= '!' and <= '~'))
            {
                return TypedResults.Problem(
                    $"{IdempotencyKeyHeader}: must be 1 to {MaxKeyLength} printable ASCII characters without spaces",
                    statusCode: StatusCodes.Status400BadRequest,
                    title: $"Bad header '{IdempotencyKeyHeader}'");
            }
        }

        if (services.Cluster is { } cluster)
        {
            // A cluster: the batch goes to its partition's Redis stream, the key's answer with it (docs/cluster.md).
            return await cluster.IngestAsync(http, services, source, key, read, cancellationToken).ConfigureAwait(false);
        }

        try
        {
            while (true)
            {
                if (key is not null && services.Core.AnswerOf(key) is { } known)
                {
                    await Durable(services, known.Sequence, cancellationToken).ConfigureAwait(false);
                    return Replayed(http, known.Answer);
                }

                var mine = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
                if (key is not null && !services.InFlight.TryAdd(key, mine.Task))
                {
                    // The same batch is being taken now (a client that gave up waiting and sent it again).
                    if (services.InFlight.TryGetValue(key, out var other))
                    {
                        try
                        {
                            return Replayed(http, await other.WaitAsync(cancellationToken).ConfigureAwait(false));
                        }
                        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                        {
                            // The other request failed before its batch was applied: this one takes it.
                        }
                    }

                    continue;
                }

                try
                {
                    var (answer, result) = await TakeAsync(http, services, source, key, read, cancellationToken).ConfigureAwait(false);
                    mine.TrySetResult(answer);
                    return result;
                }
                catch (Exception ex)
                {
                    mine.TrySetException(ex);
                    throw;
                }
                finally
                {
                    if (key is not null)
                    {
                        services.InFlight.TryRemove(new KeyValuePair<string, Task<string>>(key, mine.Task));
                    }
                }
            }
        }
        catch (BadHttpRequestException ex)
        {
            return TypedResults.Problem(ex.Message, statusCode: ex.StatusCode);
        }
        catch (TimeoutException)
        {
            http.Response.Headers.RetryAfter = "1";
            return TypedResults.Problem(
                "the batch was applied but not yet saved; send it again with the same Idempotency-Key",
                statusCode: StatusCodes.Status503ServiceUnavailable,
                title: "Not yet durable");
        }
    }

    private static async Task<(string Answer, IResult Result)> TakeAsync(
        HttpContext http,
        IngestServices services,
        string source,
        string? key,
        IngestReader read,
        CancellationToken cancellationToken)
    {
        var (now, sink, report, result, answer) = await ReadAsync(http, services, read, cancellationToken).ConfigureAwait(false);
        services.Metrics.EventsIngested(source, report.Events);
        services.Metrics.LinesRejected(source, report.Malformed);
        var batch = new IngestBatch([.. sink.Events], sink.Events.Count) { IdempotencyKey = key, Answer = answer, ReceivedAtMs = now };
        await services.Channel.PublishAsync(batch, cancellationToken).ConfigureAwait(false);

        // Once published, the batch will be applied whatever the client does; the answer waits for its checkpoint.
        var sequence = await batch.Applied.WaitAsync(cancellationToken).ConfigureAwait(false);
        await Durable(services, sequence, cancellationToken).ConfigureAwait(false);
        return (answer, TypedResults.Ok(result));
    }

    /// <summary>Reads a request's lines into events, at the server's time now, with the answer it gets.</summary>
    internal static async Task<RequestRead> ReadAsync(HttpContext http, IngestServices services, IngestReader read, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(read);
        var now = services.Time.GetUtcNow().ToUnixTimeMilliseconds();
        var report = new IngestReport();
        var sink = new BufferSink();
        await read(http, services, services.Options.Value.TimeLimitsAt(now), sink, report, cancellationToken).ConfigureAwait(false);
        var result = IngestResult.From(report);
        return new RequestRead(now, sink, report, result, JsonSerializer.Serialize(result, AnswerJson));
    }

    private static async Task Durable(IngestServices services, long sequence, CancellationToken cancellationToken) =>
        await services.Checkpoints.WhenDurableAsync(sequence, cancellationToken).WaitAsync(DurableTimeout, services.Time, cancellationToken).ConfigureAwait(false);

    internal static ContentHttpResult Replayed(HttpContext http, string answer)
    {
        http.Response.Headers[ReplayedHeader] = "true";
        return TypedResults.Text(answer, "application/json", System.Text.Encoding.UTF8);
    }

    internal static readonly JsonSerializerOptions AnswerJson = new(JsonSerializerDefaults.Web);

    private static async Task ReadQueueLogAsync(HttpContext http, IngestServices services, EventTimeLimits limits, BufferSink sink, IngestReport report, CancellationToken cancellationToken)
    {
        var options = services.Options.Value;
        var parser = new QueueLogParser(services.Directory.Aliases) { TimeLimits = limits };
        using var reader = new StreamReader(http.Request.Body, System.Text.Encoding.UTF8);
        long number = 0;
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            number++;
            if (System.Text.Encoding.UTF8.GetByteCount(line) > options.MaxLineBytes)
            {
                report.CountMalformed(new IngestError(QueueLogSource, number, string.Create(
                    CultureInfo.InvariantCulture, $"the line is longer than the limit of {options.MaxLineBytes} bytes (Ingest:MaxLineBytes); skipped")));
                continue;
            }

            parser.Feed(line, sink, report, QueueLogSource, number);
        }
    }

    private static Task ReadEventsAsync(HttpContext http, IngestServices services, EventTimeLimits limits, BufferSink sink, IngestReport report, CancellationToken cancellationToken) =>
        new JsonEventReader(new JsonEventParser(aliases: services.Directory.Aliases) { TimeLimits = limits }, services.Options.Value.MaxLineBytes).ReadAsync(http.Request.Body, EventsSource, sink, report, cancellationToken);

    /// <summary>Sets the server's body limit; refuses at once a body announced as larger.</summary>
    private static ProblemHttpResult? TooLarge(HttpContext http, IngestOptions options)
    {
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
        {
            feature.MaxRequestBodySize = options.MaxBodyBytes;
        }

        return http.Request.ContentLength > options.MaxBodyBytes
            ? TypedResults.Problem($"the body is larger than Ingest:MaxBodyBytes ({options.MaxBodyBytes} bytes)", statusCode: StatusCodes.Status413PayloadTooLarge)
            : null;
    }
}

/// <summary>Reads a request's lines (queue_log or JSON events) into <paramref name="sink"/>, refusals into <paramref name="report"/>.</summary>
internal delegate Task IngestReader(HttpContext http, IngestServices services, EventTimeLimits limits, BufferSink sink, IngestReport report, CancellationToken cancellationToken);

/// <summary>A request read: when, its events, what was refused, and the answer it gets (also as JSON, kept for its Idempotency-Key).</summary>
internal sealed record RequestRead(long ReceivedAtMs, BufferSink Sink, IngestReport Report, IngestResult Result, string Answer);

/// <summary>What the ingest endpoints use, as one service so their handlers stay short.</summary>
internal sealed class IngestServices(
    IngestChannel channel,
    MetricsCore core,
    CheckpointService checkpoints,
    IOptions<IngestOptions> options,
    TimeProvider time,
    WallboardMetrics metrics,
    DirectoryService directory,
    Wallboard.Hub.Cluster.ClusterIngest? cluster = null)
{
    /// <summary>The cluster's ingest when <c>Cluster</c> is configured; null on a single server.</summary>
    public Wallboard.Hub.Cluster.ClusterIngest? Cluster => cluster;

    public WallboardMetrics Metrics => metrics;

    /// <summary>Agents' aliases, resolved as lines are read.</summary>
    public DirectoryService Directory => directory;

    public IngestChannel Channel => channel;

    public MetricsCore Core => core;

    public CheckpointService Checkpoints => checkpoints;

    public IOptions<IngestOptions> Options => options;

    public TimeProvider Time => time;

    /// <summary>Requests being taken now, by idempotency key, with the answer they will give.</summary>
    public ConcurrentDictionary<string, Task<string>> InFlight { get; } = new(StringComparer.Ordinal);
}
