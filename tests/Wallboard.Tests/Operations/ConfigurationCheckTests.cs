using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Wallboard.Hub.Hosting;
using Wallboard.Hub.Operations;

namespace Wallboard.Tests.Operations;

/// <summary>Every owned section checked against its options type at start: unknown keys, values that do not convert, near-miss sections.</summary>
public sealed class ConfigurationCheckTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("wallboard-config-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void ATypoInAKeyStopsTheStartNamingTheKeyAndTheKeysItMayBe()
    {
        var error = BuildFails("--Metrics:TimeZon=UTC");

        var failure = Assert.Single(error.Failures);
        Assert.StartsWith("Metrics:TimeZon: unknown key; did you mean TimeZone? (Metrics has CadenceSeconds, ", failure, StringComparison.Ordinal);
        Assert.Contains("SlFormula, SlThresholdSeconds, TimeZone)", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void AValueThatDoesNotConvertIsNamedWithTheValuesItMayTake()
    {
        var error = BuildFails("--Metrics:Rings=three", "--Sources:Demo=perhaps", "--Metrics:CadenceSeconds=1,5");

        Assert.Equal(
            ["Metrics:CadenceSeconds: '1,5' is not a number (e.g. 2.5)", "Metrics:Rings: 'three' is not a whole number", "Sources:Demo: 'perhaps' is not true or false"],
            error.Failures.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void KeysInsideListsAndDictionariesAreCheckedToo()
    {
        var error = BuildFails("--Metrics:Queues:sales:SlTreshold=30", "--Metrics:ShiftStarts:first=08:00", "--Reports:Smtp:Hots=mail");

        Assert.Equal(3, error.Failures.Count());
        Assert.Contains(error.Failures, failure => failure.StartsWith("Metrics:Queues:sales:SlTreshold: unknown key; did you mean SlThresholdSeconds?", StringComparison.Ordinal)
            || failure.StartsWith("Metrics:Queues:sales:SlTreshold: unknown key (", StringComparison.Ordinal));
        Assert.Contains("Metrics:ShiftStarts:first: a list takes entries 0, 1, 2…, not 'first'", error.Failures);
        Assert.Contains(error.Failures, failure => failure.StartsWith("Reports:Smtp:Hots: unknown key; did you mean Host?", StringComparison.Ordinal));
    }

    [Fact]
    public void ASectionNameOneLetterOffIsReported()
    {
        var error = BuildFails("--Acess:Admin:0=admin-key-0123456789");

        Assert.Equal("Acess: unknown section; did you mean Access?", Assert.Single(error.Failures));
    }

    [Fact]
    public void RangeAnnotationsNameTheKeyAndTheValueGiven()
    {
        var error = BuildFails("--Metrics:Rings=40");

        Assert.Contains("Metrics:Rings: The field Rings must be between 1 and 20. (got 40)", error.Failures);
    }

    /// <summary>Values of the right type but wrong for the section, in several sections at once: one line each, exit 2, no stack trace.</summary>
    [Fact]
    public async Task ServeReportsEverySectionsFailuresOneLineEach()
    {
        var errors = new StringWriter();
        var exit = await Wallboard.Hub.Cli.WallboardCommandLine.InvokeAsync(
            [
                "serve", "--urls", "http://127.0.0.1:0", "--Sources:Demo=false", "--Storage:DataPath=" + Path.Combine(_root, "data"), "--Logging:LogLevel:Default=None",
                "--Alerts:WebhookUrl=ftp://hooks.example/x", "--Alerts:TimeoutSeconds=0", "--Sources:DemoScale=1000", "--Ingest:MaxBodyBytes=10",
            ],
            new System.CommandLine.InvocationConfiguration { Output = new StringWriter(), Error = errors }).WaitAsync(TimeSpan.FromSeconds(60));

        var lines = errors.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(2, exit);
        Assert.All(lines, line => Assert.StartsWith("wallboard: configuration: ", line, StringComparison.Ordinal));
        Assert.Contains("wallboard: configuration: Alerts:WebhookUrl must be an absolute http(s) URL, got 'ftp://hooks.example/x'", lines);
        Assert.Contains(lines, line => line.StartsWith("wallboard: configuration: Alerts:TimeoutSeconds: ", StringComparison.Ordinal));
        Assert.Contains(lines, line => line.StartsWith("wallboard: configuration: Sources:DemoScale: ", StringComparison.Ordinal));
        Assert.Contains(lines, line => line.StartsWith("wallboard: configuration: Ingest:MaxBodyBytes: ", StringComparison.Ordinal));
    }

    /// <summary>How a section added later (Staffing, Directory…) is covered: registered the same way, nothing more.</summary>
    [Fact]
    public void ASectionRegisteredWithAddWallboardOptionsIsCheckedWithoutMoreCode()
    {
        var services = new ServiceCollection();
        services.AddWallboardOptions<ExampleOptions>("Example");
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Example:Teams:0:Name"] = "north",
            ["Example:Teams:0:Seats"] = "twelve",
            ["Example:Teams:0:Colour"] = "red",
            ["Example:Level"] = "High",
            ["Example:Mode"] = "loud",
            ["PATH"] = "/usr/bin", // environment variables are top-level keys too
            ["Logging:LogLevel:Default"] = "Warning", // not ours
        }).Build();
        using var provider = services.BuildServiceProvider();

        var problems = ConfigurationCheck.Problems(configuration, provider.GetServices<OwnedSection>());

        Assert.Equal(
            [
                "Example:Mode: 'loud' is not one of Quiet, Normal",
                "Example:Teams:0:Colour: unknown key (Example:Teams:0 has Name, Seats)",
                "Example:Teams:0:Seats: 'twelve' is not a whole number",
            ],
            problems.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void TheShippedSettingsAndTheServiceEnvironmentExamplePassTheCheck()
    {
        var settings = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(RepositoryPaths.RepositoryRoot, "src", "Hub", "appsettings.json"))
            .AddInMemoryCollection(DeployTests.EnvironmentExample())
            .Build();
        using var app = WallboardHost.Build(["--Storage:DataPath=" + Path.Combine(_root, "data"), "--urls", "http://127.0.0.1:0"]);

        Assert.Empty(ConfigurationCheck.Problems(settings, app.Services.GetServices<OwnedSection>()));
        Assert.NotEmpty(DeployTests.EnvironmentExample());
    }

    private OptionsValidationException BuildFails(params string[] args) =>
        Assert.Throws<OptionsValidationException>(() => WallboardHost.Build(
            ["--urls", "http://127.0.0.1:0", "--Sources:Demo=false", "--Storage:DataPath=" + Path.Combine(_root, "data"), "--Logging:LogLevel:Default=None", .. args]));

    internal enum ExampleMode
    {
        Quiet,
        Normal,
    }

    internal sealed class ExampleOptions
    {
        public List<ExampleTeam> Teams { get; set; } = [];

        public string Level { get; set; } = "Low";

        public ExampleMode Mode { get; set; }

        public bool Computed => Teams.Count > 0;
    }

    internal sealed class ExampleTeam
    {
        public string Name { get; set; } = string.Empty;

        public int Seats { get; set; }
    }
}
