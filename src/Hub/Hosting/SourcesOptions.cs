namespace Wallboard.Hub.Hosting;

/// <summary>Configuration section <c>Sources</c>: where live events come from.</summary>
internal sealed class SourcesOptions
{
    public const string Section = "Sources";

    /// <summary>queue_log files to follow (one per PBX); relative paths are relative to the working directory.</summary>
    public List<string> QueueLogs { get; set; } = [];

    /// <summary>A Master.csv file or a folder of them to follow.</summary>
    public string? Cdr { get; set; }

    /// <summary>CDR rows in these dialplan contexts (dcontext) are outbound attempts (as <c>kpi --outbound-context</c>).</summary>
    public List<string> CdrOutboundContexts { get; set; } = [];

    /// <summary>CDR rows with these account codes are outbound; a trailing <c>*</c> makes a prefix (as <c>kpi --outbound-accountcode</c>).</summary>
    public List<string> CdrOutboundAccountCodes { get; set; } = [];

    /// <summary>CDR rows whose channel matches this regular expression are outbound (as <c>kpi --outbound-channel</c>).</summary>
    public string? CdrOutboundChannel { get; set; }

    /// <summary>
    /// Where versions before the checkpoint kept the tails' offsets (relative to the data folder unless
    /// absolute); read once, for a source the checkpoint has no position of (docs/durability.md).
    /// </summary>
    public string StatePath { get; set; } = "tails";

    /// <summary>How often file sources are checked for new lines.</summary>
    [System.ComponentModel.DataAnnotations.Range(0.05, 60)]
    public double PollSeconds { get; set; } = 0.5;

    /// <summary>Run the demo simulator: null (the default) runs it only when no file source is configured.</summary>
    public bool? Demo { get; set; }

    /// <summary>Volume multiplier of the demo centre, so a demo screen moves.</summary>
    [System.ComponentModel.DataAnnotations.Range(0.01, 100)]
    public double DemoScale { get; set; } = 4;

    public bool DemoEnabled => Demo ?? (QueueLogs.Count == 0 && string.IsNullOrEmpty(Cdr));
}
