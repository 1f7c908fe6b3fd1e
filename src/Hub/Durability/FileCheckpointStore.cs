using System.IO.Compression;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using System.Text;

namespace Wallboard.Hub.Durability;

/// <summary>
/// Checkpoints in a file of the data folder, replaced atomically: each one is written whole to
/// <c>checkpoint.bin.tmp</c>, flushed to disk, then renamed over <c>checkpoint.bin</c> (the one
/// before kept as <c>checkpoint.previous.bin</c>), and the folder is flushed so the new name
/// survives a power cut. A checksum over the whole file tells a torn write from a whole one, so
/// loading after a crash at any moment takes the newest whole file of the three.
/// </summary>
/// <remarks>
/// Layout, little-endian: the magic <c>WBCKPT01</c>; sequence and save time (int64); the positions
/// (count, then source and position as length-prefixed UTF-8); the idempotency keys (count, then
/// key, answer, sequence, received time); the core state's length and its Brotli-compressed
/// length (int64 each), then the compressed bytes; and the XxHash128 of everything before it (16 bytes). The hash is there to detect a torn or damaged file, not
/// tampering; at several GB/s it adds little to a write of a large centre's state.
/// </remarks>
internal sealed partial class FileCheckpointStore(string path, TimeProvider time, TimeSpan testWritePause, ILogger<FileCheckpointStore> logger) : ICheckpointStore, IDisposable
{
    private static readonly byte[] Magic = "WBCKPT01"u8.ToArray();
    private const int HashBytes = 16;

    // Reused from one save to the next (saves never overlap): a large centre's state compresses to tens of MB.
    private readonly MemoryStream _compressed = new();

    public string Path => path;

    public void Dispose() => _compressed.Dispose();

    private string Previous => System.IO.Path.ChangeExtension(path, ".previous.bin");

    private string Temporary => path + ".tmp";

    /// <summary>Bytes of the last checkpoint saved.</summary>
    public long LastBytes { get; private set; }

    public async Task<Checkpoint?> LoadAsync(CancellationToken cancellationToken)
    {
        Checkpoint? newest = null;
        foreach (var candidate in new[] { path, Temporary, Previous })
        {
            if (!File.Exists(candidate))
            {
                continue;
            }

            var bytes = await File.ReadAllBytesAsync(candidate, cancellationToken).ConfigureAwait(false);
            if (TryRead(bytes, out var checkpoint, out var problem))
            {
                if (newest is null || checkpoint.Sequence > newest.Sequence)
                {
                    newest = checkpoint;
                }
            }
            else if (candidate != Temporary)
            {
                // A torn temporary file is what a crash during a write leaves; the others should always be whole.
                Log.Unreadable(logger, candidate, problem);
            }
        }

        return newest;
    }

    public async Task SaveAsync(Checkpoint checkpoint, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        Compress(checkpoint.CoreState.Span);
        var hash = new XxHash128();
        var stream = new FileStream(Temporary, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.None);
        await using (stream.ConfigureAwait(false))
        {
            var head = Head(checkpoint, _compressed.Length);
            hash.Append(head);
            await stream.WriteAsync(head, cancellationToken).ConfigureAwait(false);

            var state = _compressed.GetBuffer().AsMemory(0, (int)_compressed.Length);
            var half = state.Length / 2;
            hash.Append(state.Span);
            await stream.WriteAsync(state[..half], cancellationToken).ConfigureAwait(false);
            if (testWritePause > TimeSpan.Zero)
            {
                // The crash test kills the server here, with half a checkpoint on disk.
                await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
                await Task.Delay(testWritePause, time, cancellationToken).ConfigureAwait(false);
            }

            await stream.WriteAsync(state[half..], cancellationToken).ConfigureAwait(false);
            await stream.WriteAsync(hash.GetCurrentHash(), cancellationToken).ConfigureAwait(false);
            LastBytes = stream.Position;

            // On disk before the rename, or a power cut could leave the new name on an empty file.
            stream.Flush(flushToDisk: true);
        }

        if (File.Exists(path))
        {
            File.Move(path, Previous, overwrite: true);
        }

        File.Move(Temporary, path);
        FlushFolder(System.IO.Path.GetDirectoryName(path)!);
    }

