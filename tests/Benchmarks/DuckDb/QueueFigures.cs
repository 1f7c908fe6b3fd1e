using System.Globalization;
using nietras.SeparatedValues;

namespace Wallboard.Benchmarks.DuckDb;

/// <summary>One queue's figures by kpi's column names, from kpi's CSV or from DuckDB, so the two can be compared.</summary>
internal sealed record QueueFigures(string Queue, IReadOnlyDictionary<string, double?> Figures)
{
    // Sums of milliseconds divided in another order may differ in the last bits of a double.
    private const double Tolerance = 1e-12;

    /// <summary>The rows of <c>wallboard kpi --by queue --interval total --format csv</c>.</summary>
    public static List<QueueFigures> FromKpiCsv(string csv)
    {
        var rows = new List<QueueFigures>();
        using var reader = Sep.Reader().FromText(csv);
        foreach (var row in reader)
        {
            var figures = new SortedDictionary<string, double?>(StringComparer.Ordinal);
            for (var i = 0; i < reader.Header.ColNames.Count; i++)
            {
                var name = reader.Header.ColNames[i];
                if (name is not ("queue" or "queue_name" or "interval_start"))
                {
                    var cell = row[i].Span;
                    figures[name] = cell.IsEmpty ? null : double.Parse(cell, CultureInfo.InvariantCulture);
                }
            }

            rows.Add(new QueueFigures(row["queue"].ToString(), figures));
        }

        return rows;
    }

    /// <summary>
    /// Where two sets of rows disagree, one line each; empty when they give the same numbers. A
    /// figure one side does not have is 0 there (an outcome no call had is not in DuckDB's counts).
    /// </summary>
    public static List<string> Differences(IReadOnlyList<QueueFigures> expected, IReadOnlyList<QueueFigures> actual)
    {
        var differences = new List<string>();
        var actualByQueue = actual.ToDictionary(row => row.Queue, StringComparer.Ordinal);
        foreach (var row in expected)
        {
            if (!actualByQueue.Remove(row.Queue, out var other))
            {
                differences.Add($"queue '{row.Queue}' is missing");
                continue;
            }

            foreach (var name in row.Figures.Keys.Union(other.Figures.Keys).Order(StringComparer.Ordinal))
            {
                var a = row.Figures.GetValueOrDefault(name, 0);
                var b = other.Figures.GetValueOrDefault(name, 0);
                if (!Same(a, b))
                {
                    differences.Add(string.Create(CultureInfo.InvariantCulture, $"{row.Queue}.{name}: {a?.ToString("R", CultureInfo.InvariantCulture) ?? "null"} against {b?.ToString("R", CultureInfo.InvariantCulture) ?? "null"}"));
                }
            }
        }

        differences.AddRange(actualByQueue.Keys.Select(queue => $"queue '{queue}' is extra"));
        return differences;
    }

    private static bool Same(double? a, double? b) =>
        a is null || b is null ? a is null && b is null : Math.Abs(a.Value - b.Value) <= Tolerance * Math.Max(1, Math.Abs(a.Value));
}
