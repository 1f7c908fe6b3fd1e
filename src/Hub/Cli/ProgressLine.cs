using System.Globalization;

namespace Wallboard.Hub.Cli;

/// <summary>
/// A single progress line on a terminal, redrawn in place; silent when the output is redirected
/// (a log file should not fill with carriage returns) or when the input is small.
/// </summary>
internal sealed class ProgressLine : IDisposable
{
    private const long MinimumBytes = 32L << 20;

    private readonly TextWriter _writer;
    private readonly bool _enabled;
    private int _lastPercent = -1;
    private bool _drawn;

    public ProgressLine(TextWriter writer, long totalBytes)
    {
        _writer = writer;
        _enabled = totalBytes >= MinimumBytes && ReferenceEquals(writer, Console.Error) && !Console.IsErrorRedirected;
    }

    /// <summary>Called by a reader with the bytes read so far of the file it reads and that file's size.</summary>
    public void Report(long bytesRead, long totalBytes)
    {
        if (!_enabled || totalBytes <= 0)
        {
            return;
        }

        var percent = (int)(bytesRead * 100 / totalBytes);
        if (percent == _lastPercent)
        {
            return;
        }

        _lastPercent = percent;
        _drawn = true;
        _writer.Write(string.Create(CultureInfo.InvariantCulture, $"\rreading {percent,3}% ({bytesRead >> 20} of {totalBytes >> 20} MB)"));
    }

    public void Dispose()
    {
        if (_drawn)
        {
            _writer.Write("\r" + new string(' ', 40) + "\r");
            _drawn = false;
        }
    }
}
