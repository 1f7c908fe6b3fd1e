using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using Npgsql;

namespace Wallboard.Tests.Cluster;

/// <summary>
/// A private <c>redis-server</c> (Debian's Redis 7) on a free port of 127.0.0.1, its append-only
/// file fsynced at every write in a temporary folder: what docs/cluster.md asks of a production
/// Redis. It can be stopped hard and started again on the same port and data (the restart test).
/// </summary>
internal sealed class RedisServer : IAsyncDisposable
{
    public const string Binary = "/usr/bin/redis-server";

    private readonly string _folder;
    private Process? _process;

    private RedisServer(string folder, int port)
    {
        _folder = folder;
        Port = port;
    }

    public int Port { get; }

    /// <summary>A StackExchange.Redis configuration string for this server.</summary>
    public string Configuration => "127.0.0.1:" + Port.ToString(CultureInfo.InvariantCulture);

    public static async Task<RedisServer> StartAsync()
    {
        if (!File.Exists(Binary))
        {
            throw new InvalidOperationException(
                $"Redis is needed by the cluster tests: set WALLBOARD_TEST_REDIS to a running server (host:port), or install it (apt-get install -y redis-server) so that {Binary} exists.");
        }

        var server = new RedisServer(Directory.CreateTempSubdirectory("wallboard-redis-").FullName, ExternalProcess.FreePort());
        await server.StartAgainAsync();
        return server;
    }

    /// <summary>Starts redis-server (again, on the same port and data) and waits until it answers PING.</summary>
    public async Task StartAgainAsync()
    {
        _process = ExternalProcess.StartServer(
            Binary,
            [
                "--bind", "127.0.0.1", "--port", Port.ToString(CultureInfo.InvariantCulture), "--dir", _folder,
                "--appendonly", "yes", "--appendfsync", "always", "--save", string.Empty, "--daemonize", "no",
            ]);
        await WaitForPingAsync(Configuration, _process);
    }

    /// <summary>Stops redis-server hard (SIGKILL), as a crash would: what it acknowledged is in its fsynced append-only file.</summary>
    public async Task KillAsync()
    {
        await ExternalProcess.KillAsync(_process);
        _process = null;
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        Directory.Delete(_folder, recursive: true);
    }

    /// <summary>Polls with PING for up to 30 s: a wait on an external process, not on time.</summary>
    public static async Task WaitForPingAsync(string configuration, Process? process = null)
    {
        var colon = configuration.LastIndexOf(':');
        var (host, port) = (configuration[..colon], int.Parse(configuration[(colon + 1)..], CultureInfo.InvariantCulture));
        for (var attempt = 0; attempt < 300; attempt++)
        {
            if (process is { HasExited: true })
            {
                throw new InvalidOperationException($"redis-server exited with code {process.ExitCode} before answering PING");
            }

            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(host, port);
                var stream = client.GetStream();
                await stream.WriteAsync("PING\r\n"u8.ToArray());
                var reply = new byte[7];
                var read = await stream.ReadAsync(reply);
                if (read >= 5 && reply.AsSpan(0, 5).SequenceEqual("+PONG"u8))
                {
                    return;
                }
            }
            catch (SocketException)
            {
            }
            catch (IOException)
            {
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), TimeProvider.System);
        }

        throw new InvalidOperationException($"Redis at {configuration} did not answer PING within 30 s");
    }
}

/// <summary>
/// A private PostgreSQL (Debian's postgresql, <c>initdb</c> into a temporary folder, as the
/// <c>postgres</c> user when run as root) on a free port of 127.0.0.1, local connections trusted.
/// </summary>
internal sealed class PostgreSqlServer : IAsyncDisposable
{
    private readonly string _folder;
    private readonly Process _process;

