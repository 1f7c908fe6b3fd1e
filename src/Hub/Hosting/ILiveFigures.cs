using Wallboard.Metrics.Live;

namespace Wallboard.Hub.Hosting;

/// <summary>
/// The live figures the API and the screens read: the core's latest snapshot on a single server,
/// every partition's published figures merged in a cluster (docs/cluster.md).
/// </summary>
internal interface ILiveFigures
{
    /// <summary>The latest figures; readers on any thread take them without locking.</summary>
    LiveSnapshot Latest { get; }
}
