using Npgsql;

namespace Wallboard.Hub.Cluster;

/// <summary>
/// A PostgreSQL session that holds a session-scoped advisory lock: while it is open, this hub is the
/// one that runs what the lock guards (a partition's core, the screens' pushes). A hub that dies
/// loses its connection and with it the lock, and another hub takes it at its next try.
/// </summary>
/// <remarks>
/// Whatever must be done only by the holder goes through <see cref="RunAsync{T}"/> on this very
/// session: a checkpoint saved there cannot be saved once the lock is gone (the session is gone
/// too), so a hub that lost its lock without knowing it — paused, cut off — never overwrites the
/// checkpoint of the hub that took over. Any failure of the session counts as the lock lost.
/// </remarks>
internal sealed class LockSession : IAsyncDisposable
{
    private readonly NpgsqlConnection _connection;
    private readonly long _key;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly CancellationTokenSource _lost = new();

    private LockSession(NpgsqlConnection connection, long key)
    {
        _connection = connection;
        _key = key;
    }

    /// <summary>Cancelled when the session fails: the lock may be someone else's now.</summary>
    public CancellationToken Lost => _lost.Token;

    public bool IsLost => _lost.IsCancellationRequested;

    /// <summary>The lock's session, or null when another session holds it.</summary>
    public static async Task<LockSession?> TryAcquireAsync(NpgsqlDataSource sessions, long key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sessions);
        var connection = await sessions.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var command = new NpgsqlCommand("SELECT pg_try_advisory_lock(@key)", connection);
            command.Parameters.AddWithValue("key", key);
            if (await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is true)
            {
                return new LockSession(connection, key);
            }
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        await connection.DisposeAsync().ConfigureAwait(false);
        return null;
    }

    /// <summary>Runs <paramref name="work"/> on the lock's session, one at a time; a failure of the session marks the lock lost.</summary>
    public async Task<T> RunAsync<T>(Func<NpgsqlConnection, Task<T>> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        ObjectDisposedException.ThrowIf(IsLost, this);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await work(_connection).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or InvalidOperationException)
        {
            await _lost.CancelAsync().ConfigureAwait(false);
            throw;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Whether the session still answers (and so still holds the lock); false marks it lost.</summary>
    public async Task<bool> CheckAsync(CancellationToken cancellationToken)
    {
        if (IsLost)
        {
            return false;
        }

        try
        {
            return await RunAsync(
                async connection =>
                {
                    await using var command = new NpgsqlCommand("SELECT 1", connection);
                    return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is 1;
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or InvalidOperationException or ObjectDisposedException)
        {
            return false;
        }
    }

    /// <summary>Releases the lock (when the session still holds it) and closes the session.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!IsLost)
        {
            try
            {
                await RunAsync(
                    async connection =>
                    {
                        await using var command = new NpgsqlCommand("SELECT pg_advisory_unlock(@key)", connection);
                        command.Parameters.AddWithValue("key", _key);
                        return await command.ExecuteScalarAsync(CancellationToken.None).ConfigureAwait(false);
                    },
                    CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException or InvalidOperationException)
            {
                // Closing the session below releases it anyway.
            }
        }

        await _lost.CancelAsync().ConfigureAwait(false);
        await _connection.DisposeAsync().ConfigureAwait(false);
        _gate.Dispose();
        _lost.Dispose();
    }
}
