using System.Collections.Frozen;
using System.Text;
using System.Text.Json;

namespace Wallboard.Reports;

/// <summary>One section of the glossary: entries that belong together, as docs/glossary.md lists them.</summary>
/// <param name="Id">The section's id (<c>kpi</c>, <c>report</c>).</param>
/// <param name="Title">The section's heading in the docs.</param>
/// <param name="Note">What the section holds, or null.</param>
/// <param name="Keys">The section's keys, in file order.</param>
internal sealed record GlossarySection(string Id, string Title, string? Note, IReadOnlyList<string> Keys);

/// <summary>
/// The product's one glossary (<c>web/i18n/glossary.json</c>, embedded in this assembly): every
/// string a person reads, in each language. The floor page loads the same file; the reports'
/// <see cref="ReportText"/> and the report email take their strings from here; docs/glossary.md is
/// made from it (<see cref="Markdown"/>).
/// </summary>
/// <remarks>
/// A value <c>"@key"</c> is the entry of that key in every language: one concept keeps one name
/// wherever it appears (the reports' "ASA" column is the page's). References are resolved at load,
/// and a missing language, a dangling or circular reference is an error naming the key.
/// </remarks>
internal sealed class Glossary
{
    private const string ResourceName = "Wallboard.Reports.glossary.json";

