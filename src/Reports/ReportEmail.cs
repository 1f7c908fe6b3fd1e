using System.Globalization;
using System.Net;
using System.Text;

namespace Wallboard.Reports;

/// <summary>
/// The body of a report's email: its title, the report's one-sentence summary, period and queues,
/// and the headline KPIs against the periods compared with and their targets, in the report's
/// language (the PDF is attached).
/// </summary>
public static class ReportEmail
{
    private const string Worse = "#C0392B";
    private const string Better = "#1E8449";

    /// <param name="language">en or zh-CN, as the report.</param>
    /// <param name="title">The report's title.</param>
    /// <param name="period">The period's name (e.g. 2026-11-27, 2026-W48).</param>
    /// <param name="queues">The queues reported on, or null for all.</param>
    /// <param name="headline">The headline KPIs, formatted (<see cref="GeneratedReport.HeadlineRows"/>).</param>
    /// <param name="summary">The report's summary sentence, or null.</param>
    public static string SummaryHtml(string language, string title, string period, IReadOnlyList<string>? queues, IReadOnlyList<HeadlineRow> headline, string? summary = null)
    {
        ArgumentNullException.ThrowIfNull(headline);
        var text = ReportText.For(language);
        var queueText = queues is { Count: > 0 } ? string.Join(text.ListSeparator, queues) : text.AllQueues;
        var html = new StringBuilder();
        html.Append(CultureInfo.InvariantCulture, $"<!DOCTYPE html><html lang=\"{text.Language}\"><head><meta charset=\"utf-8\"></head><body style=\"font-family:sans-serif\"><h2>{Encode(title)}</h2>");
        if (summary is not null)
        {
            html.Append(CultureInfo.InvariantCulture, $"<p><b>{Encode(summary)}</b></p>");
        }

        html.Append(CultureInfo.InvariantCulture, $"<p>{Encode(text.Labelled(text.PeriodLabel, period))} · {Encode(text.Labelled(text.QueuesLabel, queueText))}</p>");
        if (headline.Count > 0)
        {
            var weekAgo = headline.Any(row => row.WeekAgo is not null);
            var targets = headline.Any(row => row.Target is not null);
            html.Append(CultureInfo.InvariantCulture, $"<table cellpadding=\"4\" style=\"border-collapse:collapse\"><tr><th align=\"left\">{Encode(text.EmailKpi)}</th><th align=\"right\">{Encode(text.EmailThisPeriod)}</th><th align=\"right\">{Encode(text.EmailPrevious)}</th>");
            html.Append(weekAgo ? $"<th align=\"right\">{Encode(text.EmailWeekAgo)}</th>" : string.Empty);
            html.Append(targets ? $"<th align=\"left\">{Encode(text.EmailTarget)}</th>" : string.Empty).Append("</tr>");
            foreach (var row in headline)
            {
                html.Append(CultureInfo.InvariantCulture, $"<tr><td>{Encode(row.Name)}</td><td align=\"right\">{Encode(row.Current)}</td><td align=\"right\">{Encode(row.Previous)}</td>");
                if (weekAgo)
                {
                    html.Append(CultureInfo.InvariantCulture, $"<td align=\"right\">{Encode(row.WeekAgo ?? string.Empty)}</td>");
                }

                if (targets)
                {
                    var color = row.TargetMet switch
                    {
                        true => $" style=\"color:{Better}\"",
                        false => $" style=\"color:{Worse}\"",
                        null => string.Empty,
                    };
                    html.Append(CultureInfo.InvariantCulture, $"<td{color}>{Encode(row.Target ?? string.Empty)}</td>");
                }

                html.Append("</tr>");
            }

            html.Append("</table>");
        }

        html.Append(CultureInfo.InvariantCulture, $"<p>{Encode(text.EmailAttached)}</p></body></html>");
        return html.ToString();
    }

    private static string Encode(string value) => WebUtility.HtmlEncode(value);
}
