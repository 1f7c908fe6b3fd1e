using System.CommandLine;

namespace Wallboard.Hub.Cli;

/// <summary>The executable's sub-commands.</summary>
internal static class WallboardCommandLine
{
    public static Task<int> InvokeAsync(string[] args)
    {
        var root = new RootCommand("Wallboard: real-time wallboard and KPI analytics for contact centres.");
        return root.Parse(args).InvokeAsync();
    }
}
