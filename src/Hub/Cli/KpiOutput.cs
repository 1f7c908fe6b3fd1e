using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.Json;
using nietras.SeparatedValues;

namespace Wallboard.Hub.Cli;

/// <summary>Output formats of <c>wallboard kpi</c>.</summary>
internal enum KpiFormat
{
    Json,
    Csv,
    Table,
}

/// <summary>
/// Writes KPI rows as JSON, CSV or an aligned table. The column names and their order come from
/// one place, the row types serialized with snake_case names, so the three formats never disagree.
/// </summary>
internal static class KpiOutput
{
    public static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
    };

    public static void Write<TRow>(IReadOnlyList<TRow> rows, KpiFormat format, TextWriter output)
    {
        switch (format)
        {
            case KpiFormat.Json:
                output.WriteLine(JsonSerializer.Serialize(rows, JsonOptions));
                break;
            case KpiFormat.Csv:
                WriteCsv(Cells(rows, "R"), output);
                break;
            default:
                // A table is for people: three decimals are plenty; CSV keeps full precision for tools.
                WriteTable(Cells(rows, "0.###"), output);
                break;
        }
    }

    /// <summary>The header and one line of formatted cells per row.</summary>
    /// <remarks>
    /// Each cell is what the row's JSON says of that property (a number through its double, a
    /// string as it is, null empty), worked out from the property itself: serializing every row to
    /// a <see cref="JsonElement"/> and looking its cells up by name took 26 s of CPU for the 679,120
    /// rows of <c>kpi --by agent --interval 15m</c> over 200 MB. Types without a rule here still go
    /// through JSON, one value at a time.
    /// </remarks>
    private static (string[] Header, List<string[]> Lines) Cells<TRow>(IReadOnlyList<TRow> rows, string numberFormat)
    {
        var properties = typeof(TRow).GetProperties();
        var header = properties.Select(property => JsonOptions.PropertyNamingPolicy!.ConvertName(property.Name)).ToArray();
        var cells = properties.Select(property => CellOf<TRow>(property, numberFormat)).ToArray();
        var lines = new List<string[]>(rows.Count);
        foreach (var row in rows)
        {
            var line = new string[cells.Length];
            for (var i = 0; i < cells.Length; i++)
            {
                line[i] = cells[i](row);
            }

            lines.Add(line);
        }

        return (header, lines);
    }

    /// <summary>How one property becomes a cell, as <see cref="Format"/> would make it of the property's JSON.</summary>
    private static Func<TRow, string> CellOf<TRow>(PropertyInfo property, string numberFormat)
    {
        if (property.GetMethod is not { IsPublic: true, IsStatic: false } getter || property.GetIndexParameters().Length > 0)
        {
            // Not serialized: no cell, as before.
            return static _ => string.Empty;
        }

        var type = property.PropertyType;
        if (typeof(TRow).IsValueType)
        {
            return row => Format(JsonSerializer.SerializeToElement(property.GetValue(row), type, JsonOptions), numberFormat);
        }

        // Numbers are written as JSON and read back as a double: a long is its double, and a double
        // round-trips to itself.
        if (type == typeof(string))
        {
            var get = Getter<TRow, string?>(getter);
            return row => get(row) ?? string.Empty;
        }

        if (type == typeof(long))
        {
            var get = Getter<TRow, long>(getter);
            return row => Whole(get(row), numberFormat);
        }

        if (type == typeof(long?))
        {
            var get = Getter<TRow, long?>(getter);
            return row => get(row) is { } value ? Whole(value, numberFormat) : string.Empty;
        }

        if (type == typeof(int))
        {
            var get = Getter<TRow, int>(getter);
            return row => Whole(get(row), numberFormat);
        }

        if (type == typeof(double))
        {
            var get = Getter<TRow, double>(getter);
            return row => get(row).ToString(numberFormat, CultureInfo.InvariantCulture);
        }

        if (type == typeof(double?))
        {
            var get = Getter<TRow, double?>(getter);
            return row => get(row) is { } value ? value.ToString(numberFormat, CultureInfo.InvariantCulture) : string.Empty;
        }

        if (type == typeof(DateTimeOffset?))
        {
            // Interval starts repeat row after row: each distinct one is written as JSON once.
            var get = Getter<TRow, DateTimeOffset?>(getter);
            var written = new Dictionary<DateTimeOffset, string>();
            return row =>
            {
                if (get(row) is not { } value)
                {
                    return string.Empty;
                }

                if (!written.TryGetValue(value, out var cell))
                {
                    cell = Format(JsonSerializer.SerializeToElement(value, JsonOptions), numberFormat);
                    written.Add(value, cell);
                }

                return cell;
            };
        }

        return row => Format(JsonSerializer.SerializeToElement(property.GetValue(row), type, JsonOptions), numberFormat);
    }

    private static Func<TRow, TValue> Getter<TRow, TValue>(MethodInfo getter) => getter.CreateDelegate<Func<TRow, TValue>>();

    /// <summary>A whole number as its double is written: below 10¹⁵ both formats give its digits, and the integer's are cheaper.</summary>
    private static string Whole(long value, string numberFormat) =>
        value is > -1_000_000_000_000_000 and < 1_000_000_000_000_000
            ? value.ToString(CultureInfo.InvariantCulture)
            : ((double)value).ToString(numberFormat, CultureInfo.InvariantCulture);

    private static string Format(JsonElement value, string numberFormat) => value.ValueKind switch
    {
        JsonValueKind.Null => string.Empty,
        JsonValueKind.String => value.GetString() ?? string.Empty,
        JsonValueKind.Number => value.GetDouble().ToString(numberFormat, CultureInfo.InvariantCulture),
        _ => value.GetRawText(),
    };

    private static void WriteCsv((string[] Header, List<string[]> Lines) table, TextWriter output)
    {
        // Rows are written to memory and handed on some 64 kB at a time: the console's writer flushes on
        // every write, which made a system call of each cell (19 s of system time for 679,120 rows).
        const int HandOnChars = 1 << 16;
        using var buffer = new StringWriter(CultureInfo.InvariantCulture);
        var text = buffer.GetStringBuilder();
        using (var writer = Sep.New(',').Writer(o => o with { Escape = true }).To(buffer))
        {
            foreach (var line in table.Lines)
            {
                using (var row = writer.NewRow())
                {
                    for (var i = 0; i < table.Header.Length; i++)
                    {
                        row[table.Header[i]].Set(line[i]);
                    }
                }

                if (text.Length >= HandOnChars)
                {
                    output.Write(text);
                    text.Clear();
                }
            }
        }

        output.Write(text);
        if (table.Lines.Count == 0)
        {
            output.WriteLine(string.Join(',', table.Header));
        }
    }

    private static void WriteTable((string[] Header, List<string[]> Lines) table, TextWriter output)
    {
        var widths = table.Header.Select(name => name.Length).ToArray();
        foreach (var line in table.Lines)
        {
            for (var i = 0; i < widths.Length; i++)
            {
                widths[i] = Math.Max(widths[i], line[i].Length);
            }
        }

        var text = new StringBuilder();
        AppendLine(table.Header);
        foreach (var line in table.Lines)
        {
            AppendLine(line);
        }

        output.Write(text.ToString());

        void AppendLine(string[] cells)
        {
            for (var i = 0; i < cells.Length; i++)
            {
                text.Append(cells[i].PadRight(widths[i]));
                text.Append(i == cells.Length - 1 ? Environment.NewLine : "  ");
            }
        }
    }
}
