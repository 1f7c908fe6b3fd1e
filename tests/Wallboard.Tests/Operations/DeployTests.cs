using System.Text.RegularExpressions;

namespace Wallboard.Tests.Operations;

/// <summary>deploy/: the systemd unit as systemd reads it, and the environment file it loads.</summary>
public sealed partial class DeployTests : IDisposable
{
    public const string SystemdAnalyze = "/usr/bin/systemd-analyze";

    private static readonly string Deploy = Path.Combine(RepositoryPaths.RepositoryRoot, "deploy");
    private readonly string _root = Directory.CreateTempSubdirectory("wallboard-unit-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    /// <summary>
    /// <c>systemd-analyze verify</c> reads the unit as systemd would: unknown keys, values it cannot
    /// parse and an ExecStart that is not executable are reported (it exits 0 on most of them, so
    /// the test wants no output at all). It runs against a root folder holding the unit, the
    /// system's own units and an executable at the unit's ExecStart path, so nothing is installed.
    /// </summary>
    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task TheUnitPassesSystemdAnalyzeVerify()
    {
        if (!File.Exists(SystemdAnalyze))
        {
            throw new InvalidOperationException($"{SystemdAnalyze} is missing: install the Debian package systemd (.ci/install-test-deps.sh installs it).");
        }

        var units = Path.Combine(_root, "etc", "systemd", "system");
        Directory.CreateDirectory(units);
        File.Copy(Path.Combine(Deploy, "wallboard.service"), Path.Combine(units, "wallboard.service"));
        CopyFolder("/usr/lib/systemd/system", Path.Combine(_root, "usr", "lib", "systemd", "system"));
        var executable = Path.Combine(_root, "opt", "wallboard", "wallboard");
        Directory.CreateDirectory(Path.GetDirectoryName(executable)!);
        await File.WriteAllTextAsync(executable, "#!/bin/sh\n");
        File.SetUnixFileMode(executable, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);

        var (exit, output) = await RunAsync(SystemdAnalyze, "verify", "--root=" + _root, "wallboard.service");

        Assert.True(exit == 0 && output.Length == 0, $"systemd-analyze verify: exit {exit}: {output}");
    }

    [Fact]
    public async Task AnUnknownKeyInTheUnitIsWhatVerifyCatches()
    {
        // The check above proves something only if verify speaks up on a bad unit in this setup.
        var units = Path.Combine(_root, "etc", "systemd", "system");
        Directory.CreateDirectory(units);
        var unit = (await File.ReadAllTextAsync(Path.Combine(Deploy, "wallboard.service"))).Replace("ProtectSystem=strict", "ProtectSystm=strict", StringComparison.Ordinal);
        await File.WriteAllTextAsync(Path.Combine(units, "wallboard.service"), unit);
        CopyFolder("/usr/lib/systemd/system", Path.Combine(_root, "usr", "lib", "systemd", "system"));

        var (_, output) = await RunAsync(SystemdAnalyze, "verify", "--root=" + _root, "wallboard.service");

        Assert.Contains("Unknown key 'ProtectSystm'", output, StringComparison.Ordinal);
        Assert.Contains("/opt/wallboard/wallboard is not executable", output, StringComparison.Ordinal);
    }

    [Fact]
    public void TheUnitRunsAsItsOwnUserWithItsDataInItsStateDirectoryAndHardened()
    {
        var settings = File.ReadAllLines(Path.Combine(Deploy, "wallboard.service"))
            .Where(line => line.Length > 0 && !line.StartsWith('#') && !line.StartsWith('['))
            .Select(line => line.Split('=', 2))
            .ToLookup(pair => pair[0], pair => pair[1], StringComparer.Ordinal);

        Assert.Equal("wallboard", Assert.Single(settings["User"]));
        Assert.Equal("wallboard", Assert.Single(settings["StateDirectory"]));
        Assert.Contains("Storage__DataPath=/var/lib/wallboard", settings["Environment"]);
        Assert.Equal("/opt/wallboard/wallboard serve", Assert.Single(settings["ExecStart"]));
        Assert.Equal("yes", Assert.Single(settings["NoNewPrivileges"]));
        Assert.Equal("strict", Assert.Single(settings["ProtectSystem"]));
        Assert.Equal("2", Assert.Single(settings["RestartPreventExitStatus"])); // a setup error: restarting cannot fix it
    }

    /// <summary>The settings of deploy/wallboard.env, commented-out examples included, as configuration keys (<c>__</c> is <c>:</c>).</summary>
    internal static Dictionary<string, string?> EnvironmentExample() =>
        File.ReadAllLines(Path.Combine(Deploy, "wallboard.env"))
            .Select(line => Setting().Match(line))
            .Where(match => match.Success)
            .ToDictionary(match => match.Groups[1].Value.Replace("__", ":", StringComparison.Ordinal), match => (string?)match.Groups[2].Value, StringComparer.OrdinalIgnoreCase);

    [GeneratedRegex("^#?([A-Za-z][A-Za-z0-9_]*)=(.*)$")]
    private static partial Regex Setting();

    private static void CopyFolder(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var entry in new DirectoryInfo(from).EnumerateFileSystemInfos())
        {
            var target = Path.Combine(to, entry.Name);
            if (entry.LinkTarget is { } link)
            {
                File.CreateSymbolicLink(target, link);
            }
            else if (entry is DirectoryInfo folder)
            {
                CopyFolder(folder.FullName, target);
            }
            else
            {
                File.Copy(entry.FullName, target);
            }
        }
    }

    private static async Task<(int Exit, string Output)> RunAsync(string file, params string[] args)
    {
        var (exit, output) = await ExternalProcess.RunAsync(file, args, TimeSpan.FromSeconds(60));
        return (exit, output.Trim());
    }
}
