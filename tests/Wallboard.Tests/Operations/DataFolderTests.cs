using Microsoft.Extensions.DependencyInjection;
using Wallboard.Hub.Hosting;

namespace Wallboard.Tests.Operations;

/// <summary>Storage:DataPath: the one folder everything the server writes goes to.</summary>
public sealed class DataFolderTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("wallboard-data-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void RelativePathsAreUnderTheDataFolderAndAbsoluteOnesStayAsTheyAre()
    {
        var data = new DataFolder(Path.Combine(_root, "data"));

        Assert.Equal(Path.Combine(_root, "data", "history.db"), data.Resolve("history.db"));
        Assert.Equal(Path.Combine(_root, "data", "x", "tails"), data.Resolve("x/tails"));
        Assert.Equal("/var/lib/elsewhere/history.db", data.Resolve("/var/lib/elsewhere/history.db"));
        Assert.Equal(string.Empty, data.Resolve(" "));
        Assert.True(Directory.Exists(Path.Combine(_root, "data")));
        Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(_root, "data"))); // the write check leaves nothing
    }

    [Fact]
    public void AFileWhereTheFolderShouldBeStopsWithOneLineNamingTheKey()
    {
        var blocker = Path.Combine(_root, "data");
        File.WriteAllText(blocker, "not a folder");

        var error = Assert.Throws<SetupException>(() => new DataFolder(blocker));

        Assert.StartsWith($"Storage:DataPath: the folder {blocker} cannot be written by this user", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    /// <summary>With no path of their own, history and the checkpoint (with the tails' positions) go to the data folder, not to wherever the server was started.</summary>
    [Fact]
    public async Task TheServerKeepsItsHistoryAndCheckpointInTheDataFolder()
    {
        var data = Path.Combine(_root, "data");
        var log = Path.Combine(_root, "queue_log");
        await File.WriteAllTextAsync(log, string.Empty);
        var app = WallboardHost.Build(
        [
            "--urls", "http://127.0.0.1:0", "--Storage:DataPath=" + data, "--Sources:QueueLogs:0=" + log,
            "--Dashboards:BuiltIn=false", "--Logging:LogLevel:Default=Warning",
        ]);
        string checkpoint;
        await using (app)
        {
            await app.StartAsync();
            checkpoint = app.Services.GetRequiredService<Wallboard.Hub.Durability.StatePaths>().Checkpoint;
            await app.StopAsync();
        }

        Assert.True(File.Exists(Path.Combine(data, "history.db")));
        Assert.Equal(Path.Combine(data, "checkpoint.bin"), checkpoint);
    }
}
