using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using Wallboard.Hub.Live.Screens;

namespace Wallboard.Hub.Cluster;

/// <summary>A broadcast added or removed on one hub, as the others are told of it.</summary>
internal sealed record BroadcastChange(string Node, SupervisorBroadcast? Added, string? Removed);

/// <summary>
/// Supervisors' broadcasts shared by the hubs of a cluster: one posted to (or deleted on) any hub
/// is kept in Redis and told to the others, so the hub that pushes the screens shows it whichever
/// hub the supervisor used, and a hub that starts later knows those in force.
/// </summary>
/// <remarks>
/// While Redis is away a broadcast stays on the hub it was posted to and is not shared; it is
/// short-lived by nature (minutes), so it is not retried.
/// </remarks>
internal sealed partial class ClusterBroadcasts(
    ClusterConnections connections,
    ClusterKeys keys,
    BroadcastStore store,
    IOptions<ClusterOptions> options,
    TimeProvider time,
    ILogger<ClusterBroadcasts> logger) : IHostedService
{
    private readonly string _node = options.Value.NodeName;
    private ChannelMessageQueue? _changes;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        store.Added += Share;
        store.Removed += Unshare;

        // Subscribed first, then the stored ones read: a change in between is not missed. Without
        // Redis at start the subscription fails and so does the start (the service manager starts it again).
        _changes = await connections.Redis.GetSubscriber().SubscribeAsync(RedisChannel.Literal(keys.BroadcastChanges)).ConfigureAwait(false);
        _changes.OnMessage(message => Apply((byte[]?)message.Message));
        try
        {
            var now = time.GetUtcNow();
            foreach (var entry in await connections.Redis.GetDatabase().HashGetAllAsync(keys.Broadcasts).ConfigureAwait(false))
            {
                if (Read((byte[]?)entry.Value)?.Added is { } broadcast && broadcast.Expires > now)
                {
                    store.Take(broadcast);
                }
            }
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            Log.NotShared(logger, ex.Message);
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        store.Added -= Share;
        store.Removed -= Unshare;
        if (_changes is not null)
        {
            await _changes.UnsubscribeAsync().ConfigureAwait(false);
        }
    }

    private void Share(SupervisorBroadcast broadcast) =>
        _ = SendAsync(new BroadcastChange(_node, broadcast, null), database => database.HashSetAsync(keys.Broadcasts, broadcast.Id, Bytes(new BroadcastChange(_node, broadcast, null))));

    private void Unshare(string id) =>
        _ = SendAsync(new BroadcastChange(_node, null, id), database => database.HashDeleteAsync(keys.Broadcasts, id));

    private async Task SendAsync(BroadcastChange change, Func<IDatabase, Task> keep)
    {
        try
        {
            var database = connections.Redis.GetDatabase();
            await keep(database).ConfigureAwait(false);
            await database.PublishAsync(RedisChannel.Literal(keys.BroadcastChanges), Bytes(change)).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            Log.NotShared(logger, ex.Message);
        }
    }

    private void Apply(byte[]? bytes)
    {
        if (Read(bytes) is not { } change || change.Node == _node)
        {
            return;
        }

        if (change.Added is { } broadcast)
        {
            store.Take(broadcast);
        }
        else if (change.Removed is { } id)
        {
            store.Forget(id);
        }
    }

    private static byte[] Bytes(BroadcastChange change) => JsonSerializer.SerializeToUtf8Bytes(change, BroadcastJson.Default.BroadcastChange);

    private BroadcastChange? Read(byte[]? bytes)
    {
        try
        {
            return bytes is null ? null : JsonSerializer.Deserialize(bytes, BroadcastJson.Default.BroadcastChange);
        }
        catch (JsonException ex)
        {
            Log.NotShared(logger, ex.Message);
            return null;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1540, Level = LogLevel.Warning, Message = "A supervisor's broadcast could not be shared with the other hubs: {Reason}")]
        public static partial void NotShared(ILogger logger, string reason);
    }
}

[JsonSerializable(typeof(BroadcastChange))]
internal sealed partial class BroadcastJson : JsonSerializerContext;
