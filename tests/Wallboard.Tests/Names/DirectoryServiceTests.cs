using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Wallboard.Hub.Names;
using Wallboard.Metrics.Names;

namespace Wallboard.Tests.Names;

/// <summary>The server's directory: read at start, watched, a bad version reported while the last good one stays.</summary>
public sealed class DirectoryServiceTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("wallboard-directory-").FullName;
    private DateTime _stamp = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        _stamp = _stamp.AddMinutes(1);
        File.SetLastWriteTimeUtc(path, _stamp);
        return path;
    }

    private DirectoryService Service(DirectoryOptions options, IDictionary<string, string?>? settings = null) => new(
        Options.Create(options),
        new ConfigurationBuilder().AddInMemoryCollection(settings ?? new Dictionary<string, string?>()).Build(),
        new Environment(_dir),
        new FakeTimeProvider(),
        NullLogger<DirectoryService>.Instance);

    [Fact]
    public void AChangedFileIsReadAgainAndABadOneKeepsTheLastGoodVersion()
    {
        var path = Write("directory.json", """{ "queues": { "sales": { "name": "销售热线" } } }""");
        using var service = Service(new DirectoryOptions { Path = "directory.json" });
        var changes = new List<NameDirectory>();
        service.Changed += changes.Add;
        Assert.Equal("销售热线", service.Current.QueueName("sales"));

        Write("directory.json", """{ "queues": { "sales": { "name": "Sales", "slTarget": 8 } } }""");
        Assert.True(service.Refresh());
        Assert.Equal("销售热线", service.Current.QueueName("sales"));
        Assert.Equal(["directory.json: $.queues.sales.slTarget: must be a fraction between 0 and 1 (0.8 = 80 %), got 8"], service.Errors);

        Write("directory.json", """{ "queues": { "sales": { "name": "Sales line" } }, "agents": { "Sathish": { "aliases": ["PJSIP/7009"] } } }""");
        Assert.True(service.Refresh());
        Assert.Equal("Sales line", service.Current.QueueName("sales"));
        Assert.Empty(service.Errors);
        Assert.Equal("Sathish", service.Aliases.Current.Resolve("PJSIP/7009"));
        Assert.False(service.Refresh()); // nothing changed since
        Assert.Equal(2, changes.Count);
        Assert.True(File.Exists(path));
    }

    [Fact]
    public void QueuesConfMembersAndTheOlderSettingsMakeTheAliasesAndAnIncludedFileIsWatchedToo()
    {
        Write("queues.conf", "[general]\n#include queues_additional.conf\n");
        Write("queues_additional.conf", "[1501]\nmember=Local/7009@from-queue/n,0,Sathish,hint:7009@ext-local\n");
        using var service = Service(
            new DirectoryOptions { QueuesConf = ["queues.conf"] },
            new Dictionary<string, string?> { ["Teams:team-sales:0"] = "Sathish", ["AgentNames:Sathish"] = "Sathish Kumar" });

        Assert.Equal("Sathish", service.Aliases.Current.Resolve("Local/7009@from-queue/n"));
        Assert.Equal("Sathish", service.Aliases.Current.Resolve("hint:7009@ext-local"));
        Assert.Equal(("Sathish Kumar", "team-sales"), (service.Current.AgentName("Sathish"), service.Current.AgentTeam("Sathish", [], null)));

        Write("queues_additional.conf", "[1501]\nmember=Local/7009@from-queue/n,0,Sathish K,hint:7009@ext-local\n");
        Assert.True(service.Refresh());
        Assert.Equal("Sathish K", service.Aliases.Current.Resolve("Local/7009@from-queue/n"));
    }

    [Fact]
    public void AMissingFileIsReportedOnceAndReadWhenItAppears()
    {
        using var service = Service(new DirectoryOptions { Path = "later.json" });
        Assert.Single(service.Errors, error => error.StartsWith("later.json: cannot read:", StringComparison.Ordinal));
        Assert.False(service.Refresh());

        Write("later.json", """{ "campaigns": { "sales-q4": { "name": "Q4" } } }""");
        Assert.True(service.Refresh());
        Assert.Equal("Q4", service.Current.CampaignName("sales-q4"));
        Assert.Empty(service.Errors);
    }

    [Theory]
    [InlineData(" ", null, 2.0, "Directory:Path is empty; leave it out for no directory file")]
    [InlineData(null, "", 2.0, "Directory:QueuesConf:0 is empty")]
    [InlineData(null, null, 0.0, "Directory:PollSeconds must be 0.1–3600, got 0")]
    public void BadSettingsAreRefusedNamingTheKey(string? path, string? queuesConf, double pollSeconds, string expected)
    {
        var options = new DirectoryOptions { Path = path, QueuesConf = queuesConf is null ? [] : [queuesConf], PollSeconds = pollSeconds };
        var result = new DirectoryOptionsValidator().Validate(null, options);
        Assert.Equal([expected], result.Failures);
    }

    private sealed class Environment(string root) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = "Test";

        public string ApplicationName { get; set; } = "wallboard";

        public string ContentRootPath { get; set; } = root;

        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}
