using System.Runtime.InteropServices;
using System.Text;

namespace Wallboard.Metrics.Persistence;

/// <summary>
/// Writes the state of the metrics core for a checkpoint: scalars little-endian, strings as UTF-8
/// with their length, and arrays of unmanaged structs as their raw bytes behind their
/// <see cref="StructShape"/>, so millions of counter slots cost one copy each.
/// </summary>
public sealed class StateWriter : IDisposable
{
    private readonly BinaryWriter _writer;

    public StateWriter(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        _writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
    }

    /// <summary>A label the reader checks, so a mistake in the order fails at once, naming where.</summary>
    public void Section(string name) => _writer.Write(name);

    public void Write(bool value) => _writer.Write(value);

    public void Write(int value) => _writer.Write(value);

    public void Write(long value) => _writer.Write(value);

    public void Write(ulong value) => _writer.Write(value);

    /// <summary>A string that may be null.</summary>
    public void Write(string? value)
    {
        _writer.Write(value is not null);
        if (value is not null)
        {
            _writer.Write(value);
        }
    }

    /// <summary>The shape of <typeparamref name="T"/>, then the element count, then the elements' bytes.</summary>
    public void Write<T>(ReadOnlySpan<T> items)
        where T : unmanaged
    {
        WriteHeader<T>(items.Length);
        WriteRaw(items);
    }

    /// <summary>The shape and count of an array whose elements follow in pieces (<see cref="WriteRaw{T}"/>).</summary>
    public void WriteHeader<T>(int count)
        where T : unmanaged
    {
        var shape = StructShape.Of<T>();
        _writer.Write(shape.Size);
        _writer.Write(shape.Fields.Count);
        foreach (var field in shape.Fields)
        {
            _writer.Write(field.Name);
            _writer.Write(field.Offset);
            _writer.Write(field.Size);
        }

        _writer.Write(count);
    }

    /// <summary>Elements' bytes as they lie in memory.</summary>
    public void WriteRaw<T>(ReadOnlySpan<T> items)
        where T : unmanaged => _writer.Write(MemoryMarshal.AsBytes(items));

    public void Dispose() => _writer.Dispose();
}
