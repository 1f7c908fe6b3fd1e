using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using Wallboard.Hub.Hosting;
using Wallboard.Hub.Live.Ingest;

namespace Wallboard.Hub.Cli;

/// <summary>
/// The configuration the commands that compute or read KPIs (<c>kpi</c>, <c>import</c>, <c>report</c>)
/// take their defaults from: the server's own (appsettings.json, environment), so that a command
/// without <c>--tz</c> counts in the same zone, with the same service-level threshold and rings, as the
/// server, and defaults live in one place (<see cref="MetricsOptions"/>).
/// </summary>
internal static class CliConfiguration
{
    /// <summary>
    /// The configuration the host sees: appsettings(.{environment}).json beside the executable (the
    /// server's content root, so a command run from any folder takes the installed settings), then
    /// environment variables, plain or WALLBOARD_-prefixed.
    /// </summary>
    public static IConfiguration Build()
    {
        var environment = Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT") ?? Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT") ?? "Production";
        return new ConfigurationBuilder()
            .SetBasePath(AppContext.BaseDirectory)
            .AddJsonFile("appsettings.json", optional: true)
            .AddJsonFile($"appsettings.{environment}.json", optional: true)
            .AddEnvironmentVariables()
            .AddEnvironmentVariables("WALLBOARD_")
            .Build();
    }

    /// <summary>Section <c>Metrics</c>, checked as the server checks it.</summary>
    /// <exception cref="OptionsValidationException">A value is wrong; each failure names its key.</exception>
    /// <exception cref="InvalidOperationException">A value does not convert (e.g. <c>Rings = "three"</c>).</exception>
    public static MetricsOptions Metrics(IConfiguration configuration) =>
        Checked(configuration, MetricsOptions.Section, new MetricsOptions(), metrics => new MetricsOptionsValidator().Validate(null, metrics));

    /// <summary>Section <c>Ingest</c>, its annotations checked as the server checks them.</summary>
    /// <exception cref="OptionsValidationException">A value is out of range; the failure names its key.</exception>
    /// <exception cref="InvalidOperationException">A value does not convert.</exception>
    public static IngestOptions Ingest(IConfiguration configuration) =>
        Checked(configuration, IngestOptions.Section, new IngestOptions(), validate: null);

    private static TOptions Checked<TOptions>(IConfiguration configuration, string section, TOptions options, Func<TOptions, ValidateOptionsResult>? validate)
        where TOptions : class
    {
        ArgumentNullException.ThrowIfNull(configuration);
        configuration.GetSection(section).Bind(options);
        var failures = new List<string>();
        var annotations = new List<ValidationResult>();
        if (!Validator.TryValidateObject(options, new ValidationContext(options), annotations, validateAllProperties: true))
        {
            failures.AddRange(annotations.Select(result =>
                $"{section}:{string.Join(",", result.MemberNames)}: {result.ErrorMessage}"));
        }

        if (validate?.Invoke(options) is { Failed: true } result)
        {
            failures.AddRange(result.Failures);
        }

        return failures.Count == 0 ? options : throw new OptionsValidationException(section, typeof(TOptions), failures);
    }
}
