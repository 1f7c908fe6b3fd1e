using System.CommandLine;
using Wallboard.Hub.Hosting;

namespace Wallboard.Hub.Cli;

/// <summary>
/// <c>wallboard serve</c> (also what runs with no command): the live server. Options it does not
/// know (<c>--urls</c>, <c>--Metrics:TimeZone=…</c>) go to ASP.NET Core's configuration.
/// </summary>
internal sealed class ServeCommand : Command
{
    public ServeCommand()
        : base("serve", "Run the live wallboard server (the default). Accepts ASP.NET Core options such as --urls and configuration keys such as --Metrics:TimeZone=Asia/Shanghai; with no sources configured it runs a demo simulator.")
    {
        TreatUnmatchedTokensAsErrors = false;
        SetAction((parseResult, cancellationToken) => RunAsync(parseResult, cancellationToken));
    }

    public static async Task<int> RunAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        try
        {
            var app = WallboardHost.Build([.. parseResult.UnmatchedTokens]);
            await using (app.ConfigureAwait(false))
            {
                await app.RunAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ValidationFailures(ex) is { } failures)
        {
            // Bad configuration: say which keys, without a stack trace.
            foreach (var failure in failures)
            {
                await parseResult.InvocationConfiguration.Error.WriteLineAsync("wallboard: configuration: " + failure).ConfigureAwait(false);
            }

            return WallboardCommandLine.UsageError;
        }

        return 0;
    }

    /// <summary>The messages of a failed options validation; the host throws several sections' failures as an AggregateException.</summary>
    private static List<string>? ValidationFailures(Exception exception) => exception switch
    {
        Microsoft.Extensions.Options.OptionsValidationException validation => [.. validation.Failures],
        AggregateException aggregate when aggregate.InnerExceptions.All(inner => inner is Microsoft.Extensions.Options.OptionsValidationException) =>
            [.. aggregate.InnerExceptions.SelectMany(inner => ((Microsoft.Extensions.Options.OptionsValidationException)inner).Failures)],
        _ => null,
    };
}