    private static readonly Lazy<Glossary> ProductGlossary = new(() =>
    {
        using var stream = typeof(Glossary).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"the glossary resource {ResourceName} is missing from the Reports assembly");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return Parse(reader.ReadToEnd());
    });

    private readonly FrozenDictionary<string, FrozenDictionary<string, string>> _entries;

    private Glossary(IReadOnlyList<string> languages, IReadOnlyList<GlossarySection> sections, FrozenDictionary<string, FrozenDictionary<string, string>> entries, FrozenDictionary<string, string> references)
    {
        Languages = languages;
        Sections = sections;
        _entries = entries;
        References = references;
    }

    /// <summary>The glossary the product ships.</summary>
    public static Glossary Product => ProductGlossary.Value;

    /// <summary>The languages every entry has, the first being the fallback (en).</summary>
    public IReadOnlyList<string> Languages { get; }

    public IReadOnlyList<GlossarySection> Sections { get; }

    /// <summary>Every key.</summary>
    public IEnumerable<string> Keys => _entries.Keys;

    /// <summary>The keys whose entry is another's (<c>"@key"</c> in the file), with the key they name.</summary>
    public FrozenDictionary<string, string> References { get; }

    /// <summary>The text of <paramref name="key"/> in <paramref name="language"/>.</summary>
    /// <exception cref="KeyNotFoundException">No such key or language; the message names both.</exception>
    public string Text(string key, string language) =>
        _entries.TryGetValue(key, out var texts) && texts.TryGetValue(language, out var text)
            ? text
            : throw new KeyNotFoundException($"the glossary (web/i18n/glossary.json) has no '{key}' in '{language}'");

    public bool Contains(string key) => _entries.ContainsKey(key);

    /// <summary>Reads a glossary file; every problem is reported at once, each naming its key.</summary>
    /// <exception cref="FormatException">The file is not a valid glossary.</exception>
    public static Glossary Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        var languages = root.GetProperty("languages").EnumerateArray().Select(language => language.GetString()!).ToList();
        var problems = new List<string>();
        var raw = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        var sections = new List<GlossarySection>();
        foreach (var section in root.GetProperty("sections").EnumerateArray())
        {
            var keys = new List<string>();
            foreach (var entry in section.GetProperty("entries").EnumerateObject())
            {
                if (!raw.TryAdd(entry.Name, entry.Value.Clone()))
                {
                    problems.Add($"'{entry.Name}' is listed twice");
                }

                keys.Add(entry.Name);
            }

            sections.Add(new GlossarySection(
                section.GetProperty("id").GetString()!,
                section.GetProperty("title").GetString()!,
                section.TryGetProperty("note", out var note) ? note.GetString() : null,
                keys));
        }

        var resolved = new Dictionary<string, FrozenDictionary<string, string>>(StringComparer.Ordinal);
        var references = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var key in raw.Keys)
        {
            if (Resolve(key, raw, resolved, languages, problems, []) is not null && raw[key].ValueKind == JsonValueKind.String)
            {
                references[key] = raw[key].GetString()![1..];
            }
        }

        if (problems.Count > 0)
        {
            throw new FormatException("glossary: " + string.Join("; ", problems.Distinct(StringComparer.Ordinal)));
        }

        return new Glossary(languages, sections, resolved.ToFrozenDictionary(StringComparer.Ordinal), references.ToFrozenDictionary(StringComparer.Ordinal));
    }

    private static FrozenDictionary<string, string>? Resolve(
        string key, Dictionary<string, JsonElement> raw, Dictionary<string, FrozenDictionary<string, string>> resolved,
        List<string> languages, List<string> problems, HashSet<string> path)
    {
        if (resolved.TryGetValue(key, out var done))
        {
            return done;
        }

        if (!raw.TryGetValue(key, out var value))
        {
            return null;
        }

        if (!path.Add(key))
        {
            problems.Add($"'{key}' refers to itself through {string.Join(" → ", path)}");
            return null;
        }

        FrozenDictionary<string, string>? texts = null;
        if (value.ValueKind == JsonValueKind.String)
        {
            var target = value.GetString()!;
            if (!target.StartsWith('@'))
            {
                problems.Add($"'{key}' must be an object of languages or \"@key\", not \"{target}\"");
            }
            else if (Resolve(target[1..], raw, resolved, languages, problems, path) is { } other)
            {
                texts = other;
            }
            else if (!raw.ContainsKey(target[1..]))
            {
                problems.Add($"'{key}' refers to '{target[1..]}', which is not in the glossary");
            }
        }
        else if (value.ValueKind == JsonValueKind.Object)
        {
            var map = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var language in value.EnumerateObject())
            {
                if (!languages.Contains(language.Name))
                {
                    problems.Add($"'{key}' has '{language.Name}', which is not one of the languages ({string.Join(", ", languages)})");
                }
                else if (language.Value.GetString() is { Length: > 0 } text)
                {
                    map[language.Name] = text;
                }
            }

            foreach (var missing in languages.Where(language => !map.ContainsKey(language)))
            {
                problems.Add($"'{key}' has no text in '{missing}'");
            }

            texts = map.ToFrozenDictionary(StringComparer.Ordinal);
        }
        else
        {
            problems.Add($"'{key}' must be an object of languages or \"@key\"");
        }

        path.Remove(key);
        if (texts is not null)
        {
            resolved[key] = texts;
        }

        return texts;
    }

    /// <summary>docs/glossary.md: every section as a table of key, English and Chinese, references marked.</summary>
    public string Markdown()
    {
        var md = new StringBuilder();
        md.Append("# Glossary\n\n");
        md.Append("Every string a person reads in Wallboard — the floor page, the PDF reports, the report email — in English\n");
        md.Append("and Simplified Chinese. Made from [`web/i18n/glossary.json`](../web/i18n/glossary.json), the one file the page\n");
        md.Append("and the reports read (a test keeps this page equal to it). One concept has one name: an entry marked\n");
        md.Append("\"same as\" is another entry's text wherever it appears. Chinese text uses full-width punctuation\n");
        md.Append("（）：，。、, and a table header never wraps inside a Chinese word.\n");
        foreach (var section in Sections)
        {
            md.Append("\n## ").Append(section.Title).Append("\n\n");
            if (section.Note is { } note)
            {
                md.Append(note).Append("\n\n");
            }

            md.Append("| key | ").Append(string.Join(" | ", Languages)).Append(" |\n");
            md.Append("| --- |").Append(string.Concat(Languages.Select(_ => " --- |"))).Append('\n');
            foreach (var key in section.Keys)
            {
                md.Append("| `").Append(key).Append('`');
                if (References.TryGetValue(key, out var same))
                {
                    md.Append(" (same as `").Append(same).Append("`)");
                }

                foreach (var language in Languages)
                {
                    md.Append(" | ").Append(Cell(Text(key, language)));
                }

                md.Append(" |\n");
            }
        }

        return md.ToString();
    }

    /// <summary>A table cell: pipes escaped, and spaces that a Markdown renderer would swallow made visible.</summary>
    private static string Cell(string text) =>
        text.Replace("|", "\\|", StringComparison.Ordinal) is var cell && cell != cell.Trim() ? "`" + cell + "`" : cell;
}
