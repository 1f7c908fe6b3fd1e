using System.Reflection;
using System.Text.Json;
using Apache.Arrow;
using Apache.Arrow.Ipc;
using Apache.Arrow.Types;

namespace Wallboard.Hub.History;

/// <summary>
/// Writes KPI rows as an Arrow IPC stream: one column per row property, named as in JSON and CSV
/// (snake_case), in the same order. Counters are int64, seconds float64, ratios nullable float64
/// (null when the denominator is 0), the id a UTF-8 string, and <c>interval_start</c> a
/// millisecond timestamp carrying the query's IANA zone, so readers show the local step start.
/// </summary>
internal static class HistoryArrow
{
    public const string ContentType = "application/vnd.apache.arrow.stream";

    public static async Task WriteAsync<TRow>(IReadOnlyList<TRow> rows, string zoneId, Stream output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var properties = typeof(TRow).GetProperties(BindingFlags.Public | BindingFlags.Instance);
        var fields = new List<Field>(properties.Length);
        var columns = new List<IArrowArray>(properties.Length);
        foreach (var property in properties)
        {
            var name = JsonNamingPolicy.SnakeCaseLower.ConvertName(property.Name);
            var (type, array) = Column(property, rows, zoneId);
            fields.Add(new Field(name, type, nullable: Nullable.GetUnderlyingType(property.PropertyType) is not null));
            columns.Add(array);
        }

        var schema = new Schema(fields, metadata: null);
        using var batch = new RecordBatch(schema, columns, rows.Count);
        using var writer = new ArrowStreamWriter(output, schema, leaveOpen: true);
        await writer.WriteRecordBatchAsync(batch, cancellationToken).ConfigureAwait(false);
        await writer.WriteEndAsync(cancellationToken).ConfigureAwait(false);
    }

    private static (IArrowType, IArrowArray) Column<TRow>(PropertyInfo property, IReadOnlyList<TRow> rows, string zoneId)
    {
        var type = property.PropertyType;
        if (type == typeof(string))
        {
            var builder = new StringArray.Builder();
            foreach (var row in rows)
            {
                builder.Append((string?)property.GetValue(row));
            }

            return (StringType.Default, builder.Build());
        }

        if (type == typeof(long))
        {
            var builder = new Int64Array.Builder();
            foreach (var row in rows)
            {
                builder.Append((long)property.GetValue(row)!);
            }

            return (Int64Type.Default, builder.Build());
        }

        if (type == typeof(double) || type == typeof(double?))
        {
            var builder = new DoubleArray.Builder();
            foreach (var row in rows)
            {
                if (property.GetValue(row) is double value)
                {
                    builder.Append(value);
                }
                else
                {
                    builder.AppendNull();
                }
            }

            return (DoubleType.Default, builder.Build());
        }

        if (type == typeof(DateTimeOffset?) || type == typeof(DateTimeOffset))
        {
            var timestampType = new TimestampType(TimeUnit.Millisecond, zoneId);
            var builder = new TimestampArray.Builder(timestampType);
            foreach (var row in rows)
            {
                if (property.GetValue(row) is DateTimeOffset value)
                {
                    builder.Append(value);
                }
                else
                {
                    builder.AppendNull();
                }
            }

            return (timestampType, builder.Build());
        }

        throw new NotSupportedException($"{typeof(TRow).Name}.{property.Name}: no Arrow mapping for {type.Name}");
    }
}
