using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Wallboard.Metrics.Persistence;

/// <summary>
/// Where each field of an unmanaged struct lies in its bytes, found by probing: the field, and
/// nothing else, is set to a value whose lowest byte is 1, and the first byte that changed is its
/// offset (little-endian). Works for <see cref="LayoutKind.Auto"/> layouts, which
/// <c>Marshal.OffsetOf</c> refuses, and for nested structs (<c>Value.Offered</c>).
/// </summary>
/// <remarks>
/// A checkpoint stores arrays of engine structs as their raw bytes, written and read in bulk, with
/// the shape beside them. When a later build adds a field (a new counter, say) the shapes differ
/// and <see cref="Remap"/> copies every field that kept its name and size, leaving new ones zero,
/// so a restart on upgrade keeps the state instead of counting the day again.
/// </remarks>
public sealed class StructShape : IEquatable<StructShape>
{
    private static readonly Dictionary<Type, StructShape> Known = [];
    private static readonly Lock KnownLock = new();

    private StructShape(int size, IReadOnlyList<StructField> fields)
    {
        Size = size;
        Fields = fields;
    }

    /// <summary>The struct's size in bytes, as arrays hold it.</summary>
    public int Size { get; }

    /// <summary>Every leaf field, ordered by offset.</summary>
    public IReadOnlyList<StructField> Fields { get; }

    /// <summary>The shape of <typeparamref name="T"/> in this process (cached).</summary>
    public static StructShape Of<T>()
        where T : unmanaged
    {
        lock (KnownLock)
        {
            if (!Known.TryGetValue(typeof(T), out var shape))
            {
                shape = Probe<T>();
                Known.Add(typeof(T), shape);
            }

            return shape;
        }
    }

    /// <summary>A shape read back from a checkpoint.</summary>
    public static StructShape Create(int size, IReadOnlyList<StructField> fields) => new(size, fields);

    /// <summary>
    /// Copies <paramref name="count"/> elements stored with shape <paramref name="stored"/> into
    /// <paramref name="target"/> (laid out as this shape): fields matched by name and size, others zero.
    /// </summary>
    public void Remap(StructShape stored, ReadOnlySpan<byte> source, Span<byte> target, int count)
    {
        ArgumentNullException.ThrowIfNull(stored);
        var moves = new List<(int From, int To, int Size)>();
        foreach (var field in Fields)
        {
            foreach (var old in stored.Fields)
            {
                if (old.Name == field.Name && old.Size == field.Size)
                {
                    moves.Add((old.Offset, field.Offset, field.Size));
                    break;
                }
            }
        }

        target[..(count * Size)].Clear();
        for (var i = 0; i < count; i++)
        {
            var from = source.Slice(i * stored.Size, stored.Size);
            var to = target.Slice(i * Size, Size);
            foreach (var (fromOffset, toOffset, size) in moves)
            {
                from.Slice(fromOffset, size).CopyTo(to[toOffset..]);
            }
        }
    }

    public bool Equals(StructShape? other) =>
        other is not null && other.Size == Size && other.Fields.SequenceEqual(Fields);

    public override bool Equals(object? obj) => Equals(obj as StructShape);

    public override int GetHashCode() => HashCode.Combine(Size, Fields.Count);

    private static StructShape Probe<T>()
        where T : unmanaged
    {
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("checkpoints are written on little-endian machines only");
        }

        var fields = new List<StructField>();
        foreach (var path in LeafPaths(typeof(T), []))
        {
            var box = RuntimeHelpers.GetUninitializedObject(typeof(T));
            SetThrough(box, path, 0);
            var bytes = MemoryMarshal.AsBytes(new ReadOnlySpan<T>(in Unsafe.Unbox<T>(box)));
            var offset = bytes.IndexOfAnyExcept((byte)0);
            var leaf = path[^1].FieldType;
            fields.Add(new StructField(string.Join('.', path.Select(field => field.Name)), offset, SizeOf(leaf)));
        }

        fields.Sort((a, b) => a.Offset.CompareTo(b.Offset));
        return new StructShape(Unsafe.SizeOf<T>(), fields);
    }

    private static IEnumerable<FieldInfo[]> LeafPaths(Type type, FieldInfo[] prefix)
    {
        foreach (var field in type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
        {
            FieldInfo[] path = [.. prefix, field];
            var fieldType = field.FieldType;
            if (fieldType.IsPrimitive || fieldType.IsEnum)
            {
                yield return path;
            }
            else if (fieldType.IsValueType)
            {
                foreach (var nested in LeafPaths(fieldType, path))
                {
                    yield return nested;
                }
            }
            else
            {
                throw new NotSupportedException($"{type.Name}.{field.Name} is a reference; an unmanaged struct was expected");
            }
        }
    }

    /// <summary>Sets the leaf at the end of <paramref name="path"/> to its probe value, through copies of the nested structs.</summary>
    private static void SetThrough(object box, FieldInfo[] path, int depth)
    {
        var field = path[depth];
        if (depth == path.Length - 1)
        {
            field.SetValue(box, ProbeValue(field.FieldType));
            return;
        }

        var nested = field.GetValue(box)!;
        SetThrough(nested, path, depth + 1);
        field.SetValue(box, nested);
    }

    /// <summary>A value of <paramref name="type"/> whose lowest byte is non-zero.</summary>
    private static object ProbeValue(Type type)
    {
        if (type.IsEnum)
        {
            return Enum.ToObject(type, 1);
        }

        return Type.GetTypeCode(type) switch
        {
            TypeCode.Boolean => true,
            TypeCode.Single => float.Epsilon,
            TypeCode.Double => double.Epsilon,
            TypeCode.Char => (char)1,
            _ => Convert.ChangeType(1, type, System.Globalization.CultureInfo.InvariantCulture),
        };
    }

    private static int SizeOf(Type type) => (int)typeof(Unsafe).GetMethod(nameof(Unsafe.SizeOf))!.MakeGenericMethod(type).Invoke(null, null)!;
}

/// <summary>One leaf field of a struct: its path of names, its offset and its size in bytes.</summary>
public readonly record struct StructField(string Name, int Offset, int Size);
