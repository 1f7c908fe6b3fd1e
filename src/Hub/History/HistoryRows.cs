using System.Data.Common;
using Wallboard.Metrics.History;

namespace Wallboard.Hub.History;

/// <summary>The SQL history stores' rows (SQLite, PostgreSQL) read back as points.</summary>
internal static class HistoryRows
{
    /// <summary>
    /// The points of <paramref name="reader"/>'s rows, each the id, the interval start and then the
    /// kind's fields in <see cref="HistorySchema"/> order.
    /// </summary>
    public static async Task<List<HistoryPoint>> ReadAsync(DbDataReader reader, HistoryKind kind, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var count = HistorySchema.Fields(kind).Count;
        var points = new List<HistoryPoint>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var values = new long[count];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = reader.GetInt64(i + 2);
            }

            points.Add(new HistoryPoint(kind, reader.GetString(0), reader.GetInt64(1), values));
        }

        return points;
    }
}
