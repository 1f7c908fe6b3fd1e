using Wallboard.Metrics.History;

namespace Wallboard.Hub.History;

/// <summary>
/// <c>wallboard import</c> into a SQLite file that does not exist yet: the history is written to a
/// temporary file beside the path, without a journal or syncs (<see cref="SqliteHistoryStore.ForBulkImport"/>),
/// and only once complete is it made a WAL file, synced to disk and moved to the path. So the path
/// holds a whole import or nothing: a crash or power cut part-way leaves at most a temporary file
/// (<c>history.db.import-….tmp</c>), never a damaged history file, and a failed import removes it.
/// </summary>
/// <remarks>
/// A file that exists (the server's, a history already imported) is written as always, batch by
/// batch in WAL transactions synced at each commit, since others may read and write it meanwhile.
/// </remarks>
internal sealed class SqliteNewFileImport : IDisposable
{
    private readonly string _path;
    private readonly string _temporary;
    private bool _done;

    private SqliteNewFileImport(string path, StoredRollups rollups)
    {
        _path = path;
        _temporary = Path.Combine(Path.GetDirectoryName(path)!, $"{Path.GetFileName(path)}.import-{Guid.NewGuid():N}.tmp");
        Store = SqliteHistoryStore.ForBulkImport(_temporary, rollups);
    }

    /// <summary>The store to import into (writing the temporary file).</summary>
    public SqliteHistoryStore Store { get; }

    /// <summary>An import into <paramref name="path"/> when no file (nor its WAL) is there; null when one is, to be written in place.</summary>
    public static SqliteNewFileImport? TryStart(string path, StoredRollups rollups)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(rollups);
        var full = Path.GetFullPath(path);
        return File.Exists(full) || File.Exists(full + "-wal") ? null : new SqliteNewFileImport(full, rollups);
    }

    /// <summary>After the last write: the file made a WAL file, synced, and moved to the path.</summary>
    /// <exception cref="IOException">A file appeared at the path meanwhile (it is left as it is, and so is the import's, named in the message).</exception>
    public void Complete()
    {
        ObjectDisposedException.ThrowIf(_done, this);
        Store.EndBulkImport();
        Store.Dispose();
        using (var file = new FileStream(_temporary, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite))
        {
            file.Flush(flushToDisk: true);
        }

        try
        {
            // Never over a file that appeared meanwhile (a server started on the same path).
            File.Move(_temporary, _path, overwrite: false);
        }
        catch (IOException ex)
        {
            _done = true;
            throw new IOException($"{_path} appeared while importing into it; the import is complete in {_temporary} (move it there once nothing uses that path): {ex.Message}", ex);
        }

        _done = true;
    }

    /// <summary>Without <see cref="Complete"/> (a failed import): the temporary file is removed.</summary>
    public void Dispose()
    {
        if (_done)
        {
            return;
        }

        _done = true;
        Store.Dispose();
        File.Delete(_temporary);
    }
}
