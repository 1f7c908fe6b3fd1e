namespace Wallboard.Metrics.Live;

/// <summary>The windows a live figure can be shown over.</summary>
public enum LiveWindow
{
    /// <summary>The last 15 one-minute intervals, the current one included.</summary>
    Last15Minutes,

    Last30Minutes,
    Last60Minutes,

    /// <summary>Since the latest configured shift start (local time).</summary>
    Shift,

    /// <summary>Since local midnight.</summary>
    Today,
}
