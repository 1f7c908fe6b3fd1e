using System.Globalization;
using Wallboard.Hub.Live.Dashboards;
using Wallboard.Metrics.Rows;

namespace Wallboard.Hub.Live.Screens;

/// <summary>KPI values by name from the metrics rows, their display strings and threshold states.</summary>
internal static class KpiValues
{
    public const string NoValue = "–";

    public static double? Queue(string kpi, QueueKpiRow row) => kpi switch
    {
        "offered" => row.Offered,
        "answered" => row.Answered,
        "abandoned" => row.Abandoned,
        "short_abandoned" => row.ShortAbandoned,
        "timed_out" => row.TimedOut,
        "exited_key" => row.ExitedKey,
        "exited_empty" => row.ExitedEmpty,
        "withdrawn" => row.Withdrawn,
        "answered_within_sl" => row.AnsweredWithinSl,
        "service_level" => row.ServiceLevel,
        "answered_within_rings" => row.AnsweredWithinRings,
        "ring_rate" => row.RingRate,
        "asa_seconds" => row.AsaSeconds,
        "handled" => row.Handled,
        "talk_seconds" => row.TalkSeconds,
        "aht_seconds" => row.AhtSeconds,
        "abandon_rate" => row.AbandonRate,
        "avg_abandon_seconds" => row.AvgAbandonSeconds,
        "max_wait_seconds" => row.MaxWaitSeconds,
        _ => null,
    };

    public static double? Campaign(string kpi, CampaignKpiRow row) => kpi switch
    {
        "attempts" => row.Attempts,
        "connected" => row.Connected,
        "connect_rate" => row.ConnectRate,
        "no_answer" => row.NoAnswer,
        "busy" => row.Busy,
        "failed" => row.Failed,
        "contacts" => row.Contacts,
        "conversions" => row.Conversions,
        "conversion_rate" => row.ConversionRate,
        "repeat_conversion_rate" => row.RepeatConversionRate,
        "complaints" => row.Complaints,
        _ => null,
    };

    /// <summary>The display string: <c>number</c> 1,234; <c>percent</c> 67%; <c>decimal</c> 12.5; <c>duration</c> m:ss (h:mm:ss from an hour).</summary>
    public static string Display(double? value, string format)
    {
        if (value is not { } v)
        {
            return NoValue;
        }

        var invariant = CultureInfo.InvariantCulture;
        switch (format)
        {
            case "percent":
                return Math.Round(v * 100, MidpointRounding.AwayFromZero).ToString("0", invariant) + "%";
            case "decimal":
                return v.ToString("0.0", invariant);
            case "duration":
                var total = (long)Math.Round(Math.Max(0, v), MidpointRounding.AwayFromZero);
                return total >= 3600
                    ? string.Create(invariant, $"{total / 3600}:{total / 60 % 60:00}:{total % 60:00}")
                    : string.Create(invariant, $"{total / 60}:{total % 60:00}");
            default:
                return Math.Round(v, MidpointRounding.AwayFromZero).ToString("#,0", invariant);
        }
    }

    /// <summary>green, amber, red, or none (no value, or no thresholds).</summary>
    public static string State(double? value, Thresholds? thresholds)
    {
        if (value is not { } v || thresholds is null)
        {
            return "none";
        }

        var above = thresholds.Direction == "above";
        bool Reached(double? limit) => limit is { } l && (above ? v >= l : v <= l);
        return Reached(thresholds.Red) ? "red" : Reached(thresholds.Amber) ? "amber" : "green";
    }
}
