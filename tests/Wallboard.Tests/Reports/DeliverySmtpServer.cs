using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using MimeKit;

namespace Wallboard.Tests.Reports;

/// <summary>
/// A real SMTP server: Debian's aiosmtpd with its Mailbox handler, which writes every accepted
/// message to a Maildir that the tests read back. Uses the server CI started
/// (<c>WALLBOARD_TEST_SMTP</c>, <c>WALLBOARD_TEST_SMTP_MAILBOX</c>, see .ci/smtp.sh) or starts its
/// own on a free port of 127.0.0.1.
/// </summary>
internal sealed class DeliverySmtpServer : IAsyncDisposable
{
    public const string Python = "/usr/bin/python3";

    private static readonly string[] MaildirFolders = ["new", "cur"];

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private readonly Process? _process;
    private readonly string? _ownFolder;
    private readonly HashSet<string> _seenBefore;

    private DeliverySmtpServer(int port, string mailbox, Process? process, string? ownFolder)
    {
        Port = port;
        Mailbox = mailbox;
        _process = process;
        _ownFolder = ownFolder;

        // A shared CI server holds the other tests' messages too: only messages that arrive from now on count.
        _seenBefore = [.. Files()];
    }

    public int Port { get; }

    public string Mailbox { get; }

    /// <summary>The CI server when one is configured, else a private one.</summary>
    public static async Task<DeliverySmtpServer> SharedOrStartAsync()
    {
        var address = Environment.GetEnvironmentVariable("WALLBOARD_TEST_SMTP");
        var mailbox = Environment.GetEnvironmentVariable("WALLBOARD_TEST_SMTP_MAILBOX");
        if (!string.IsNullOrEmpty(address) && !string.IsNullOrEmpty(mailbox))
        {
            var port = int.Parse(address[(address.LastIndexOf(':') + 1)..], CultureInfo.InvariantCulture);
            return new DeliverySmtpServer(port, mailbox, process: null, ownFolder: null);
        }

        return await StartAsync(FreePort());
    }

    /// <summary>Starts a private aiosmtpd on <paramref name="port"/> and waits until it accepts connections.</summary>
    public static async Task<DeliverySmtpServer> StartAsync(int port)
    {
        var folder = Directory.CreateTempSubdirectory("wallboard-smtp-").FullName;
        var mailbox = Path.Combine(folder, "Maildir");
        var start = new ProcessStartInfo(Python)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "-m", "aiosmtpd", "-n", "-l", $"127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}", "-c", "aiosmtpd.handlers.Mailbox", mailbox })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start aiosmtpd");
        var server = new DeliverySmtpServer(port, mailbox, process, folder);
        using var timeout = new CancellationTokenSource(StartTimeout);
        while (true)
        {
            if (process.HasExited)
            {
                var error = await process.StandardError.ReadToEndAsync();
                throw new InvalidOperationException($"aiosmtpd exited ({process.ExitCode}): {error} — is python3-aiosmtpd installed (apt-get install python3-aiosmtpd)?");
            }

            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, port, timeout.Token);
                return server;
            }
            catch (SocketException)
            {
                // Not listening yet: python is still importing.
                await Task.Delay(TimeSpan.FromMilliseconds(50), TimeProvider.System, timeout.Token);
            }
        }
    }

    /// <summary>A port nothing listens on (yet).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>The messages delivered since this fixture was created, oldest first.</summary>
    public IReadOnlyList<MimeMessage> Messages() =>
        [.. Files().Where(file => !_seenBefore.Contains(file)).Order(StringComparer.Ordinal).Select(file => MimeMessage.Load(file))];

    /// <summary>Messages delivered to <paramref name="recipient"/> (a shared server also holds other tests' mail).</summary>
    public IReadOnlyList<MimeMessage> MessagesTo(string recipient) =>
        [.. Messages().Where(message => message.To.Mailboxes.Any(box => string.Equals(box.Address, recipient, StringComparison.OrdinalIgnoreCase)))];

    private IEnumerable<string> Files() =>
        MaildirFolders.Select(sub => Path.Combine(Mailbox, sub)).Where(Directory.Exists).SelectMany(Directory.EnumerateFiles);

    public async ValueTask DisposeAsync()
    {
        if (_process is not null)
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }

            _process.Dispose();
        }

        if (_ownFolder is not null)
        {
            Directory.Delete(_ownFolder, recursive: true);
        }
    }
}
