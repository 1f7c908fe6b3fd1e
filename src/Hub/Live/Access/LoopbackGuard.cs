using System.Net;

namespace Wallboard.Hub.Live.Access;

/// <summary>
/// Without keys the server is an open demo, so it may listen on loopback only. Checked on the
/// configured URLs before start and on the bound addresses after.
/// </summary>
internal static class LoopbackGuard
{
    /// <summary>The addresses that are not loopback (a wildcard host such as <c>*</c>, <c>+</c> or <c>0.0.0.0</c> is not).</summary>
    public static IReadOnlyList<string> NonLoopback(IEnumerable<string> urls) =>
        [.. urls.Where(url => !IsLoopback(url))];

    public static bool IsLoopback(string url)
    {
        // "http://*:80" and "http://+:80" are not valid Uris; they mean every interface.
        var hostStart = url.IndexOf("://", StringComparison.Ordinal);
        var rest = hostStart < 0 ? url : url[(hostStart + 3)..];
        if (rest.StartsWith('*') || rest.StartsWith('+'))
        {
            return false;
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            return false;
        }

        if (string.Equals(uri.Host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        return IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address);
    }
}

/// <summary>Thrown at start when the server would listen beyond loopback without keys.</summary>
internal sealed class InsecureBindException(string message) : Exception(message);