    /// <summary>
    /// Brotli at its fastest level, outside the core's lock: a large centre's counters are mostly
    /// zeros (an agent's minute holds its login time and little else), 216 MB became 23 MB in half a
    /// second, where zlib's fastest level gave 31 MB in more time.
    /// </summary>
    private void Compress(ReadOnlySpan<byte> state)
    {
        _compressed.SetLength(0);
        using var brotli = new BrotliStream(_compressed, CompressionLevel.Fastest, leaveOpen: true);
        brotli.Write(state);
    }

    private static byte[] Head(Checkpoint checkpoint, long compressedLength)
    {
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(Magic);
            writer.Write(checkpoint.Sequence);
            writer.Write(checkpoint.SavedAtMs);
            writer.Write(checkpoint.Positions.Count);
            foreach (var (source, position) in checkpoint.Positions.OrderBy(pair => pair.Key, StringComparer.Ordinal))
            {
                writer.Write(source);
                writer.Write(position);
            }

            writer.Write(checkpoint.Keys.Count);
            foreach (var key in checkpoint.Keys)
            {
                writer.Write(key.Key);
                writer.Write(key.Answer);
                writer.Write(key.Sequence);
                writer.Write(key.ReceivedAtMs);
            }

            writer.Write((long)checkpoint.CoreState.Length);
            writer.Write(compressedLength);
        }

        return buffer.ToArray();
    }

    private static bool TryRead(byte[] bytes, out Checkpoint checkpoint, out string problem)
    {
        checkpoint = null!;
        if (bytes.Length < Magic.Length + HashBytes || !bytes.AsSpan(0, Magic.Length).SequenceEqual(Magic))
        {
            problem = "not a checkpoint file";
            return false;
        }

        var body = bytes.AsSpan(0, bytes.Length - HashBytes);
        if (!XxHash128.Hash(body).AsSpan().SequenceEqual(bytes.AsSpan(bytes.Length - HashBytes)))
        {
            problem = "its checksum does not match (a write did not finish, or the file is damaged)";
            return false;
        }

        try
        {
            using var stream = new MemoryStream(bytes, 0, body.Length, writable: false);
            using var reader = new BinaryReader(stream, Encoding.UTF8);
            reader.ReadBytes(Magic.Length);
            var sequence = reader.ReadInt64();
            var savedAt = reader.ReadInt64();
            var positions = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var count = reader.ReadInt32(); count > 0; count--)
            {
                positions[reader.ReadString()] = reader.ReadString();
            }

            var keys = new List<IdempotencyRecord>();
            for (var count = reader.ReadInt32(); count > 0; count--)
            {
                keys.Add(new IdempotencyRecord(reader.ReadString(), reader.ReadString(), reader.ReadInt64(), reader.ReadInt64()));
            }

            var length = reader.ReadInt64();
            var compressedLength = reader.ReadInt64();
            if (compressedLength != stream.Length - stream.Position || length < 0 || length > Array.MaxLength)
            {
                problem = "its core state has the wrong length";
                return false;
            }

            var state = new byte[length];
            using (var brotli = new BrotliStream(stream, CompressionMode.Decompress, leaveOpen: true))
            {
                brotli.ReadExactly(state);
            }

            checkpoint = new Checkpoint(sequence, savedAt, state, positions, keys);
            problem = string.Empty;
            return true;
        }
        catch (Exception ex) when (ex is EndOfStreamException or InvalidDataException)
        {
            problem = "it ends early or its core state does not decompress";
            return false;
        }
    }

    /// <summary>Flushes a folder's entries (the rename) to disk; .NET has no API for it, so libc's open and fsync.</summary>
    private static void FlushFolder(string folder)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
        {
            return;
        }

        var descriptor = Native.Open(folder, 0);
        if (descriptor >= 0)
        {
            _ = Native.Fsync(descriptor);
            _ = Native.Close(descriptor);
        }
    }

    private static class Native
    {
        // CharSet.Ansi is UTF-8 on Unix, the only systems this is called on.
        [DllImport("libc", EntryPoint = "open", CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int Open(string path, int flags);

        [DllImport("libc", EntryPoint = "fsync")]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int Fsync(int descriptor);

        [DllImport("libc", EntryPoint = "close")]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int Close(int descriptor);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 900, Level = LogLevel.Warning, Message = "Checkpoint file {Path} is not used: {Problem}")]
        public static partial void Unreadable(ILogger logger, string path, string problem);
    }
}
