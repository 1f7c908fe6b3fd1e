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
/// key, answer, sequence, received time); the core state (int64 length, bytes); and the XxHash128
/// of everything before it (16 bytes). The hash is there to detect a torn or damaged file, not
/// tampering; at several GB/s it adds little to a write of a large centre's state.
/// </remarks>
internal sealed partial class FileCheckpointStore(string path, TimeProvider time, TimeSpan testWritePause, ILogger<FileCheckpointStore> logger) : ICheckpointStore
{
    private static readonly byte[] Magic = "WBCKPT01"u8.ToArray();
    private const int HashBytes = 16;

    public string Path => path;

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
        var hash = new XxHash128();
        var stream = new FileStream(Temporary, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.None);
        await using (stream.ConfigureAwait(false))
        {
            var head = Head(checkpoint);
            hash.Append(head);
            await stream.WriteAsync(head, cancellationToken).ConfigureAwait(false);

            var state = checkpoint.CoreState;
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

    private static byte[] Head(Checkpoint checkpoint)
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
            if (length != stream.Length - stream.Position)
            {
                problem = "its core state has the wrong length";
                return false;
            }

            checkpoint = new Checkpoint(sequence, savedAt, bytes.AsMemory((int)stream.Position, (int)length), positions, keys);
            problem = string.Empty;
            return true;
        }
        catch (EndOfStreamException)
        {
            problem = "it ends early";
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
