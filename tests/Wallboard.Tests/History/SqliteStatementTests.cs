using Microsoft.Data.Sqlite;
using Wallboard.Hub.History;

namespace Wallboard.Tests.History;

/// <summary>A statement run many times, its values bound by position (<see cref="SqliteStatement"/>).</summary>
public sealed class SqliteStatementTests
{
    /// <summary>
    /// A value bound again unchanged is not sent to SQLite again, and the run still sees it (SQLite
    /// keeps bindings across runs); a changed value, or another type at the same place, is bound.
    /// </summary>
    [Fact]
    public void ValuesBoundAgainUnchangedAreKeptAndChangedOnesReplaced()
    {
        using var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        using var statement = new SqliteStatement(connection, "SELECT ?1, ?2 = 'x', typeof(?2) = 'integer', ?2 = 7");

        Assert.Equal((5L, 1L, 0L, 0L), Run(statement, 5, "x"));
        Assert.Equal((5L, 1L, 0L, 0L), Run(statement, 5, "x"));
        Assert.Equal((6L, 0L, 1L, 1L), Run(statement, 6, 7L));
        Assert.Equal((6L, 0L, 1L, 1L), Run(statement, 6, 7L));
        Assert.Equal((6L, 1L, 0L, 0L), Run(statement, 6, "x"));
        Assert.Equal((6L, 0L, 1L, 1L), Run(statement, 6, 7L));
        Assert.Equal((0L, 0L, 1L, 0L), Run(statement, 0, 0L));
    }

    private static (long, long, long, long) Run(SqliteStatement statement, long first, object second)
    {
        statement.Bind(1, first);
        if (second is string text)
        {
            statement.Bind(2, text);
        }
        else
        {
            statement.Bind(2, (long)second);
        }

        Assert.True(statement.Read());
        var row = (statement.Int64(0), statement.Int64(1), statement.Int64(2), statement.Int64(3));
        Assert.False(statement.Read());
        return row;
    }
}
