using System.Globalization;

namespace Wallboard.Ingest.QueueLog;

/// <summary>A static queue member of queues.conf.</summary>
/// <param name="Queue">The section (queue or template) it is listed in.</param>
/// <param name="Interface">What Asterisk dials, and logs on ADDMEMBER/REMOVEMEMBER (<c>PJSIP/1001</c>, <c>Local/1001@from-queue/n</c>).</param>
/// <param name="MemberName">What Asterisk logs on CONNECT, COMPLETE* and RINGNOANSWER; the interface when none is given.</param>
/// <param name="StateInterface">The device whose state is watched (<c>hint:1001@ext-local</c>); the interface when none is given.</param>
/// <param name="File">The file it is in.</param>
/// <param name="Line">Its line number.</param>
public sealed record QueueMember(string Queue, string Interface, string MemberName, string StateInterface, string File, int Line)
{
    public string Origin => string.Create(CultureInfo.InvariantCulture, $"{Path.GetFileName(File)}:{Line}");
}

/// <summary>
/// Reads the members of Asterisk's <c>queues.conf</c> and FreePBX's <c>queues_additional.conf</c>:
/// <c>[queue]</c> sections (templates too) with <c>member =&gt; interface,penalty,membername,state_interface,…</c>
/// lines (<c>=</c> or <c>=&gt;</c>), following <c>#include</c> and <c>#tryinclude</c> (relative to the
/// including file, wildcards allowed). Comments (<c>;</c>, <c>;-- … --;</c>) are skipped; everything
/// else is not needed for names and is ignored. Problems (a missing include, a member line without an
/// interface) are collected with file and line, never thrown.
/// </summary>
public static class QueuesConf
{
    private const int MaxIncludeDepth = 10;

    /// <summary>Reads <paramref name="path"/> and what it includes.</summary>
    /// <param name="path">The file.</param>
    /// <param name="problems">Where problems are added.</param>
    /// <param name="filesRead">Where every file read (includes too) is added, when given.</param>
    /// <exception cref="IOException">The file itself cannot be read.</exception>
    public static IReadOnlyList<QueueMember> Read(string path, List<string> problems, List<string>? filesRead = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(problems);
        var members = new List<QueueMember>();
        var reading = new Stack<string>();
        ReadFile(Path.GetFullPath(path), members, problems, reading, filesRead);
        return members;
    }

