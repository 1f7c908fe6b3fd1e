using System.Reflection;

namespace Wallboard.Hub.Operations;

/// <summary>
/// The version and the commit this executable was built from: the SDK writes the commit (from the
/// repository's git metadata) after a '+' in the informational version, <c>0.1.0+9129f58f…</c>.
/// A build from a source tree without git metadata says <c>unknown</c>.
/// </summary>
internal static class BuildInfo
{
    private static readonly string Informational =
        typeof(BuildInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";

    public static string Version { get; } = Informational.Split('+')[0];

    public static string Commit { get; } = Informational.Split('+') is [_, var commit, ..] && commit.Length > 0 ? commit : "unknown";

    /// <summary>What <c>wallboard --version</c> prints.</summary>
    public static string Line => $"wallboard {Version} (commit {Commit})";
}
