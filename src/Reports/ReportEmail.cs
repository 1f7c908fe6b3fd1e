using System.Globalization;
using System.Net;
using System.Text;

namespace Wallboard.Reports;

/// <summary>
/// The body of a report's email: its title, period and queues, and the headline KPIs against the
/// previous period, in the report's language (the PDF is attached).
/// </summary>
public static class ReportEmail
{
    /// <param name="language">en or zh-CN, as the report.</param>
    /// <param name="title">The report's title.</param>
    /// <param name="period">The period's name (e.g. 2026-11-27, 2026-W48).</param>
    /// <param name="queues">The queues reported on, or null for all.</param>
    /// <param name="headline">The headline KPIs: name, this period, previous period, formatted.</param>
    public static string SummaryHtml(string language, string title, string period, IReadOnlyList<string>? queues, IReadOnlyList<(string Name, string Current, string Previous)> headline)
    {
        ArgumentNullException.ThrowIfNull(headline);
        var text = ReportText.For(language);
        var queueText = queues is { Count: > 0 } ? string.Join(text.ListSeparator, queues) : text.AllQueues;
        var html = new StringBuilder();
        html.Append(CultureInfo.InvariantCulture, $"<!DOCTYPE html><html lang=\"{text.Language}\"><head><meta charset=\"utf-8\"></head><body style=\"font-family:sans-serif\"><h2>{Encode(title)}</h2>");
        html.Append(CultureInfo.InvariantCulture, $"<p>{Encode(LabelValue(text, text.PeriodLabel, period))} · {Encode(LabelValue(text, text.QueuesLabel, queueText))}</p>");
        if (headline.Count > 0)
        {
            html.Append(CultureInfo.InvariantCulture, $"<table cellpadding=\"4\" style=\"border-collapse:collapse\"><tr><th align=\"left\">{Encode(text.EmailKpi)}</th><th align=\"right\">{Encode(text.EmailThisPeriod)}</th><th align=\"right\">{Encode(text.EmailPrevious)}</th></tr>");
            foreach (var (name, current, previous) in headline)
            {
                html.Append(CultureInfo.InvariantCulture, $"<tr><td>{Encode(name)}</td><td align=\"right\">{Encode(current)}</td><td align=\"right\">{Encode(previous)}</td></tr>");
            }

            html.Append("</table>");
        }

        html.Append(CultureInfo.InvariantCulture, $"<p>{Encode(text.EmailAttached)}</p></body></html>");
        return html.ToString();
    }

    private static string LabelValue(ReportText text, string label, string value) => string.Format(CultureInfo.InvariantCulture, text.LabelValue, label, value);

    private static string Encode(string value) => WebUtility.HtmlEncode(value);
}
