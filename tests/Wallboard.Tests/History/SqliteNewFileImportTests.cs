using Microsoft.Data.Sqlite;
using NodaTime;
using Wallboard.Hub.History;
using Wallboard.Metrics.Calendar;
using Wallboard.Metrics.Counters;
using Wallboard.Metrics.History;

namespace Wallboard.Tests.History;

/// <summary>An import into a SQLite file that does not exist yet (<see cref="SqliteNewFileImport"/>).</summary>
public sealed class SqliteNewFileImportTests : IDisposable
{
    /// <summary>2026-11-27 09:00 in Shanghai (01:00 UTC).</summary>
    private const long NineAm = 1795741200_000;

    private const long Q = HistoryPoint.IntervalMs;

    private static readonly DateTimeZone Shanghai = DateTimeZoneProviders.Tzdb["Asia/Shanghai"];
    private static readonly StoredRollups Rollups = StoredRollups.For([Shanghai]);

    private readonly string _folder = Directory.CreateTempSubdirectory("wallboard-new-file-import-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>
    /// Two batches (agent 1001 answered 2 calls at 09:00 and 3 at 09:15, then 09:15 rewritten
    /// to 4 and 09:30 added with 1) reach the path only when complete: a WAL file like the server's,
    /// whose intervals, Shanghai day (2 + 4 + 1 = 7 answered) and watermark a store opened on it reads,
    /// and no temporary file stays beside it.
    /// </summary>
    [Fact]
    public async Task TheFileAppearsOnlyWhenCompleteAsAWalFileWithTheRowsWritten()
    {
        var path = Path.Combine(_folder, "history.db");
        using (var import = SqliteNewFileImport.TryStart(path, Rollups))
        {
            Assert.NotNull(import);
            await import.Store.WriteAsync([Answered(NineAm, 2), Answered(NineAm + Q, 3)], null);
            await import.Store.WriteAsync([Answered(NineAm + Q, 4), Answered(NineAm + (2 * Q), 1)], NineAm + (3 * Q));
            Assert.False(File.Exists(path), "the path holds the history before the import is complete");
            import.Complete();
        }

        Assert.Equal(["history.db"], Directory.GetFiles(_folder).Select(Path.GetFileName));
        Assert.Equal("wal", JournalMode(path));
        using var store = new SqliteHistoryStore(path, Rollups);
        Assert.Equal([(NineAm, 2L), (NineAm + Q, 4L), (NineAm + (2 * Q), 1L)], (await store.QueryAsync(HistoryKind.Agents, null, 0, long.MaxValue)).Select(p => (p.IntervalStartMs, p.Values[0])));
        var (from, to) = HistoryRollup.AlignToSteps(NineAm, NineAm + 1, IntervalLength.Day, Shanghai);
        Assert.Equal([7L], (await store.QueryForStepsAsync(HistoryKind.Agents, null, from, to, IntervalLength.Day, Shanghai)).Select(p => p.Values[0]));
        Assert.Empty(store.IncompleteRollups);
        Assert.Equal(NineAm + (3 * Q), await store.GetWrittenUpToAsync());
    }

    /// <summary>While the import writes, its file is locked: no other connection reads a history still being written.</summary>
    [Fact]
    public async Task NoOtherConnectionReadsTheFileWhileItIsWritten()
    {
        using var import = SqliteNewFileImport.TryStart(Path.Combine(_folder, "history.db"), Rollups)!;
        await import.Store.WriteAsync([Answered(NineAm, 2)], null);

        using var other = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = import.Store.FilePath, Pooling = false }.ToString());
        other.Open();
        using var read = other.CreateCommand();
        read.CommandText = "SELECT count(*) FROM agent_interval";
        var refused = Assert.Throws<SqliteException>(() => read.ExecuteScalar());

        Assert.Equal(5, refused.SqliteErrorCode); // SQLITE_BUSY
    }

    /// <summary>An import that does not complete (it failed) leaves nothing: no file at the path, no temporary file.</summary>
    [Fact]
    public async Task AnImportNotCompletedLeavesNoFile()
    {
        var path = Path.Combine(_folder, "history.db");
        using (var import = SqliteNewFileImport.TryStart(path, Rollups)!)
        {
            await import.Store.WriteAsync([Answered(NineAm, 2)], null);
        }

        Assert.Empty(Directory.GetFiles(_folder));
    }

    /// <summary>A file already at the path (or only its WAL) is written in place, as the server writes it.</summary>
    [Fact]
    public void AFileAlreadyThereIsWrittenInPlace()
    {
        var path = Path.Combine(_folder, "history.db");
        File.WriteAllBytes(path + "-wal", []);
        Assert.Null(SqliteNewFileImport.TryStart(path, Rollups));

        File.Delete(path + "-wal");
        using (new SqliteHistoryStore(path, Rollups))
        {
        }

        Assert.Null(SqliteNewFileImport.TryStart(path, Rollups));
    }

    /// <summary>
    /// A file that appeared at the path while importing (a server started on it) is left as it is;
    /// the complete import stays in its temporary file, which the error names.
    /// </summary>
    [Fact]
    public async Task AFileThatAppearedMeanwhileIsNotReplaced()
    {
        var path = Path.Combine(_folder, "history.db");
        using var import = SqliteNewFileImport.TryStart(path, Rollups)!;
        await import.Store.WriteAsync([Answered(NineAm, 2)], null);
        using (var server = new SqliteHistoryStore(path, Rollups))
        {
            await server.WriteAsync([Answered(NineAm, 9)], null);
        }

        var refused = Assert.Throws<IOException>(import.Complete);

        var kept = Directory.GetFiles(_folder, "history.db.import-*.tmp").Single();
        Assert.Contains(kept, refused.Message, StringComparison.Ordinal);
        using var atPath = new SqliteHistoryStore(path, Rollups);
        Assert.Equal([9L], (await atPath.QueryAsync(HistoryKind.Agents, null, 0, long.MaxValue)).Select(p => p.Values[0]));
        using var imported = new SqliteHistoryStore(kept, Rollups);
        Assert.Equal([2L], (await imported.QueryAsync(HistoryKind.Agents, null, 0, long.MaxValue)).Select(p => p.Values[0]));
    }

    /// <summary>SQLite's threading mode is not changed in a process that already uses SQLite (this test host).</summary>
    [Fact]
    public void TheThreadingModeStaysOnceSqliteIsInUse()
    {
        using (var connection = new SqliteConnection("Data Source=:memory:"))
        {
            connection.Open();
        }

        Assert.False(SqliteThreading.TryMultiThread());
    }

    private static HistoryPoint Answered(long start, long answered) =>
        HistoryPoint.Agent("1001", start, new AgentCounters { Answered = answered });

    private static string JournalMode(string path)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode";
        return (string)command.ExecuteScalar()!;
    }
}
