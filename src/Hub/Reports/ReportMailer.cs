using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Wallboard.Hub.Reports;

/// <summary>Sends a report by SMTP (MailKit): a short HTML summary in the body (<see cref="Wallboard.Reports.ReportEmail"/>), the PDF attached.</summary>
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
}
