using Wallboard.Metrics;

namespace Wallboard.Reports;

/// <summary>Targets and definitions a report is measured against, and the fonts it is set in.</summary>
public sealed record ReportOptions
{
    /// <summary>Noto Sans CJK, Debian package <c>fonts-noto-cjk</c>.</summary>
    public const string DefaultRegularFont = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc";

    public const string DefaultBoldFont = "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc";

    /// <summary>The face of Noto Sans CJK SC in the collection (JP 0, KR 1, SC 2, TC 3, HK 4).</summary>
    public const int DefaultFontIndex = 2;

    /// <summary>The definitions (service-level formula and threshold per queue, ring cadence, rings) shown in the footer and used for ratios.</summary>
    public KpiOptions Kpi { get; init; } = new();

    /// <summary>Service-level target as a fraction (0.8 = 80 %).</summary>
    public double ServiceLevelTarget { get; init; } = 0.8;

    /// <summary>Target for the share of calls answered within <see cref="KpiOptions.Rings"/> rings.</summary>
    public double RingRateTarget { get; init; } = 0.9;

    /// <summary>Highest acceptable abandon rate as a fraction, or null for none.</summary>
    public double? AbandonRateTarget { get; init; } = 0.05;

    /// <summary>Highest acceptable average speed of answer in seconds, or null for none.</summary>
    public double? AsaTargetSeconds { get; init; }

    /// <summary>Calls (handled plus outbound connected, less complaints) an agent is expected to make per day logged in; 0 for none.</summary>
    public int AgentCallTargetPerDay { get; init; }

    /// <summary>How the daily report's forecast is made (weeks, weighting) and agents counted.</summary>
    public Metrics.Staffing.StaffingPolicy Staffing { get; init; } = new();

    /// <summary>The rota in force around a day, for the daily report's adherence table; null (or an empty rota) for none.</summary>
    public Func<DateOnly, Metrics.Staffing.Rota>? RotaOf { get; init; }

    /// <summary>Font file for body text and charts; must hold CJK glyphs for Chinese reports.</summary>
    public string RegularFontPath { get; init; } = DefaultRegularFont;

    public string BoldFontPath { get; init; } = DefaultBoldFont;

    /// <summary>The face within a font collection (.ttc); 0 for a plain font file.</summary>
    public int FontIndex { get; init; } = DefaultFontIndex;

    /// <summary>Checks the values, naming the one that is wrong.</summary>
    /// <exception cref="ArgumentException">A value is out of range.</exception>
    public void Validate()
    {
        Kpi.Validate();
        CheckFraction(ServiceLevelTarget, "service-level target");
        CheckFraction(RingRateTarget, "ring-rate target");
        if (AbandonRateTarget is { } abandon)
        {
            CheckFraction(abandon, "abandon-rate target");
        }

        if (AsaTargetSeconds is { } asa && !(asa >= 0))
        {
            throw new ArgumentException($"ASA target must be 0 or more seconds, got {asa}");
        }

        if (AgentCallTargetPerDay < 0)
        {
            throw new ArgumentException($"agent call target must be 0 or more, got {AgentCallTargetPerDay}");
        }

        if (FontIndex < 0)
        {
            throw new ArgumentException($"font index must be 0 or more, got {FontIndex}");
        }

        static void CheckFraction(double value, string name)
        {
            if (!(value is >= 0 and <= 1))
            {
                throw new ArgumentException($"{name} must be a fraction between 0 and 1, got {value}");
            }
        }
    }
}
