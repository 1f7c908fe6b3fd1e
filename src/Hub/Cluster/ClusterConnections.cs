using Microsoft.Extensions.Options;
using Npgsql;
using StackExchange.Redis;

namespace Wallboard.Hub.Cluster;

/// <summary>
/// The hub's connections to the cluster's servers: one Redis multiplexer for the streams and the
/// figures (the SignalR backplane has its own), a pooled PostgreSQL data source for queries, and an
/// unpooled one for the sessions that hold advisory locks.
/// </summary>
/// <remarks>
/// Redis commands fail at once while the connection is down (<see cref="BacklogPolicy.FailFast"/>):
/// an HTTP client is then answered an error and sends again, instead of a request left waiting for
/// a server that may not come back. The multiplexer reconnects by itself every half second.
/// A lock's session is unpooled and keeps itself alive both ways: a pooled connection returned to
/// the pool would keep its session's locks, and a hub whose host dies must lose them in seconds,
/// not at the kernel's two-hour default — so the session asks the server for keepalives of its own
/// (<c>tcp_keepalives_*</c>, settable per session), and the hub sends its own.
/// </remarks>
internal sealed class ClusterConnections : IAsyncDisposable
{
    /// <summary>
    /// The longest a command on a lock's session may take: a hub cut off from PostgreSQL learns it
    /// (and stops the cores it ran) within <c>Cluster:LockPollSeconds</c> and this, not at the
    /// default 30 s.
    /// </summary>
    public const int SessionCommandSeconds = 10;

    private readonly Lazy<ConnectionMultiplexer> _redis;

    public ClusterConnections(IOptions<ClusterOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var cluster = options.Value;
        RedisOptions = RedisConfiguration(cluster.Redis!, cluster.NodeName);
        _redis = new Lazy<ConnectionMultiplexer>(() => ConnectionMultiplexer.Connect(RedisOptions), LazyThreadSafetyMode.ExecutionAndPublication);
        var builder = new NpgsqlConnectionStringBuilder(cluster.PostgreSql) { ApplicationName = "wallboard " + cluster.NodeName };
        Data = NpgsqlDataSource.Create(builder.ConnectionString);
        builder.Pooling = false;
        builder.KeepAlive = builder.KeepAlive == 0 ? 5 : builder.KeepAlive;
        builder.TcpKeepAlive = true;
        builder.TcpKeepAliveTime = builder.TcpKeepAliveTime == 0 ? 5 : builder.TcpKeepAliveTime;
        builder.TcpKeepAliveInterval = builder.TcpKeepAliveInterval == 0 ? 2 : builder.TcpKeepAliveInterval;
        builder.CommandTimeout = Math.Min(builder.CommandTimeout, SessionCommandSeconds);
        // The server's side of a lock's session: PostgreSQL drops the session of a host that died
        // (and with it the lock) after 3 + 3 × 1 s of silence, instead of the kernel's two hours.
        builder.Options = string.IsNullOrWhiteSpace(builder.Options)
            ? "-c tcp_keepalives_idle=3 -c tcp_keepalives_interval=1 -c tcp_keepalives_count=3"
            : builder.Options;
        Sessions = NpgsqlDataSource.Create(builder.ConnectionString);
    }

    /// <summary>Redis, connected on first use (its commands fail fast while it is down).</summary>
    public ConnectionMultiplexer Redis => _redis.Value;

    public ConfigurationOptions RedisOptions { get; }

    /// <summary>Pooled connections for queries (history, checkpoints loaded, the report ledger).</summary>
    public NpgsqlDataSource Data { get; }

    /// <summary>Unpooled connections for the sessions that hold advisory locks.</summary>
    public NpgsqlDataSource Sessions { get; }

    /// <summary>The hub's Redis settings: fail fast while disconnected, reconnect quickly.</summary>
    public static ConfigurationOptions RedisConfiguration(string configuration, string node)
    {
        var options = ConfigurationOptions.Parse(configuration);
        options.AbortOnConnectFail = false;
        options.BacklogPolicy = BacklogPolicy.FailFast;
        options.ReconnectRetryPolicy = new LinearRetry(500);
        options.ConnectTimeout = Math.Min(options.ConnectTimeout, 2_000);
        options.AsyncTimeout = Math.Min(options.AsyncTimeout, 5_000);
        options.SyncTimeout = Math.Min(options.SyncTimeout, 5_000);
        options.KeepAlive = options.KeepAlive <= 0 ? 5 : Math.Min(options.KeepAlive, 5);
        options.ClientName ??= "wallboard-" + string.Concat(node.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-'));
        return options;
    }

    public async ValueTask DisposeAsync()
    {
        if (_redis.IsValueCreated)
        {
            await _redis.Value.DisposeAsync().ConfigureAwait(false);
        }

        await Data.DisposeAsync().ConfigureAwait(false);
        await Sessions.DisposeAsync().ConfigureAwait(false);
    }
}
