using System.Globalization;
using System.Text;

namespace Wallboard.Hub.History;

/// <summary>
/// A bounded, disk-backed queue of InfluxDB write bodies (line protocol) that could not be sent.
/// One file per write, named by sequence and point count, so the oldest is sent first and a
/// restart picks up where it stopped. When the bound would be exceeded, the oldest files are
/// dropped and their points counted in <see cref="DroppedPoints"/>.
/// </summary>
/// <remarks>Thread-safe: every member takes the same lock; file I/O is small and sequential.</remarks>
internal sealed class HistorySpool
{
    private const string Extension = ".lp";

    private readonly string _folder;
    private readonly long _maxBytes;
    private readonly Lock _lock = new();
    private readonly SortedDictionary<long, SpoolFile> _files = [];
    private long _nextSequence;

    public HistorySpool(string folder, long maxBytes)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBytes, 1);
        _folder = Path.GetFullPath(folder);
        _maxBytes = maxBytes;
        Directory.CreateDirectory(_folder);
        foreach (var path in Directory.EnumerateFiles(_folder, "*" + Extension))
        {
            if (TryParseName(path, out var sequence, out var points))
            {
                _files[sequence] = new SpoolFile(path, points, new FileInfo(path).Length);
                _nextSequence = Math.Max(_nextSequence, sequence + 1);
                BacklogPoints += points;
                BacklogBytes += _files[sequence].Bytes;
            }
        }
    }

    public long BacklogPoints { get; private set; }

    public long BacklogBytes { get; private set; }

    public int BacklogFiles
    {
        get
        {
            lock (_lock)
            {
                return _files.Count;
            }
        }
    }

    /// <summary>Points dropped because the spool was full or InfluxDB rejected them (since this process started).</summary>
    public long DroppedPoints { get; private set; }

    public bool IsEmpty => BacklogFiles == 0;

    /// <summary>Appends one write body of <paramref name="points"/> lines, dropping the oldest files if the bound needs it.</summary>
    /// <returns>The number of points dropped to make room (0 normally).</returns>
    public long Append(string body, int points)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        lock (_lock)
        {
            long dropped = 0;
            while (_files.Count > 0 && BacklogBytes + bytes.Length > _maxBytes)
            {
                var oldest = _files.First();
                dropped += oldest.Value.Points;
                Remove(oldest.Key);
            }

            if (bytes.Length > _maxBytes)
            {
                DroppedPoints += dropped + points;
                return dropped + points;
            }

            var sequence = _nextSequence++;
            var path = Path.Combine(_folder, string.Create(CultureInfo.InvariantCulture, $"{sequence:D16}-{points}{Extension}"));
            // Written under another name, flushed to disk and renamed, so a crash never leaves half a file
            // that would be sent, and a power cut never loses points the server counts as stored.
            var temporary = path + ".tmp";
            using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                stream.Write(bytes);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite: true);
            _files[sequence] = new SpoolFile(path, points, bytes.Length);
            BacklogPoints += points;
            BacklogBytes += bytes.Length;
            DroppedPoints += dropped;
            return dropped;
        }
    }

    /// <summary>The oldest spooled write, or false when the spool is empty.</summary>
    public bool TryPeekOldest(out long sequence, out string body, out int points)
    {
        lock (_lock)
        {
            if (_files.Count == 0)
            {
                (sequence, body, points) = (0, string.Empty, 0);
                return false;
            }

            var oldest = _files.First();
            sequence = oldest.Key;
            points = oldest.Value.Points;
            body = File.ReadAllText(oldest.Value.Path, Encoding.UTF8);
            return true;
        }
    }

    /// <summary>Drops a spooled write the server rejects for good, counting its points as dropped.</summary>
    public void Reject(long sequence)
    {
        lock (_lock)
        {
            if (_files.TryGetValue(sequence, out var file))
            {
                DroppedPoints += file.Points;
                Remove(sequence);
            }
        }
    }

    /// <summary>Forgets a spooled write once it has been sent.</summary>
    public void Remove(long sequence)
    {
        lock (_lock)
        {
            if (_files.Remove(sequence, out var file))
            {
                BacklogPoints -= file.Points;
                BacklogBytes -= file.Bytes;
                File.Delete(file.Path);
            }
        }
    }

    private static bool TryParseName(string path, out long sequence, out int points)
    {
        var name = Path.GetFileNameWithoutExtension(path);
        var dash = name.IndexOf('-', StringComparison.Ordinal);
        points = 0;
        sequence = 0;
        return dash > 0
            && long.TryParse(name.AsSpan(0, dash), NumberStyles.None, CultureInfo.InvariantCulture, out sequence)
            && int.TryParse(name.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out points);
    }

    private sealed record SpoolFile(string Path, int Points, long Bytes);
}
