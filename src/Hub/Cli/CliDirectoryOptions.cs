using System.CommandLine;
using Wallboard.Hub.Names;
using Wallboard.Metrics.Names;

namespace Wallboard.Hub.Cli;

/// <summary>
/// <c>--directory</c> and <c>--queues-conf</c> of <c>kpi</c>, <c>import</c> and <c>report</c>: the names
/// (docs/directory.md) and the agents' aliases. Without them, the server's settings
/// <c>Directory:Path</c> and <c>Directory:QueuesConf</c> apply, relative to the current folder.
/// </summary>
internal sealed class CliDirectoryOptions
{
    private readonly Option<FileInfo?> _directory = new("--directory")
    {
        Description = "Directory file (docs/directory.md): display names, teams, agents' aliases and targets. Default: Directory:Path.",
    };

    private readonly Option<FileInfo[]> _queuesConf = new("--queues-conf")
    {
        Description = "Asterisk queues.conf or FreePBX queues_additional.conf (repeatable): each member's interface becomes an alias of its member name. Default: Directory:QueuesConf.",
        AllowMultipleArgumentsPerToken = true,
    };

    public void AddTo(Command command)
    {
        command.Options.Add(_directory);
        command.Options.Add(_queuesConf);
    }

    /// <summary>The directory given (or configured); null after writing what is wrong to <paramref name="errors"/>.</summary>
    public async Task<NameDirectory?> LoadAsync(ParseResult parseResult, IConfiguration configuration, TextWriter errors)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(errors);
        var configured = new DirectoryOptions();
        configuration.GetSection(DirectoryOptions.Section).Bind(configured);
        var directory = parseResult.GetValue(_directory)?.FullName ?? (string.IsNullOrWhiteSpace(configured.Path) ? null : Path.GetFullPath(configured.Path));
        var given = parseResult.GetValue(_queuesConf) ?? [];
        IReadOnlyList<string> queuesConf = given.Length > 0 ? [.. given.Select(file => file.FullName)] : [.. configured.QueuesConf.Select(Path.GetFullPath)];

        var problems = new List<string>();
        var warnings = new List<string>();
        var names = DirectorySources.Load(directory, queuesConf, problems, warnings);
        foreach (var problem in problems)
        {
            await errors.WriteLineAsync($"error: {problem}").ConfigureAwait(false);
        }

        if (names is null)
        {
            return null;
        }

        foreach (var warning in warnings)
        {
            await errors.WriteLineAsync($"warning: {warning}").ConfigureAwait(false);
        }

        foreach (var conflict in names.Conflicts)
        {
            await errors.WriteLineAsync($"warning: alias conflict: {conflict}").ConfigureAwait(false);
        }

        if (directory is not null || queuesConf.Count > 0)
        {
            await errors.WriteLineAsync(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"directory: {names.Queues.Count} queues, {names.Agents.Count} agents, {names.Campaigns.Count} campaigns, {names.Aliases.Names.Count} agent names and aliases")).ConfigureAwait(false);
        }

        return names;
    }
}
