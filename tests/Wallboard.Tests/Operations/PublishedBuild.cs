using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace Wallboard.Tests.Operations;

/// <summary>
/// <c>dotnet publish src/Hub -o out</c>, once for the test run, into a temporary folder that any
/// user may read (the tests run it as an unprivileged user too), and ways to run it as a service
/// would: from another working directory. It publishes the build the tests already made (their
/// configuration, <c>--no-build</c>): the same publish targets as README's <c>-c Release</c>, in
/// seconds instead of a second compile of every project.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class PublishedBuild : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("wallboard-publish-").FullName;

    public string Output => Path.Combine(_folder, "out");

    public string Executable => Path.Combine(Output, "wallboard");

    public static bool IsRoot => Environment.UserName == "root";

    public async Task InitializeAsync()
    {
        File.SetUnixFileMode(_folder, ReadableByAll);
        // bin/{configuration}/net10.0/ of the tests: src/Hub was built the same way for them.
        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
        // No build servers left running after the test run.
        var (exit, output) = await RunAsync(
            "dotnet",
            ["publish", Path.Combine(RepositoryPaths.RepositoryRoot, "src", "Hub"), "-c", configuration, "-o", Output, "--no-build", "--disable-build-servers", "-nologo"],
            RepositoryPaths.RepositoryRoot,
            TimeSpan.FromMinutes(8));
        if (exit != 0)
        {
            throw new InvalidOperationException($"dotnet publish failed ({exit}):\n{output}");
        }
    }

    public Task DisposeAsync()
    {
        Directory.Delete(_folder, recursive: true);
        return Task.CompletedTask;
    }

    /// <summary>A folder for one test's data, which any user may read, and write when <paramref name="writableByAll"/>.</summary>
    public string NewFolder(string name, bool writableByAll = false)
    {
        var folder = Path.Combine(_folder, name + "-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        File.SetUnixFileMode(folder, writableByAll ? ReadableByAll | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite : ReadableByAll);
        return folder;
    }

    /// <summary>
    /// Runs the published executable to its end from <paramref name="workingDirectory"/>; as the
    /// unprivileged user <c>nobody</c> when <paramref name="unprivileged"/> (root would pass every
    /// permission check).
    /// </summary>
    public Task<(int Exit, string Output)> RunToEndAsync(string workingDirectory, bool unprivileged, params string[] args) =>
        unprivileged && IsRoot
            ? RunAsync("/usr/bin/setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", "--", Executable, .. args], workingDirectory, TimeSpan.FromMinutes(1))
            : RunAsync(Executable, args, workingDirectory, TimeSpan.FromMinutes(1));

    /// <summary>Starts the server and returns once it has logged where it listens (JSON console lines).</summary>
    public async Task<RunningServer> StartAsync(string workingDirectory, params string[] args)
    {
        var start = new ProcessStartInfo(Executable, ["serve", "--urls", "http://127.0.0.1:0", "--Logging:Console:FormatterName=json", .. args])
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var process = Process.Start(start)!;
        var server = new RunningServer(process);
        await server.Address.Task.WaitAsync(TimeSpan.FromSeconds(60));
        return server;
    }

    private static Task<(int Exit, string Output)> RunAsync(string file, string[] args, string workingDirectory, TimeSpan timeout) =>
        ExternalProcess.RunAsync(file, args, timeout, workingDirectory);

    private const UnixFileMode ReadableByAll = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;
}

/// <summary>A published server running in its own process; its JSON log lines are kept.</summary>
public sealed class RunningServer : IAsyncDisposable
{
    /// <summary>The placeholder of the start-up line that holds the address (StartupCheck, event 600).</summary>
    private const string AddressField = "Address";

    private readonly Process _process;
    private readonly StringBuilder _log = new();

    public RunningServer(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, line) => OnLine(line.Data);
        process.ErrorDataReceived += (_, line) => OnLine(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _ = process.WaitForExitAsync().ContinueWith(_ => Address.TrySetException(new InvalidOperationException("the server exited:\n" + Log)), TaskScheduler.Default);
    }

    /// <summary>The address from the start-up line (event 600), with a trailing slash.</summary>
    public TaskCompletionSource<Uri> Address { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    public ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        _process.Dispose();
        return ValueTask.CompletedTask;
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            _log.AppendLine(line);
        }

        if (line.StartsWith('{'))
        {
            using var entry = JsonDocument.Parse(line);
            if (entry.RootElement.GetProperty("EventId").GetInt32() == 600)
            {
                Address.TrySetResult(new Uri(entry.RootElement.GetProperty("State").GetProperty(AddressField).GetString()!));
            }
        }
    }
}
