using SQLitePCL;

namespace Wallboard.Hub.History;

/// <summary>SQLite's threading mode for a process whose connections are each used by one thread at a time.</summary>
internal static class SqliteThreading
{
    /// <summary><c>SQLITE_CONFIG_MULTITHREAD</c> from sqlite3.h.</summary>
    private const int MultiThread = 2;

    /// <summary>
    /// Puts SQLite in multi-thread mode (no mutex taken by each call on a connection or statement) if
    /// nothing in the process has used SQLite yet; otherwise changes nothing (SQLite refuses a change
    /// of mode once initialised, so a process already using it — a test host, the server — keeps the
    /// serialized mode its connections may rely on).
    /// </summary>
    /// <returns>Whether the mode was set.</returns>
    /// <remarks>
    /// For <c>wallboard import</c>, a process of its own whose history connections are used by one
    /// thread at a time (Microsoft.Data.Sqlite's contract; the store serializes its writes). Its writes
    /// bind about 15 million values, and each bind took and released the connection's mutex: 4 % of
    /// the import's CPU samples, 0.1 s for the 200 MB file.
    /// </remarks>
    public static bool TryMultiThread()
    {
        // Loads and registers the native library Microsoft.Data.Sqlite uses, without initialising SQLite.
        Batteries_V2.Init();
        return raw.sqlite3_config(MultiThread) == raw.SQLITE_OK;
    }
}
