using System.Globalization;
using StackExchange.Redis;
using Wallboard.Hub.Hosting;
using Wallboard.Ingest.Model;

namespace Wallboard.Hub.Cluster;

/// <summary>One entry of a partition's stream: its id (the position of its events), the source that appended it and the events.</summary>
internal sealed record StreamEntry(string Id, string Source, ReadOnlyMemory<byte> Events);

/// <summary>What appending an HTTP batch did: appended now, or answered from its Idempotency-Key (then <see cref="Answer"/> is the first answer).</summary>
internal sealed record AppendResult(bool Appended, string? Answer);

/// <summary>
/// The partitions' event streams in Redis: every source appends there, the core of each partition
/// reads from there. An append is one Lua script, so what goes together is written together: the
/// entry and the Idempotency-Key's answer (HTTP), or the entry and the file's new position (a tail,
/// and only if the position stored is the one the tail read from, so an append retried after a lost
/// reply is not written twice). Each append publishes the entry's id, and the core reads it at once.
/// </summary>
internal sealed partial class ClusterEventLog(ClusterConnections connections, ClusterKeys keys, TimeProvider time, ILogger<ClusterEventLog> logger) : ISourceLog
{
    private const string HttpAppend = """
        if #KEYS == 2 then
          local known = redis.call('GET', KEYS[2])
          if known then return {0, known} end
        end
        local id = ''
        if ARGV[1] ~= '' then
          id = redis.call('XADD', KEYS[1], '*', 's', ARGV[4], 'e', ARGV[1])
          redis.call('PUBLISH', ARGV[5], id)
        end
        if #KEYS == 2 then redis.call('SET', KEYS[2], ARGV[2], 'EX', ARGV[3]) end
        return {1, id}
        """;

    private const string SourceAppend = """
        local stored = redis.call('HGET', KEYS[2], ARGV[1]) or ''
        if stored == ARGV[3] and stored ~= ARGV[2] then return 0 end
        if stored ~= ARGV[2] then
          return redis.error_reply('the position of ' .. ARGV[1] .. ' is ' .. stored .. ', not ' .. ARGV[2] .. ': another hub follows the same source')
        end
        if ARGV[4] ~= '' then
          local id = redis.call('XADD', KEYS[1], '*', 's', ARGV[1], 'e', ARGV[4])
          redis.call('PUBLISH', ARGV[5], id)
        end
        redis.call('HSET', KEYS[2], ARGV[1], ARGV[3])
        return 1
        """;

    /// <summary>How long a source waits before it tries an append again while Redis is away.</summary>
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(250);

    private readonly Lock _lock = new();
    private readonly Dictionary<string, string> _sourcePositions = new(StringComparer.Ordinal);
    private string _sourcePartition = ClusterOptions.DefaultPartition;
    private long _appendFailures;

    /// <summary>Appends that Redis refused or did not answer since start (HTTP answered 503; sources retried).</summary>
    public long AppendFailures => Interlocked.Read(ref _appendFailures);

    private IDatabase Database => connections.Redis.GetDatabase();

    /// <summary>
    /// Appends an HTTP batch to <paramref name="partition"/>'s stream, or gives the answer kept for
    /// its <paramref name="key"/>. Throws when Redis is away: the client is answered an error and
    /// sends the batch again, with the same key, so it is counted once.
    /// </summary>
    public async Task<AppendResult> AppendAsync(string partition, string source, ReadOnlyMemory<ContactEvent> events, string? key, string answer, TimeSpan keyLifetime)
    {
        RedisKey[] scriptKeys = key is null ? [keys.Stream(partition)] : [keys.Stream(partition), keys.Idempotency(partition, key)];
        RedisValue[] values =
        [
            events.IsEmpty ? RedisValue.EmptyString : EventCodec.Encode(events.Span),
            answer,
            Math.Max(1, (long)keyLifetime.TotalSeconds),
            source,
            keys.Appended(partition),
        ];
        try
        {
            var result = (RedisResult[])(await Database.ScriptEvaluateAsync(HttpAppend, scriptKeys, values).ConfigureAwait(false))!;
            return (int)result[0] == 1 ? new AppendResult(true, null) : new AppendResult(false, (string?)result[1]);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            Interlocked.Increment(ref _appendFailures);
            throw;
        }
    }

