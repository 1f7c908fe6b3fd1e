using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Wallboard.Hub.Cluster;

namespace Wallboard.LoadTest;

/// <summary>
/// The cluster the load runs on with <c>--hubs</c>: a new database on the given PostgreSQL server
/// (dropped at the end) and a cluster name of its own on the given Redis, one partition.
/// </summary>
internal sealed class LoadCluster : IAsyncDisposable
{
    private readonly string _server;
    private readonly string _redis;
    private readonly string _name = "load" + Guid.NewGuid().ToString("N")[..8];

    private LoadCluster(string server, string database, string redis)
    {
        _server = server;
        _redis = redis;
        Database = database;
    }

    /// <summary>The connection string of the run's database.</summary>
    public string Database { get; }

    public static async Task<LoadCluster> CreateAsync(string redis, string postgreSql)
    {
        var name = "wallboard_load_" + Guid.NewGuid().ToString("N");
        await using (var connection = new NpgsqlConnection(postgreSql))
        {
            await connection.OpenAsync().ConfigureAwait(false);
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await create.ExecuteNonQueryAsync().ConfigureAwait(false);
        }

        return new LoadCluster(postgreSql, new NpgsqlConnectionStringBuilder(postgreSql) { Database = name }.ConnectionString, redis);
    }

    public IEnumerable<string> Arguments(int hub) =>
    [
        "--Cluster:Name=" + _name,
        "--Cluster:Node=hub" + hub.ToString(CultureInfo.InvariantCulture),
        "--Cluster:Redis=" + _redis,
        "--Cluster:PostgreSql=" + Database,
    ];

    /// <summary>Waits (up to 30 s) until a hub runs the partition's core and one pushes the screens.</summary>
    public static async Task WaitReadyAsync(IReadOnlyList<WebApplication> hubs)
    {
        var deadline = Stopwatch.GetTimestamp() + (30 * Stopwatch.Frequency);
        while (!hubs.Select(Health).Any(health => health.Running.Count > 0) || !hubs.Select(Health).Any(health => health.PushesScreens))
        {
            if (Stopwatch.GetTimestamp() > deadline)
            {
                throw new TimeoutException("no hub took the partition's core or the screens within 30 s");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50), TimeProvider.System).ConfigureAwait(false);
        }
    }

    public static long EventsApplied(IReadOnlyList<WebApplication> hubs) =>
        hubs.Select(Health).SelectMany(health => health.Running).Sum(running => running.EventsApplied);

    public async ValueTask DisposeAsync()
    {
        var name = new NpgsqlConnectionStringBuilder(Database).Database;
        await using var connection = new NpgsqlConnection(_server);
        await connection.OpenAsync().ConfigureAwait(false);
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync().ConfigureAwait(false);
    }

    private static ClusterHealth Health(WebApplication hub) => hub.Services.GetRequiredService<ClusterNode>().Health;
}
