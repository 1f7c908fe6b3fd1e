using Wallboard.Metrics.History;
using Wallboard.Metrics.Persistence;

namespace Wallboard.Hub.Durability;

/// <summary>
/// History points in a checkpoint, each value under its field name, so that a build whose schema
/// has another field (a new counter) reads them: known fields by name, new ones zero.
/// </summary>
internal static class HistoryPointState
{
    public static void Write(StateWriter writer, IReadOnlyCollection<HistoryPoint> points)
    {
        writer.Section("history-pending");
        foreach (var kind in Enum.GetValues<HistoryKind>())
        {
            var fields = HistorySchema.Fields(kind);
            writer.Write(fields.Count);
            foreach (var field in fields)
            {
                writer.Write(field);
            }
        }

        writer.Write(points.Count);
        foreach (var point in points)
        {
            writer.Write((int)point.Kind);
            writer.Write(point.Id);
            writer.Write(point.IntervalStartMs);
            foreach (var value in point.Values)
            {
                writer.Write(value);
            }
        }
    }

    public static List<HistoryPoint> Read(StateReader reader)
    {
        reader.Section("history-pending");
        var kinds = Enum.GetValues<HistoryKind>();
        var stored = new Dictionary<HistoryKind, string[]>();
        foreach (var kind in kinds)
        {
            var fields = new string[reader.ReadCount(1024)];
            for (var i = 0; i < fields.Length; i++)
            {
                fields[i] = reader.ReadString() ?? string.Empty;
            }

            stored[kind] = fields;
        }

        var count = reader.ReadCount();
        var points = new List<HistoryPoint>(count);
        for (var i = 0; i < count; i++)
        {
            var kind = (HistoryKind)reader.ReadInt32();
            if (!stored.TryGetValue(kind, out var fields))
            {
                throw new InvalidDataException($"checkpoint: history kind {(int)kind} is unknown");
            }

            var id = reader.ReadString() ?? throw new InvalidDataException("checkpoint: a history point has no id");
            var start = reader.ReadInt64();
            var current = HistorySchema.Fields(kind);
            var values = new long[current.Count];
            foreach (var field in fields)
            {
                var value = reader.ReadInt64();
                var at = IndexOf(current, field);
                if (at >= 0)
                {
                    values[at] = value;
                }
            }

            points.Add(new HistoryPoint(kind, id, start, values));
        }

        return points;
    }

    private static int IndexOf(IReadOnlyList<string> fields, string field)
    {
        for (var i = 0; i < fields.Count; i++)
        {
            if (fields[i] == field)
            {
                return i;
            }
        }

        return -1;
    }
}
