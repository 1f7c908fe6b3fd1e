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
        catch (Wallboard.Hub.Live.Access.InsecureBindException ex)
        {
            await parseResult.InvocationConfiguration.Error.WriteLineAsync("wallboard: " + ex.Message).ConfigureAwait(false);
            return 2;
        }
        catch (Microsoft.Extensions.Options.OptionsValidationException ex)
        {
            // Bad configuration: say which keys, without a stack trace.
            foreach (var failure in ex.Failures)
            {
                await parseResult.InvocationConfiguration.Error.WriteLineAsync("wallboard: configuration: " + failure).ConfigureAwait(false);
            }

            return 2;
        }

        return 0;
    }
}
