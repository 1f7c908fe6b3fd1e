using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using Wallboard.Hub.Hosting;

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
    public static MetricsOptions Metrics(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var metrics = new MetricsOptions();
        configuration.GetSection(MetricsOptions.Section).Bind(metrics);
        var failures = new List<string>();
        var annotations = new List<ValidationResult>();
        if (!Validator.TryValidateObject(metrics, new ValidationContext(metrics), annotations, validateAllProperties: true))
        {
            failures.AddRange(annotations.Select(result =>
                $"{MetricsOptions.Section}:{string.Join(",", result.MemberNames)}: {result.ErrorMessage}"));
        }

        var result = new MetricsOptionsValidator().Validate(null, metrics);
        if (result.Failed)
        {
            failures.AddRange(result.Failures);
        }

        return failures.Count == 0 ? metrics : throw new OptionsValidationException(MetricsOptions.Section, typeof(MetricsOptions), failures);
    }
}
