using System.IO.Hashing;
using System.Text;

namespace Wallboard.Hub.Cluster;

/// <summary>
/// The names a cluster uses in Redis and PostgreSQL, in one place. A partition's keys share one hash
/// tag (<c>{cluster/partition}</c>), so the scripts that touch several of them at once would also run
/// on a Redis Cluster.
/// </summary>
internal sealed class ClusterKeys(string cluster)
{
    public string Cluster => cluster;

    /// <summary>The partition's event stream: one entry per batch, the entry id is the batch's position.</summary>
    public string Stream(string partition) => Tag(partition) + ":events";

    /// <summary>Hash of each file source's position, written with the entries it appended.</summary>
    public string SourcePositions(string partition) => Tag(partition) + ":sources";

    /// <summary>The answer kept for an HTTP batch's Idempotency-Key.</summary>
    public string Idempotency(string partition, string key) => Tag(partition) + ":key:" + key;

    /// <summary>Channel told the id of each entry appended, so the core reads it at once.</summary>
    public string Appended(string partition) => Tag(partition) + ":appended";

    /// <summary>The latest figures the partition's core published (for a hub that starts).</summary>
    public string Snapshot(string partition) => Tag(partition) + ":snapshot";

    /// <summary>Channel of every partition's figures at each tick.</summary>
    public string Snapshots => cluster + ":snapshots";

    /// <summary>Hash of the supervisors' broadcasts in force, by id (for a hub that starts).</summary>
    public string Broadcasts => cluster + ":broadcasts";

    /// <summary>Channel of each broadcast added or removed on a hub.</summary>
    public string BroadcastChanges => cluster + ":broadcast-changes";

    /// <summary>The prefix of the SignalR backplane's channels.</summary>
    public string Backplane => cluster + ":signalr";

    /// <summary>The advisory lock of a partition's core.</summary>
    public long CoreLock(string partition) => LockKey("core", cluster + "/" + partition);

    /// <summary>The advisory lock of the hub that pushes to the screens.</summary>
    public long ScreensLock => LockKey("screens", cluster);

    /// <summary>A PostgreSQL advisory lock key (64 bits) for <paramref name="purpose"/> and <paramref name="name"/>.</summary>
    public static long LockKey(string purpose, string name) =>
        unchecked((long)XxHash3.HashToUInt64(Encoding.UTF8.GetBytes("wallboard:" + purpose + ":" + name)));

    private string Tag(string partition) => "{" + cluster + "/" + partition + "}";
}
