using System.Collections;
using System.Globalization;
using DuckDB.NET.Data;
using Wallboard.Metrics;

namespace Wallboard.Benchmarks.DuckDb;

/// <summary>
/// The queue rows of <c>wallboard kpi --by queue --interval total</c> computed by DuckDB, one SQL
/// query over the queue_log file (<c>QueueKpis.sql</c>): what an analyst does without Wallboard,
/// and so what <c>kpi</c> is measured against (issue 16).
/// </summary>
/// <remarks>
/// The query reads a queue call as kpi does for a log without surprises: its first outcome counts,
/// a completion without an answer implies one. It does not follow kpi where a log contradicts
/// itself: a call that enters the same queue again after its outcome stays one queue call, calls
/// are never forgotten after 12 silent hours, and of two outcome lines in the same millisecond
/// either may count.
/// </remarks>
internal static class DuckDbQueueKpis
{
    /// <summary>The query; its parameters are named in its first lines.</summary>
    public static string Sql { get; } = ReadSql();

    /// <summary>Runs the query over <paramref name="queueLogPath"/> with the thresholds of <paramref name="options"/> (DuckDB's default threads).</summary>
    public static List<QueueFigures> Run(string queueLogPath, KpiOptions? options = null)
    {
        options ??= new KpiOptions();
        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = Sql;
        command.Parameters.Add(new DuckDBParameter("queue_log", queueLogPath));
        command.Parameters.Add(new DuckDBParameter("short_abandon_ms", ToMs(options.ShortAbandonSeconds)));
        command.Parameters.Add(new DuckDBParameter("sl_threshold_ms", ToMs(options.DefaultQueue.SlThresholdSeconds)));
        command.Parameters.Add(new DuckDBParameter("ring_limit_ms", ToMs(options.Rings * options.RingSeconds)));
        using var reader = command.ExecuteReader();
        var rows = new List<QueueFigures>();
        while (reader.Read())
        {
            var figures = new SortedDictionary<string, double?>(StringComparer.Ordinal);
            for (var i = 0; i < reader.FieldCount; i++)
            {
                var name = reader.GetName(i);
                if (name == "queue")
                {
                    continue;
                }

                if (reader.GetValue(i) is IDictionary counts)
                {
                    // One count per outcome, named as kpi's column; an outcome no call had is 0.
                    foreach (DictionaryEntry count in counts)
                    {
                        figures[(string)count.Key] = Convert.ToDouble(count.Value, CultureInfo.InvariantCulture);
                    }
                }
                else
                {
                    figures[name] = reader.IsDBNull(i) ? null : Convert.ToDouble(reader.GetValue(i), CultureInfo.InvariantCulture);
                }
            }

            rows.Add(new QueueFigures(reader.GetString(reader.GetOrdinal("queue")), figures));
        }

        return rows;
    }

    // As the engine rounds its thresholds.
    private static long ToMs(double seconds) => (long)Math.Round(seconds * 1000, MidpointRounding.AwayFromZero);

    private static string ReadSql()
    {
        using var stream = typeof(DuckDbQueueKpis).Assembly.GetManifestResourceStream("Wallboard.Benchmarks.DuckDb.QueueKpis.sql")
            ?? throw new InvalidOperationException("QueueKpis.sql is not embedded in the benchmark assembly");
        using var text = new StreamReader(stream);
        return text.ReadToEnd();
    }
}
