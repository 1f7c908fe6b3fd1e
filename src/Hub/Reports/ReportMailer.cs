using System.Globalization;
using System.Net;
using System.Text;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Wallboard.Hub.Reports;

/// <summary>Sends a report by SMTP (MailKit): a short HTML summary in the body, the PDF attached.</summary>
internal sealed class ReportMailer(IOptions<ReportsOptions> options, TimeProvider time)
{
    public static SecureSocketOptions? ParseTls(string? value) => value?.ToLowerInvariant() switch
    {
        "none" => SecureSocketOptions.None,
        "starttls" => SecureSocketOptions.StartTls,
        "ssl" => SecureSocketOptions.SslOnConnect,
        _ => null,
    };

    /// <summary>Sends one message; throws when the server cannot be reached or refuses it, so the caller's job is retried.</summary>
    public async Task SendAsync(IReadOnlyList<string> recipients, string subject, string html, byte[] pdf, string fileName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(recipients);
        var smtp = options.Value.Smtp;
        using var message = new MimeMessage
        {
            Subject = subject,
            Date = time.GetUtcNow(),
        };
        message.From.Add(MailboxAddress.Parse(smtp.From ?? string.Empty));
        foreach (var recipient in recipients)
        {
            message.To.Add(MailboxAddress.Parse(recipient));
        }

        var body = new BodyBuilder { HtmlBody = html };
        body.Attachments.Add(fileName, pdf, new ContentType("application", "pdf"));
        message.Body = body.ToMessageBody();

        using var client = new SmtpClient { Timeout = smtp.TimeoutSeconds * 1000 };
        await client.ConnectAsync(smtp.Host ?? string.Empty, smtp.Port, ParseTls(smtp.Tls) ?? SecureSocketOptions.StartTls, cancellationToken).ConfigureAwait(false);
        if (!string.IsNullOrEmpty(smtp.Username))
        {
            await client.AuthenticateAsync(smtp.Username, smtp.Password ?? string.Empty, cancellationToken).ConfigureAwait(false);
        }

        await client.SendAsync(message, cancellationToken).ConfigureAwait(false);
        await client.DisconnectAsync(quit: true, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The body: the report's title and its headline KPIs against the previous period.</summary>
    public static string SummaryHtml(string title, string periodLabel, IReadOnlyList<HeadlineFigure> headline)
    {
        ArgumentNullException.ThrowIfNull(headline);
        var html = new StringBuilder();
        html.Append(CultureInfo.InvariantCulture, $"<!DOCTYPE html><html><body style=\"font-family:sans-serif\"><h2>{WebUtility.HtmlEncode(title)}</h2>");
        html.Append(CultureInfo.InvariantCulture, $"<p>{WebUtility.HtmlEncode(periodLabel)}</p>");
        if (headline.Count > 0)
        {
            html.Append("<table cellpadding=\"4\" style=\"border-collapse:collapse\"><tr><th align=\"left\">KPI</th><th align=\"right\">This period</th><th align=\"right\">Previous</th></tr>");
            foreach (var figure in headline)
            {
                html.Append(CultureInfo.InvariantCulture, $"<tr><td>{WebUtility.HtmlEncode(figure.Name)}</td><td align=\"right\">{WebUtility.HtmlEncode(figure.Current)}</td><td align=\"right\">{WebUtility.HtmlEncode(figure.Previous)}</td></tr>");
            }

            html.Append("</table>");
        }

        html.Append("<p>The full report is attached as a PDF.</p></body></html>");
        return html.ToString();
    }
}
