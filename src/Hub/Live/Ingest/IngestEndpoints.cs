using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Wallboard.Hub.Hosting;
using Wallboard.Hub.Live.Access;
using Wallboard.Hub.Operations;
using Wallboard.Hub.Names;
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

/// <summary><c>POST /api/ingest/queue-log</c> (text/plain queue_log lines) and <c>POST /api/events</c> (NDJSON).</summary>
internal static class IngestEndpoints
{
    private const string QueueLogSource = "queue-log";
    private const string EventsSource = "events";

    public static IEndpointRouteBuilder MapIngest(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api").RequireAuthorization(WallboardPolicies.Ingest);
        api.MapPost("/ingest/queue-log", QueueLogAsync);
        api.MapPost("/events", EventsAsync);
        return routes;
    }

    private static async Task<Results<Ok<IngestResult>, ProblemHttpResult>> QueueLogAsync(
        HttpContext http, IngestChannel channel, IOptions<IngestOptions> options, WallboardMetrics metrics, DirectoryService directory, CancellationToken cancellationToken)
    {
        if (TooLarge(http, options.Value) is { } tooLarge)
        {
            return tooLarge;
        }

        var parser = new QueueLogParser(directory.Aliases);
        var report = new IngestReport();
        var sink = new BufferSink();
        try
        {
            using var reader = new StreamReader(http.Request.Body, System.Text.Encoding.UTF8);
            long number = 0;
            while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
            {
                number++;
                parser.Feed(line, sink, report, QueueLogSource, number);
            }
        }
        catch (BadHttpRequestException ex)
        {
            return TypedResults.Problem(ex.Message, statusCode: ex.StatusCode);
        }

        await sink.PublishAsync(channel, cancellationToken).ConfigureAwait(false);
        Count(metrics, QueueLogSource, report);
        return TypedResults.Ok(IngestResult.From(report));
    }

    private static async Task<Results<Ok<IngestResult>, ProblemHttpResult>> EventsAsync(
        HttpContext http, IngestChannel channel, IOptions<IngestOptions> options, WallboardMetrics metrics, DirectoryService directory, CancellationToken cancellationToken)
    {
        if (TooLarge(http, options.Value) is { } tooLarge)
        {
            return tooLarge;
        }

        var report = new IngestReport();
        var sink = new BufferSink();
        try
        {
            await new JsonEventReader(new JsonEventParser(aliases: directory.Aliases)).ReadAsync(http.Request.Body, EventsSource, sink, report, cancellationToken).ConfigureAwait(false);
        }
        catch (BadHttpRequestException ex)
        {
            return TypedResults.Problem(ex.Message, statusCode: ex.StatusCode);
        }

        await sink.PublishAsync(channel, cancellationToken).ConfigureAwait(false);
        Count(metrics, EventsSource, report);
        return TypedResults.Ok(IngestResult.From(report));
    }

    private static void Count(WallboardMetrics metrics, string source, IngestReport report)
    {
        metrics.EventsIngested(source, report.Events);
        metrics.LinesRejected(source, report.Malformed);
    }

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
