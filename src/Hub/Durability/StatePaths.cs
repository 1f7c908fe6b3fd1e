using Microsoft.Extensions.Options;
using Wallboard.Hub.Hosting;

namespace Wallboard.Hub.Durability;

/// <summary>
/// The one place that says where the server keeps its own state: the checkpoint and the dead-letter
/// file at the root of the data folder (<c>Storage:DataPath</c>), and the tails' state files of
/// versions before the checkpoint (<c>Sources:StatePath</c>, read once when the checkpoint has no
/// position for a source).
/// </summary>
internal sealed class StatePaths(DataFolder data, IOptions<SourcesOptions> sources)
{
    public string Folder { get; } = data.Root;

    /// <summary>The checkpoint file; the previous one and a write in progress sit beside it.</summary>
    public string Checkpoint => Path.Combine(Folder, "checkpoint.bin");

    /// <summary>Events that threw inside the core, one JSON object a line.</summary>
    public string DeadLetters => Path.Combine(Folder, "dead-letters.ndjson");

    /// <summary>Where versions before the checkpoint kept each tail's position.</summary>
    public string LegacyTailStates { get; } = data.Resolve(sources.Value.StatePath);
}