    /// <summary>Reads queues.conf text (no includes are followed); <paramref name="file"/> names it in problems.</summary>
    public static IReadOnlyList<QueueMember> Parse(string text, string file, List<string> problems)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(problems);
        var members = new List<QueueMember>();
        ParseText(text, file, members, problems, include: null);
        return members;
    }

    private static void ReadFile(string path, List<QueueMember> members, List<string> problems, Stack<string> reading, List<string>? filesRead)
    {
        if (reading.Contains(path, StringComparer.Ordinal) || reading.Count >= MaxIncludeDepth)
        {
            problems.Add($"{Path.GetFileName(path)}: included again from within itself; not read twice");
            return;
        }

        var text = File.ReadAllText(path);
        filesRead?.Add(path);
        reading.Push(path);
        try
        {
            ParseText(text, path, members, problems, (target, optional, line) => Include(path, target, optional, line, members, problems, reading, filesRead));
        }
        finally
        {
            reading.Pop();
        }
    }

    private static void Include(string from, string target, bool optional, int line, List<QueueMember> members, List<string> problems, Stack<string> reading, List<string>? filesRead)
    {
        var folder = Path.GetDirectoryName(from) ?? ".";
        var full = Path.GetFullPath(Path.Combine(folder, target));
        var where = string.Create(CultureInfo.InvariantCulture, $"{Path.GetFileName(from)}:{line}");
        IEnumerable<string> files;
        if (target.AsSpan().IndexOfAny('*', '?') >= 0)
        {
            var directory = Path.GetDirectoryName(full)!;
            files = Directory.Exists(directory) ? Directory.GetFiles(directory, Path.GetFileName(full)).Order(StringComparer.Ordinal) : [];
        }
        else
        {
            files = [full];
        }

        var any = false;
        foreach (var file in files)
        {
            if (!File.Exists(file))
            {
                continue;
            }

            any = true;
            try
            {
                ReadFile(file, members, problems, reading, filesRead);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                problems.Add($"{where}: cannot read included {target}: {ex.Message}");
            }
        }

        if (!any && !optional)
        {
            problems.Add($"{where}: #include {target}: no such file");
        }
    }

    private static void ParseText(string text, string file, List<QueueMember> members, List<string> problems, Action<string, bool, int>? include)
    {
        var section = string.Empty;
        var inBlockComment = false;
        var number = 0;
        foreach (var raw in text.AsSpan().EnumerateLines())
        {
            number++;
            var line = StripComments(raw, ref inBlockComment).Trim();
            if (line.IsEmpty)
            {
                continue;
            }

            if (line[0] == '#')
            {
                var directive = line[1..];
                var optional = directive.StartsWith("tryinclude", StringComparison.OrdinalIgnoreCase);
                if (optional || directive.StartsWith("include", StringComparison.OrdinalIgnoreCase))
                {
                    var target = directive[(optional ? "tryinclude".Length : "include".Length)..].Trim().Trim('"').Trim('<').Trim('>');
                    if (target.IsEmpty)
                    {
                        problems.Add(string.Create(CultureInfo.InvariantCulture, $"{Path.GetFileName(file)}:{number}: #include without a file name"));
                    }
                    else
                    {
                        include?.Invoke(target.ToString(), optional, number);
                    }
                }

                continue;
            }

            if (line[0] == '[')
            {
                var end = line.IndexOf(']');
                section = end > 1 ? line[1..end].Trim().ToString() : string.Empty;
                continue;
            }

            var equals = line.IndexOf('=');
            if (equals <= 0)
            {
                continue;
            }

            var key = line[..equals].Trim();
            if (!key.Equals("member", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var value = line[(equals + 1)..];
            if (!value.IsEmpty && value[0] == '>')
            {
                value = value[1..];
            }

            var args = SplitArguments(value.Trim());
            var device = args.Count > 0 ? args[0] : string.Empty;
            if (device.Length == 0)
            {
                problems.Add(string.Create(CultureInfo.InvariantCulture, $"{Path.GetFileName(file)}:{number}: member without an interface"));
                continue;
            }

            // As app_queue's reload_single_member: a missing name or state interface is the interface.
            var name = args.Count > 2 && args[2].Length > 0 ? args[2] : device;
            var state = args.Count > 3 && args[3].Length > 0 ? args[3] : device;
            members.Add(new QueueMember(section, device, name, state, file, number));
        }
    }

    /// <summary>The line without its comment; <c>\;</c> is a literal semicolon.</summary>
    private static ReadOnlySpan<char> StripComments(ReadOnlySpan<char> line, ref bool inBlockComment)
    {
        if (inBlockComment)
        {
            var close = line.IndexOf("--;", StringComparison.Ordinal);
            if (close < 0)
            {
                return [];
            }

            inBlockComment = false;
            line = line[(close + 3)..];
        }

        for (var i = 0; i < line.Length; i++)
        {
            if (line[i] != ';' || (i > 0 && line[i - 1] == '\\'))
            {
                continue;
            }

            if (line[(i + 1)..].StartsWith("--", StringComparison.Ordinal))
            {
                var close = line[(i + 3)..].IndexOf("--;", StringComparison.Ordinal);
                if (close < 0)
                {
                    inBlockComment = true;
                    return line[..i];
                }

                // A block comment closed on the same line: keep what follows it.
                return string.Concat(line[..i], StripComments(line[(i + 3 + close + 3)..], ref inBlockComment)).AsSpan();
            }

            return line[..i];
        }

        return line;
    }

    /// <summary>Splits on commas outside double quotes, as Asterisk's standard application arguments; trims each, drops the quotes.</summary>
    private static List<string> SplitArguments(ReadOnlySpan<char> value)
    {
        var args = new List<string>();
        var current = new System.Text.StringBuilder();
        var quoted = false;
        foreach (var c in value)
        {
            if (c == '"')
            {
                quoted = !quoted;
            }
            else if (c == ',' && !quoted)
            {
                args.Add(current.ToString().Trim().Replace("\\;", ";", StringComparison.Ordinal));
                current.Clear();
            }
            else
            {
                current.Append(c);
            }
        }

        args.Add(current.ToString().Trim().Replace("\\;", ";", StringComparison.Ordinal));
        return args;
    }
}
