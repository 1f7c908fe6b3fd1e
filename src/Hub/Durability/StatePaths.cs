using Microsoft.Extensions.Options;
using Wallboard.Hub.Hosting;

namespace Wallboard.Hub.Durability;

/// <summary>
/// The one place that says where the server keeps its own state: the checkpoint, the dead-letter
/// file and the tails' state files of older versions. The folder is <c>Sources:StatePath</c>,
/// relative to the content root.
/// </summary>
internal sealed class StatePaths(IOptions<SourcesOptions> sources, IHostEnvironment environment)
{
    public string Folder { get; } = Path.GetFullPath(Path.Combine(environment.ContentRootPath, sources.Value.StatePath));

    /// <summary>The checkpoint file; the previous one and a write in progress sit beside it.</summary>
    public string Checkpoint => Path.Combine(Folder, "checkpoint.bin");

    /// <summary>Events that threw inside the core, one JSON object a line.</summary>
    public string DeadLetters => Path.Combine(Folder, "dead-letters.ndjson");
}
