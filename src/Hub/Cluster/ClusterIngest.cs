using Microsoft.Extensions.Options;
using StackExchange.Redis;
using Wallboard.Hub.Durability;
using Wallboard.Hub.Live.Ingest;

namespace Wallboard.Hub.Cluster;

/// <summary>
/// HTTP ingest on any hub of a cluster: the request's events go, as one entry, to the Redis stream
/// of its partition (<c>?partition=</c>, else <c>Cluster:Partition</c>), with its Idempotency-Key's
/// answer in the same script. The answer is given once Redis has the entry — with Redis's
/// append-only file fsynced at every write, once it is on disk. While Redis refuses, the answer is
/// 503 with Retry-After: the batch was not taken, and the client sends it again (with the same key,
/// it is counted once whichever hub it reaches).
/// </summary>
internal sealed class ClusterIngest(ClusterEventLog log, IOptions<ClusterOptions> options, IOptions<DurabilityOptions> durability)
{
    public const string PartitionParameter = "partition";

    public async Task<IResult> IngestAsync(
        HttpContext http,
        IngestServices services,
        string source,
        string? key,
        IngestReader read,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(read);
        var cluster = options.Value;
        var partition = http.Request.Query[PartitionParameter].ToString();
        if (partition.Length == 0)
        {
            partition = cluster.OwnPartition;
        }
        else if (!cluster.PartitionNames.Contains(partition, StringComparer.Ordinal))
        {
            return TypedResults.Problem(
                $"{PartitionParameter}: '{partition}' is not a partition of this cluster ({string.Join(", ", cluster.PartitionNames)})",
                statusCode: StatusCodes.Status400BadRequest,
                title: $"Bad parameter '{PartitionParameter}'");
        }

        RequestRead request;
        try
        {
            request = await IngestEndpoints.ReadAsync(http, services, read, cancellationToken).ConfigureAwait(false);
        }
        catch (BadHttpRequestException ex)
        {
            return TypedResults.Problem(ex.Message, statusCode: ex.StatusCode);
        }

        var (_, sink, report, result, answer) = request;
        AppendResult appended;
        try
        {
            appended = await log.AppendAsync(
                partition, source, sink.Events.ToArray(), key, answer, TimeSpan.FromHours(durability.Value.IdempotencyKeyHours)).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            http.Response.Headers.RetryAfter = "1";
            return TypedResults.Problem(
                $"the batch was not saved ({ex.GetType().Name}: {ex.Message}); send it again{(key is null ? string.Empty : " with the same Idempotency-Key")}",
                statusCode: StatusCodes.Status503ServiceUnavailable,
                title: "Redis is away");
        }

        if (!appended.Appended)
        {
            return IngestEndpoints.Replayed(http, appended.Answer ?? answer);
        }

        services.Metrics.EventsIngested(source, report.Events);
        services.Metrics.LinesRejected(source, report.Malformed);
        return TypedResults.Ok(result);
    }
}
