using System.Globalization;
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
    private static (string[] Header, List<string[]> Lines) Cells<TRow>(IReadOnlyList<TRow> rows, string numberFormat)
    {
        var header = typeof(TRow).GetProperties()
            .Select(property => JsonOptions.PropertyNamingPolicy!.ConvertName(property.Name))
            .ToArray();
        var lines = new List<string[]>(rows.Count);
        foreach (var row in rows)
        {
            var element = JsonSerializer.SerializeToElement(row, JsonOptions);
            var cells = new string[header.Length];
            for (var i = 0; i < header.Length; i++)
            {
                cells[i] = element.TryGetProperty(header[i], out var value) ? Format(value, numberFormat) : string.Empty;
            }

            lines.Add(cells);
        }

        return (header, lines);
    }

    private static string Format(JsonElement value, string numberFormat) => value.ValueKind switch
    {
        JsonValueKind.Null => string.Empty,
        JsonValueKind.String => value.GetString() ?? string.Empty,
        JsonValueKind.Number => value.GetDouble().ToString(numberFormat, CultureInfo.InvariantCulture),
        _ => value.GetRawText(),
    };

    private static void WriteCsv((string[] Header, List<string[]> Lines) table, TextWriter output)
    {
        using var writer = Sep.New(',').Writer(o => o with { Escape = true }).To(output);
        foreach (var line in table.Lines)
        {
            using var row = writer.NewRow();
            for (var i = 0; i < table.Header.Length; i++)
            {
                row[table.Header[i]].Set(line[i]);
            }
        }

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
