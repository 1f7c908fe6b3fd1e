using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Wallboard.Hub.History;

/// <summary>
/// One SQL statement prepared on an open connection and run many times, its values bound by
/// position straight into the SQLite library Microsoft.Data.Sqlite loads (e_sqlite3).
/// </summary>
/// <remarks>
/// The history store's writes run one statement per point and per roll-up bucket. Through
/// <see cref="SqliteCommand"/> each run looked every parameter up by name
/// (<c>sqlite3_bind_parameter_index</c>) and boxed every value: three quarters of an import's write
/// time was spent there, not in SQLite (perf, 683,524 points). Through SQLitePCLRaw's <c>raw</c>
/// each of the 20 or so calls per row still went through its provider interface and took and released
/// the statement's <see cref="SafeHandle"/>; called directly they cost a few nanoseconds. The
/// statement is prepared and finalized through SQLitePCLRaw, whose handle this object keeps alive.
/// </remarks>
internal sealed unsafe partial class SqliteStatement : IDisposable
{
    private const string Library = "e_sqlite3";

    /// <summary><c>SQLITE_TRANSIENT</c>: SQLite copies a bound text before the call returns.</summary>
    private static readonly nint Transient = -1;

    private readonly sqlite3 _database;
    private readonly sqlite3_stmt _statement;
    private readonly nint _handle;

    /// <summary>What each parameter holds (by index): SQLite keeps a value bound across runs until another is bound.</summary>
    private readonly long[] _integers;
    private readonly string?[] _texts;
    private readonly bool[] _bound;

    public SqliteStatement(SqliteConnection connection, string sql)
    {
        ArgumentNullException.ThrowIfNull(connection);
        _database = connection.Handle ?? throw new InvalidOperationException("the connection is not open");
        Check(raw.sqlite3_prepare_v2(_database, sql, out _statement));
        _handle = _statement.DangerousGetHandle();
        var parameters = raw.sqlite3_bind_parameter_count(_statement) + 1;
        (_integers, _texts, _bound) = (new long[parameters], new string?[parameters], new bool[parameters]);
    }

    /// <summary>Binds the parameter at <paramref name="index"/> (the first is 1), unless it holds that value already.</summary>
    /// <remarks>
    /// A value already bound is not bound again: an import's rows bind about 15 million values, many of
    /// them the same as the row before (counters that stay 0, the id of a run of intervals), and each
    /// call released the old value and set the new one in SQLite.
    /// </remarks>
    public void Bind(int index, long value)
    {
        if (_bound[index] && _texts[index] is null && _integers[index] == value)
        {
            return;
        }

        _bound[index] = false;
        Check(BindInt64(_handle, index, value));
        (_integers[index], _texts[index], _bound[index]) = (value, null, true);
    }

    /// <inheritdoc cref="Bind(int, long)"/>
    public void Bind(int index, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (_bound[index] && ReferenceEquals(_texts[index], value))
        {
            return;
        }

        _bound[index] = false;
        fixed (char* text = value)
        {
            Check(BindText16(_handle, index, text, value.Length * sizeof(char), Transient));
        }

        (_texts[index], _bound[index]) = (value, true);
    }

    /// <summary>Runs a statement that returns no rows, and makes it ready to run again.</summary>
    public void Run()
    {
        var result = Step(_handle);
        _ = Reset(_handle);
        if (result != raw.SQLITE_DONE)
        {
            Check(result);
        }
    }

    /// <summary>Moves to the next row of a query: false (and ready to run again) after the last.</summary>
    public bool Read()
    {
        var result = Step(_handle);
        if (result == raw.SQLITE_ROW)
        {
            return true;
        }

        _ = Reset(_handle);
        if (result != raw.SQLITE_DONE)
        {
            Check(result);
        }

        return false;
    }

    /// <summary>The integer in <paramref name="column"/> of the current row (the first is 0).</summary>
    public long Int64(int column) => ColumnInt64(_handle, column);

    public void Dispose() => _statement.Dispose();

    private void Check(int result)
    {
        if (result != raw.SQLITE_OK)
        {
            SqliteException.ThrowExceptionForRC(result, _database);
        }
    }

    // Binding and reading a column neither block nor call back into .NET: no GC transition needed.
    [LibraryImport(Library, EntryPoint = "sqlite3_bind_int64")]
    [SuppressGCTransition]
    private static partial int BindInt64(nint statement, int index, long value);

    [LibraryImport(Library, EntryPoint = "sqlite3_bind_text16")]
    [SuppressGCTransition]
    private static partial int BindText16(nint statement, int index, char* text, int bytes, nint destructor);

    [LibraryImport(Library, EntryPoint = "sqlite3_column_int64")]
    [SuppressGCTransition]
    private static partial long ColumnInt64(nint statement, int column);

    [LibraryImport(Library, EntryPoint = "sqlite3_step")]
    private static partial int Step(nint statement);

    [LibraryImport(Library, EntryPoint = "sqlite3_reset")]
    private static partial int Reset(nint statement);
}