    private PostgreSqlServer(string folder, Process process, int port)
    {
        _folder = folder;
        _process = process;
        ConnectionString = string.Create(CultureInfo.InvariantCulture, $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres");
    }

    public string ConnectionString { get; }

    public static async Task<PostgreSqlServer> StartAsync()
    {
        var bin = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(version => Path.Combine(version, "bin")).FirstOrDefault(path => File.Exists(Path.Combine(path, "initdb")))
            : null;
        if (bin is null)
        {
            throw new InvalidOperationException(
                "PostgreSQL is needed by the cluster tests: set WALLBOARD_TEST_POSTGRESQL to an Npgsql connection string of a running server, or install it (apt-get install -y postgresql) so that /usr/lib/postgresql/*/bin/initdb exists.");
        }

        var folder = Directory.CreateTempSubdirectory("wallboard-postgresql-").FullName;
        var root = Environment.UserName == "root";
        string[] asPostgres = root ? ["runuser", "-u", "postgres", "--"] : [];
        if (root)
        {
            var (chown, chownOutput) = await ExternalProcess.RunAsync("chown", ["postgres", folder], TimeSpan.FromSeconds(10));
            Assert.True(chown == 0, chownOutput);
        }

        string[] initdb = [.. asPostgres, Path.Combine(bin, "initdb"), "-D", Path.Combine(folder, "data"), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"];
        var (exit, output) = await ExternalProcess.RunAsync(initdb[0], initdb[1..], TimeSpan.FromSeconds(120));
        if (exit != 0)
        {
            throw new InvalidOperationException("initdb failed: " + output);
        }

        var port = ExternalProcess.FreePort();
        string[] postgres = [.. asPostgres, Path.Combine(bin, "postgres"), "-D", Path.Combine(folder, "data"), "-p", port.ToString(CultureInfo.InvariantCulture), "-k", folder, "-c", "listen_addresses=127.0.0.1", "-c", "max_connections=300"];
        var process = ExternalProcess.StartServer(postgres[0], postgres[1..]);
        var server = new PostgreSqlServer(folder, process, port);
        await WaitForConnectionAsync(server.ConnectionString, process);
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            // runuser passes SIGTERM on to postgres: a smart shutdown.
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    /// <summary>Tries to connect for up to 30 s.</summary>
    public static async Task WaitForConnectionAsync(string connectionString, Process? process = null)
    {
        for (var attempt = 0; attempt < 300; attempt++)
        {
            if (process is { HasExited: true })
            {
                throw new InvalidOperationException($"postgres exited with code {process.ExitCode} before accepting connections");
            }

            try
            {
                await using var connection = new NpgsqlConnection(connectionString);
                await connection.OpenAsync();
                return;
            }
            catch (NpgsqlException)
            {
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), TimeProvider.System);
        }

        throw new InvalidOperationException("PostgreSQL did not accept connections within 30 s");
    }
}

/// <summary>
/// The Redis and PostgreSQL the cluster tests share: <c>WALLBOARD_TEST_REDIS</c> and
/// <c>WALLBOARD_TEST_POSTGRESQL</c> when set (.ci/run starts both), else private servers. Without
/// either the tests fail, never skip. Each test takes a database of its own and a cluster name of
/// its own (the prefix of its Redis keys), so tests never see each other's data.
/// </summary>
public sealed class ClusterServersFixture : IAsyncLifetime
{
    private readonly Lazy<Task<string>> _shared;
    private RedisServer? _redis;
    private PostgreSqlServer? _postgreSql;

    public ClusterServersFixture() => _shared = new(CreateDatabaseAsync);

    public string Redis { get; private set; } = string.Empty;

    /// <summary>A connection string to the server's <c>postgres</c> database.</summary>
    public string PostgreSql { get; private set; } = string.Empty;

    public async Task InitializeAsync()
    {
        Redis = Environment.GetEnvironmentVariable("WALLBOARD_TEST_REDIS") ?? string.Empty;
        PostgreSql = Environment.GetEnvironmentVariable("WALLBOARD_TEST_POSTGRESQL") ?? string.Empty;
        _redis = Redis.Length == 0 ? await RedisServer.StartAsync() : null;
        _postgreSql = PostgreSql.Length == 0 ? await PostgreSqlServer.StartAsync() : null;
        Redis = _redis?.Configuration ?? Redis;
        PostgreSql = _postgreSql?.ConnectionString ?? PostgreSql;
        await RedisServer.WaitForPingAsync(Redis);
        await PostgreSqlServer.WaitForConnectionAsync(PostgreSql);
    }

    /// <summary>Makes a new, empty database; returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = "wallboard_test_" + Guid.NewGuid().ToString("N");
        await using (var connection = new NpgsqlConnection(PostgreSql))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await create.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(PostgreSql) { Database = name }.ConnectionString;
    }

    /// <summary>One database for the tests that keep apart by schema (the history store's contract tests), made on first use.</summary>
    public Task<string> SharedDatabaseAsync() => _shared.Value;

    /// <summary>Drops a database made by <see cref="CreateDatabaseAsync"/>, closing what is still connected to it.</summary>
    public async Task DropDatabaseAsync(string connectionString)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database;
        await using var connection = new NpgsqlConnection(PostgreSql);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }

    /// <summary>A cluster name no other test uses (the prefix of its Redis keys and channels).</summary>
    public static string NewClusterName() => "t" + Guid.NewGuid().ToString("N")[..12];

    public async Task DisposeAsync()
    {
        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }

        if (_postgreSql is not null)
        {
            await _postgreSql.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class ClusterGroup : ICollectionFixture<ClusterServersFixture>
{
    public const string Name = "Cluster (Redis and PostgreSQL)";
}
