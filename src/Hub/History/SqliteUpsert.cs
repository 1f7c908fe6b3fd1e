using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;

namespace Wallboard.Hub.History;

/// <summary>
/// Inserts or replaces rows of one history table (an interval or roll-up table: optionally a roll-up
/// number, the id, the start, the kind's fields), <see cref="RowsPerStatement"/> rows per statement
/// run. <see cref="Flush"/> writes the rows still held.
/// </summary>
/// <remarks>
/// Each run of a statement costs SQLite its setup, whatever the rows: 16 rows a run took the writes
/// of an import's 683,524 points from 1.69 to 1.38–1.42 s of CPU, roll-ups included (ImportPhases,
/// three rounds each); 64 measured 1.31–1.40, within the noise.
/// </remarks>
internal sealed class SqliteUpsert : IDisposable
{
    private const int RowsPerStatement = 32;

    private readonly SqliteStatement _many;
    private readonly SqliteStatement _one;
    private readonly bool _numbered;
    private readonly int _fields;
    private readonly long[] _rollups = new long[RowsPerStatement];
    private readonly string?[] _ids = new string?[RowsPerStatement];
    private readonly long[] _starts = new long[RowsPerStatement];
    private readonly long[] _values;
    private int _count;

    /// <param name="connection">The connection of the write's transaction.</param>
    /// <param name="table">The table.</param>
    /// <param name="idColumn">The id's column (<c>queue</c>, <c>agent</c>, <c>campaign</c>).</param>
    /// <param name="startColumn">The start's column.</param>
    /// <param name="fields">The kind's fields, in order.</param>
    /// <param name="rollupColumn">The roll-up number's column of a roll-up table, or null.</param>
    public SqliteUpsert(SqliteConnection connection, string table, string idColumn, string startColumn, IReadOnlyList<string> fields, string? rollupColumn = null)
    {
        ArgumentNullException.ThrowIfNull(fields);
        _numbered = rollupColumn is not null;
        string[] keys = rollupColumn is null ? [idColumn, startColumn] : [rollupColumn, idColumn, startColumn];
        _fields = fields.Count;
        _values = new long[RowsPerStatement * _fields];
        _many = new SqliteStatement(connection, Sql(table, keys, fields, RowsPerStatement));
        _one = new SqliteStatement(connection, Sql(table, keys, fields, 1));
    }

    /// <summary>Holds a row, writing the rows held once there are enough for a statement.</summary>
    /// <param name="rollup">The roll-up number (ignored for an interval table).</param>
    /// <param name="id">The id.</param>
    /// <param name="start">The interval or bucket start.</param>
    /// <param name="values">The fields' values (copied).</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Add(long rollup, string id, long start, ReadOnlySpan<long> values)
    {
        _rollups[_count] = rollup;
        _ids[_count] = id;
        _starts[_count] = start;
        values.CopyTo(_values.AsSpan(_count * _fields, _fields));
        _count++;
        if (_count == RowsPerStatement)
        {
            Write(_many, 0, RowsPerStatement);
            _count = 0;
        }
    }

    /// <summary>Writes the rows still held.</summary>
    public void Flush()
    {
        for (var row = 0; row < _count; row++)
        {
            Write(_one, row, 1);
        }

        _count = 0;
    }

    public void Dispose()
    {
        _many.Dispose();
        _one.Dispose();
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Write(SqliteStatement statement, int first, int rows)
    {
        var parameter = 1;
        for (var row = first; row < first + rows; row++)
        {
            if (_numbered)
            {
                statement.Bind(parameter++, _rollups[row]);
            }

            statement.Bind(parameter++, _ids[row]!);
            statement.Bind(parameter++, _starts[row]);
            foreach (var value in _values.AsSpan(row * _fields, _fields))
            {
                statement.Bind(parameter++, value);
            }

            _ids[row] = null;
        }

        statement.Run();
    }

    /// <summary><c>INSERT … VALUES (…), (…) ON CONFLICT (keys) DO UPDATE</c> of every field, the values numbered ?1, ?2 … row by row.</summary>
    private static string Sql(string table, string[] keys, IReadOnlyList<string> fields, int rows)
    {
        var columns = keys.Concat(fields).ToList();
        var values = string.Join(", ", Enumerable.Range(0, rows).Select(row =>
            "(" + string.Join(", ", columns.Select((_, i) => "?" + ((row * columns.Count) + i + 1).ToString(CultureInfo.InvariantCulture))) + ")"));
        var updates = string.Join(", ", fields.Select(field => $"{field} = excluded.{field}"));
        return $"INSERT INTO {table} ({string.Join(", ", columns)}) VALUES {values} ON CONFLICT({string.Join(", ", keys)}) DO UPDATE SET {updates}";
    }
}
