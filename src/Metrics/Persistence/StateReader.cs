using System.Buffers;
using System.Runtime.InteropServices;
using System.Text;

namespace Wallboard.Metrics.Persistence;

/// <summary>
/// Reads what <see cref="StateWriter"/> wrote. Arrays of structs stored with this build's shape are
/// read straight into place; arrays of another shape (an older build) are remapped field by field.
/// Anything inconsistent throws <see cref="InvalidDataException"/> naming what was expected.
/// </summary>
public sealed class StateReader : IDisposable
{
    private readonly BinaryReader _reader;

    public StateReader(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        _reader = new BinaryReader(stream, Encoding.UTF8, leaveOpen: true);
    }

    public void Section(string name)
    {
        var found = _reader.ReadString();
        if (found != name)
        {
            throw new InvalidDataException($"checkpoint: expected section '{name}', found '{found}'");
        }
    }

    public bool ReadBoolean() => _reader.ReadBoolean();

    public int ReadInt32() => _reader.ReadInt32();

    public long ReadInt64() => _reader.ReadInt64();

    public ulong ReadUInt64() => _reader.ReadUInt64();

    public string? ReadString() => _reader.ReadBoolean() ? _reader.ReadString() : null;

    /// <summary>A count that must lie in [0, <paramref name="max"/>], so a damaged file cannot ask for a huge allocation.</summary>
    public int ReadCount(int max = int.MaxValue)
    {
        var count = _reader.ReadInt32();
        if (count < 0 || count > max)
        {
            throw new InvalidDataException($"checkpoint: count {count} is out of range");
        }

        return count;
    }

    /// <summary>An array written by <see cref="StateWriter.Write{T}(ReadOnlySpan{T})"/>.</summary>
    public T[] ReadArray<T>()
        where T : unmanaged
    {
        var (stored, count) = ReadHeader<T>();
        var items = new T[count];
        ReadRaw(stored, items.AsSpan());
        return items;
    }

    /// <summary>The stored shape and count of an array whose elements follow (<see cref="ReadRaw{T}"/>).</summary>
    public (StructShape Stored, int Count) ReadHeader<T>()
        where T : unmanaged
    {
        var size = ReadCount();
        var fieldCount = ReadCount(4096);
        var fields = new StructField[fieldCount];
        for (var i = 0; i < fieldCount; i++)
        {
            fields[i] = new StructField(_reader.ReadString(), _reader.ReadInt32(), _reader.ReadInt32());
        }

        var stored = StructShape.Create(size, fields);
        return (stored, ReadCount());
    }

    /// <summary>Fills <paramref name="target"/> with as many elements, stored with shape <paramref name="stored"/>.</summary>
    public void ReadRaw<T>(StructShape stored, Span<T> target)
        where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(stored);
        var shape = StructShape.Of<T>();
        if (shape.Equals(stored))
        {
            _reader.BaseStream.ReadExactly(MemoryMarshal.AsBytes(target));
            return;
        }

        var bytes = ArrayPool<byte>.Shared.Rent(checked(stored.Size * target.Length));
        try
        {
            var source = bytes.AsSpan(0, stored.Size * target.Length);
            _reader.BaseStream.ReadExactly(source);
            shape.Remap(stored, source, MemoryMarshal.AsBytes(target), target.Length);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bytes);
        }
    }

    public void Dispose() => _reader.Dispose();
}
