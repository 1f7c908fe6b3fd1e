using Microsoft.AspNetCore.Builder;

namespace Wallboard.Tests;

/// <summary>What every test that starts the real host (<c>WallboardHost.Build</c>) on Kestrel shares.</summary>
internal static class TestHost
{
    /// <summary>
    /// Loopback on a free port, demo off, quiet logs, the test's dashboards only, and every file the
    /// host reads or writes (dashboards, web, the data folder with the checkpoint, history) under <paramref name="root"/>; then <paramref name="fixtureArguments"/>; then the
    /// test's own settings, which come last so that they win.
    /// </summary>
    public static List<string> Arguments(string root, string timeZone, IReadOnlyDictionary<string, string>? settings, params string[] fixtureArguments)
    {
        var args = new List<string>
        {
            "--urls", "http://127.0.0.1:0",
            "--Sources:Demo=false",
            "--Dashboards:Path=" + Path.Combine(root, "dashboards"),
            "--Dashboards:BuiltIn=false",
            "--Storage:DataPath=" + Path.Combine(root, "data"),
            "--Web:Path=" + Path.Combine(root, "web"),
            "--Metrics:TimeZone=" + timeZone,
            "--Logging:LogLevel:Default=Warning",
            "--History:SqlitePath=" + Path.Combine(root, "history.db"),
            "--Sources:StatePath=" + Path.Combine(root, "state"),
        };
        args.AddRange(fixtureArguments);
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            args.Add($"--{key}={value}");
        }

        return args;
    }

    /// <summary>The address Kestrel bound, with a trailing slash.</summary>
    public static Uri BaseAddressOf(WebApplication app) =>
        new(app.Urls.First(url => url.StartsWith("http://", StringComparison.Ordinal)) + "/");

    /// <summary>A client for the host, with an API key when one is given.</summary>
    public static HttpClient Client(Uri baseAddress, string? key)
    {
        var client = new HttpClient { BaseAddress = baseAddress };
        if (key is not null)
        {
            client.DefaultRequestHeaders.Add("X-Api-Key", key);
        }

        return client;
    }
}
