using Wallboard.Ingest.QueueLog;
using Wallboard.Metrics.Names;

namespace Wallboard.Hub.Names;

/// <summary>
/// Reads the sources of the directory (the directory file, queues.conf files) and lays them into
/// one <see cref="NameDirectory"/>: the same reading for <c>kpi</c>, <c>import</c>, <c>report</c> and
/// the server.
/// </summary>
internal static class DirectorySources
{
    /// <summary>Reads a directory file; null with <paramref name="errors"/> when it cannot be read or is invalid.</summary>
    public static DirectoryLayer? ReadDirectoryFile(string path, List<string> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            errors.Add($"{Path.GetFileName(path)}: cannot read: {ex.Message}");
            return null;
        }

        var layer = DirectoryFile.Parse(Path.GetFileName(path), text, out var problems);
        errors.AddRange(problems.Select(problem => problem.ToString()));
        return layer;
    }

    /// <summary>Reads a queues.conf and its includes; null with <paramref name="errors"/> when the file cannot be read.</summary>
    /// <param name="path">The file.</param>
    /// <param name="errors">Problems found (a missing include, a member without an interface); the members are still returned.</param>
    /// <param name="filesRead">Every file read, includes too, so a watcher can see any of them change.</param>
    public static IReadOnlyList<QueueMember>? ReadQueuesConf(string path, List<string> errors, List<string>? filesRead = null)
    {
        ArgumentNullException.ThrowIfNull(errors);
        try
        {
            return QueuesConf.Read(path, errors, filesRead);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            errors.Add($"{Path.GetFileName(path)}: cannot read: {ex.Message}");
            return null;
        }
    }

    /// <summary>The aliases queues.conf gives: each member's interface and state interface stand for its member name.</summary>
    public static IEnumerable<AliasSource> Aliases(IEnumerable<QueueMember> members) =>
        members.SelectMany(member => new[]
        {
            new AliasSource(member.Interface, member.MemberName, member.Origin),
            new AliasSource(member.StateInterface, member.MemberName, member.Origin),
        });

    /// <summary>
    /// The directory of the command line (<c>--directory</c>, <c>--queues-conf</c>); null with
    /// <paramref name="errors"/> when a file cannot be read or the directory file is invalid. What a
    /// queues.conf gets wrong (a missing include) goes to <paramref name="warnings"/>, and alias
    /// conflicts to <see cref="NameDirectory.Conflicts"/>: the rest of the file still counts.
    /// </summary>
    public static NameDirectory? Load(string? directoryPath, IReadOnlyList<string> queuesConfPaths, List<string> errors, List<string> warnings)
    {
        ArgumentNullException.ThrowIfNull(queuesConfPaths);
        ArgumentNullException.ThrowIfNull(errors);
        ArgumentNullException.ThrowIfNull(warnings);
        var before = errors.Count;
        var layer = directoryPath is null ? DirectoryLayer.Empty : ReadDirectoryFile(directoryPath, errors);
        var members = new List<QueueMember>();
        foreach (var path in queuesConfPaths)
        {
            var problems = new List<string>();
            if (ReadQueuesConf(path, problems) is { } read)
            {
                members.AddRange(read);
                warnings.AddRange(problems);
            }
            else
            {
                errors.AddRange(problems);
            }
        }

        return layer is null || errors.Count > before ? null : NameDirectory.Create([layer], Aliases(members));
    }
}
