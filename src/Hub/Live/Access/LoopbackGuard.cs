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

    /// <summary>
    /// The addresses the configuration makes Kestrel listen on: <c>urls</c> (<c>--urls</c>,
    /// <c>ASPNETCORE_URLS</c>) and every <c>Kestrel:Endpoints:{name}:Url</c>.
    /// </summary>
    public static IEnumerable<string> ConfiguredAddresses(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var urls = (configuration[WebHostDefaults.ServerUrlsKey] ?? string.Empty).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var endpoints = configuration.GetSection("Kestrel:Endpoints").GetChildren()
            .Select(endpoint => endpoint["Url"])
            .Where(url => !string.IsNullOrWhiteSpace(url))
            .Select(url => url!.Trim());
        return urls.Concat(endpoints);
    }

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
internal sealed class InsecureBindException(string message) : Hosting.SetupException(message);