    /// <summary>This hub's sources feed <paramref name="partition"/>; their positions are read from its hash.</summary>
    public void UseSourcePartition(string partition) => _sourcePartition = partition;

    public async Task<Func<string, string?>> PositionsAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                var entries = await Database.HashGetAllAsync(keys.SourcePositions(_sourcePartition)).ConfigureAwait(false);
                lock (_lock)
                {
                    foreach (var entry in entries)
                    {
                        _sourcePositions[(string)entry.Name!] = (string)entry.Value!;
                    }

                    var saved = new Dictionary<string, string>(_sourcePositions, StringComparer.Ordinal);
                    return source => saved.GetValueOrDefault(source);
                }
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                Log.Waiting(logger, "reading the sources' positions", ex.Message);
                await Task.Delay(RetryDelay, time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Appends a followed file's batch and its new position together, retrying while Redis is away:
    /// the file waits on disk meanwhile. A retry after a lost reply finds the new position stored and
    /// appends nothing.
    /// </summary>
    public async ValueTask PublishAsync(IngestBatch batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var source = batch.Source ?? throw new ArgumentException("a source's batch names its source", nameof(batch));
        var after = batch.Position ?? string.Empty;
        string before;
        lock (_lock)
        {
            before = _sourcePositions.GetValueOrDefault(source) ?? string.Empty;
        }

        RedisKey[] scriptKeys = [keys.Stream(_sourcePartition), keys.SourcePositions(_sourcePartition)];
        RedisValue[] values = [source, before, after, batch.Count == 0 ? RedisValue.EmptyString : EventCodec.Encode(batch.Events), keys.Appended(_sourcePartition)];
        while (true)
        {
            try
            {
                await Database.ScriptEvaluateAsync(SourceAppend, scriptKeys, values).ConfigureAwait(false);
                break;
            }
            catch (Exception ex) when (ex is RedisConnectionException or RedisTimeoutException or TimeoutException)
            {
                Interlocked.Increment(ref _appendFailures);
                Log.Waiting(logger, "appending " + source, ex.Message);
                await Task.Delay(RetryDelay, time, cancellationToken).ConfigureAwait(false);
            }
        }

        lock (_lock)
        {
            _sourcePositions[source] = after;
        }

        batch.MarkApplied(0);
    }

    /// <summary>Up to <paramref name="count"/> entries of <paramref name="partition"/>'s stream after <paramref name="afterId"/> (from the start when null).</summary>
    public async Task<IReadOnlyList<StreamEntry>> ReadAsync(string partition, string? afterId, int count)
    {
        var entries = await Database.StreamRangeAsync(keys.Stream(partition), afterId is null ? "-" : "(" + afterId, "+", count).ConfigureAwait(false);
        var read = new List<StreamEntry>(entries.Length);
        foreach (var entry in entries)
        {
            var source = string.Empty;
            ReadOnlyMemory<byte> events = ReadOnlyMemory<byte>.Empty;
            foreach (var field in entry.Values)
            {
                if (field.Name == "s")
                {
                    source = (string?)field.Value ?? string.Empty;
                }
                else if (field.Name == "e")
                {
                    events = (byte[]?)field.Value ?? [];
                }
            }

            read.Add(new StreamEntry((string)entry.Id!, source, events));
        }

        return read;
    }

    /// <summary>
    /// Drops entries a checkpoint has passed, keeping <paramref name="retention"/> of them: a core
    /// that takes over replays from its checkpoint, never from before it.
    /// </summary>
    public async Task TrimAsync(string partition, string checkpointId, TimeSpan retention)
    {
        var retainedFrom = time.GetUtcNow().ToUnixTimeMilliseconds() - (long)retention.TotalMilliseconds;
        var checkpointMs = long.Parse(checkpointId.AsSpan(0, checkpointId.IndexOf('-', StringComparison.Ordinal) is var dash and > 0 ? dash : checkpointId.Length), NumberStyles.None, CultureInfo.InvariantCulture);
        var minimum = Math.Min(retainedFrom, checkpointMs);
        if (minimum > 0)
        {
            await Database.StreamTrimByMinIdAsync(keys.Stream(partition), minimum.ToString(CultureInfo.InvariantCulture) + "-0", useApproximateMaxLength: true).ConfigureAwait(false);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1501, Level = LogLevel.Warning, Message = "Redis is away ({Reason}) while {What}; trying again")]
        public static partial void Waiting(ILogger logger, string what, string reason);
    }
}
