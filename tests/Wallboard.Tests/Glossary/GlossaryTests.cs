using System.Text.Json;
using System.Text.RegularExpressions;
using Wallboard.Hub.Live.Dashboards;
using Wallboard.Reports;
using ProductGlossary = Wallboard.Reports.Glossary;

namespace Wallboard.Tests.Glossary;

/// <summary>
/// One glossary (web/i18n/glossary.json) for every string a person reads: the floor page takes its
/// strings from it by key, the reports by <see cref="ReportText"/> member, the docs are made from
/// it, and Chinese text in it is written with full-width punctuation.
/// </summary>
public sealed partial class GlossaryTests
{
    private static readonly ProductGlossary Terms = ProductGlossary.Product;
    private static readonly string Web = Path.Combine(RepositoryPaths.RepositoryRoot, "web");

    [Fact]
    public void EveryEntryHasEveryLanguage()
    {
        Assert.Equal(["en", "zh-CN"], Terms.Languages);
        Assert.All(Terms.Keys, key => Assert.All(Terms.Languages, language => Assert.NotEmpty(Terms.Text(key, language))));
        // The canonical names of the terms that had several (issue 13).
        Assert.Equal(
            ["三声接起率", "转化率", "转化数", "回访转化率", "小休", "小休时长", "平均应答速度"],
            [Zh("kpi.ring_rate"), Zh("kpi.conversion_rate"), Zh("kpi.conversions"), Zh("kpi.repeat_conversion_rate"), Zh("status.paused"), Zh("term.pause_time"), Zh("kpi.asa_seconds")]);
    }

    [Fact]
    public void ChineseTextUsesFullWidthPunctuationAndEnglishTextNone()
    {
        foreach (var key in Terms.Keys)
        {
            // Placeholders ({0}, {1:00}, {team}) are code, not text.
            var zh = Placeholder().Replace(Terms.Text(key, "zh-CN"), string.Empty);
            var en = Placeholder().Replace(Terms.Text(key, "en"), string.Empty);
            Assert.True(!HalfWidthPunctuation().IsMatch(zh), $"{key} (zh-CN) has half-width punctuation: {zh}");
            Assert.True(!FullWidthPunctuation().IsMatch(en), $"{key} (en) has full-width punctuation: {en}");
        }
    }

    [Fact]
    public void EveryReportStringIsAGlossaryEntryAndEveryReportEntryIsAReportString()
    {
        var members = ReportText.TextMembers().Select(member => member.Name).ToHashSet(StringComparer.Ordinal);
        Assert.True(members.Count > 80, "ReportText lost its members");
        var entries = Terms.Keys.Where(key => key.StartsWith("report.", StringComparison.Ordinal)).Select(key => key["report.".Length..]).ToHashSet(StringComparer.Ordinal);
        Assert.Empty(members.Except(entries));
        Assert.Empty(entries.Except(members));
        foreach (var member in ReportText.TextMembers())
        {
            Assert.Equal(Terms.Text(ReportText.KeyOf(member.Name), "en"), member.GetValue(ReportText.English));
            Assert.Equal(Terms.Text(ReportText.KeyOf(member.Name), "zh-CN"), member.GetValue(ReportText.SimplifiedChinese));
        }

        // The reports name a KPI as the page does, in their tables, summaries and definitions alike.
        var zh = ReportText.SimplifiedChinese;
        Assert.Equal((Zh("kpi.asa_seconds"), Zh("kpi.offered")), (zh.Asa, zh.Offered));
        Assert.Equal("小休时长", zh.Pause);
        Assert.Equal(
            [Zh("kpi.short_abandoned"), Zh("kpi.timed_out"), Zh("kpi.exited_key"), Zh("kpi.exited_empty"), Zh("kpi.connected"), Zh("kpi.talk_seconds"), Zh("kpi.complaints"), Zh("kpi.contacts"), "回访转化率", Zh("term.team")],
            [zh.ShortAbandoned, zh.TimedOut, zh.ExitedKey, zh.ExitedEmpty, zh.Connects, zh.Talk, zh.Complaints, zh.Contacts, zh.CallbackConversionRate, zh.Team]);
        Assert.Equal(("三声接起率", "Answered within 3 rings", "12声接起率"), (zh.RingRateLabel(3), ReportText.English.RingRateLabel(3), zh.RingRateLabel(12)));
        Assert.All(
            [zh.Answered, zh.Abandoned, zh.ShortAbandoned, zh.TimedOut, zh.ExitedKey, zh.ExitedEmpty, zh.Withdrawn, zh.Offered],
            outcome => Assert.Contains(outcome, zh.OutcomesIdentity, StringComparison.Ordinal));
        Assert.All(
            [ReportText.English.ShortAbandoned, ReportText.English.TimedOut, ReportText.English.ExitedKey, ReportText.English.ExitedEmpty, ReportText.English.Withdrawn],
            outcome => Assert.Contains(outcome, ReportText.English.OutcomesIdentity, StringComparison.OrdinalIgnoreCase));
        Assert.Contains("小休时长", zh.OtherDefinitions, StringComparison.Ordinal);
        Assert.Contains(zh.Complaints, zh.CallTargetDefinition, StringComparison.Ordinal);
    }

    /// <summary>
    /// The reports' code (the PDF, its charts and tables, the email, the job that sends it) writes no
    /// Chinese of its own: every such string comes from the glossary through <see cref="ReportText"/>.
    /// Glossary.cs is the glossary's reader (its docs page quotes the punctuation it asks for).
    /// </summary>
    [Fact]
    public void TheReportsCodeHoldsNoChineseOfItsOwn()
    {
        var sources = ReportsCode
            .SelectMany(folder => Directory.GetFiles(Path.Combine(RepositoryPaths.RepositoryRoot, folder), "*.cs", SearchOption.AllDirectories))
            .Where(path => Path.GetFileName(path) != "Glossary.cs")
            .ToList();
        Assert.True(sources.Count > 30, "the reports' sources were not found");
        foreach (var path in sources)
        {
            var code = LineComment().Replace(BlockComment().Replace(File.ReadAllText(path), string.Empty), string.Empty);
            Assert.True(!Han().IsMatch(code), $"{Path.GetRelativePath(RepositoryPaths.RepositoryRoot, path)} has Chinese outside comments; take it from the glossary");
        }
    }

    [Fact]
    public void EveryKpiAgentStateWindowAndAgentFigureHasItsName()
    {
        Assert.DoesNotContain(KpiCatalog.Kpis.Keys, kpi => !Terms.Contains("kpi." + kpi));
        Assert.DoesNotContain(KpiCatalog.AgentStates, state => !Terms.Contains("status." + state));
        Assert.DoesNotContain(KpiCatalog.Windows.Keys.Append(KpiCatalog.LiveWindowName), window => !Terms.Contains("window." + window));
        Assert.DoesNotContain(KpiCatalog.AgentFigures, figure => !Terms.Contains("kpi." + figure));
        // Short column names exist only for KPIs.
        Assert.DoesNotContain(Terms.Keys, key => key.StartsWith("column.", StringComparison.Ordinal) && !KpiCatalog.Kpis.ContainsKey(key["column.".Length..]));
    }

    /// <summary>
    /// The page's scripts and markup hold no text of their own: every string they show is looked up
    /// by key (t('key'), t(`prefix.${name}`)), every literal key is in the glossary, every prefix's
    /// names are, and there is no Chinese outside comments.
    /// </summary>
    [Fact]
    public void ThePageTakesEveryStringItShowsFromTheGlossary()
    {
        var scripts = Directory.GetFiles(Path.Combine(Web, "js"), "*.js").ToDictionary(path => Path.GetFileName(path), path => WithoutComments(File.ReadAllText(path)));
        Assert.Contains("i18n.js", scripts.Keys);
        var keys = scripts.Values.SelectMany(code => LiteralKey().Matches(code)).Select(match => match.Groups[1].Value).ToHashSet(StringComparer.Ordinal);
        Assert.True(keys.Count > 20, "the page looks up fewer keys than it shows strings");
        Assert.DoesNotContain(keys, key => !Terms.Contains(key));

        var prefixes = scripts.Values.SelectMany(code => KeyPrefix().Matches(code)).Select(match => match.Groups[1].Value).ToHashSet(StringComparer.Ordinal);
        // kpi, column, status and window names are checked against the catalog above.
        Assert.Equal(["column", "connection", "kpi", "status", "trend", "window"], prefixes.Order(StringComparer.Ordinal));
        Assert.All(["connecting", "live", "reconnecting", "offline", "unauthorized"], name => Assert.True(Terms.Contains("connection." + name), name));
        Assert.All(["up", "down", "flat"], name => Assert.True(Terms.Contains("trend." + name), name));

        foreach (var (file, code) in scripts)
        {
            Assert.True(!Han().IsMatch(code), $"web/js/{file} has Chinese text outside comments; take it from the glossary");
        }

        // The markup is empty shells the scripts fill; its one text is the product's name in the tab.
        var body = Regex.Replace(File.ReadAllText(Path.Combine(Web, "index.html")), "<!--.*?-->|<script.*?</script>|<title>Wallboard</title>", string.Empty, RegexOptions.Singleline);
        Assert.Equal(string.Empty, Regex.Replace(body, "<[^>]*>", string.Empty).Trim());
    }

    [Fact]
    public void TheShippedDashboardsNameTilesInGlossaryTerms()
    {
        var byText = Terms.Keys.ToLookup(key => (Terms.Text(key, "en"), Terms.Text(key, "zh-CN")));
        foreach (var path in Directory.GetFiles(Path.Combine(RepositoryPaths.RepositoryRoot, "dashboards"), "*.json"))
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            if (!document.RootElement.TryGetProperty("tiles", out var tiles))
            {
                continue;
            }

            foreach (var tile in tiles.EnumerateArray())
            {
                if (tile.TryGetProperty("title", out var title))
                {
                    var pair = (title.GetProperty("en").GetString()!, title.GetProperty("zh-CN").GetString()!);
                    Assert.True(byText.Contains(pair), $"{Path.GetFileName(path)}: tile {tile.GetProperty("id")} is titled {pair}, which is no glossary entry");
                }
            }
        }
    }

    [Fact]
    public void TheDocsGlossaryIsMadeFromTheGlossary()
    {
        var expected = Terms.Markdown();
        var docs = Path.Combine(RepositoryPaths.RepositoryRoot, "docs", "glossary.md");
        if (!File.Exists(docs) || File.ReadAllText(docs) != expected)
        {
            var made = Path.Combine(RepositoryPaths.RepositoryRoot, "TestResults", "glossary.md");
            Directory.CreateDirectory(Path.GetDirectoryName(made)!);
            File.WriteAllText(made, expected);
            Assert.Fail($"docs/glossary.md is not what web/i18n/glossary.json makes; the page made from it is {made}: copy it to docs/glossary.md");
        }
    }

    [Fact]
    public void AGlossaryWithMistakesIsRefusedNamingEachKey()
    {
        const string json = """
            { "languages": ["en", "zh-CN"], "sections": [ { "id": "a", "title": "A", "entries": {
                "a.one": { "en": "One" },
                "a.two": "@a.three",
                "a.four": "@a.five", "a.five": "@a.four",
                "a.six": { "en": "Six", "zh-CN": "六", "fr": "Six" }
            } } ] }
            """;
        var error = Assert.Throws<FormatException>(() => ProductGlossary.Parse(json));
        Assert.Contains("'a.one' has no text in 'zh-CN'", error.Message, StringComparison.Ordinal);
        Assert.Contains("'a.two' refers to 'a.three', which is not in the glossary", error.Message, StringComparison.Ordinal);
        Assert.Contains("'a.four' refers to itself", error.Message, StringComparison.Ordinal);
        Assert.Contains("'a.six' has 'fr', which is not one of the languages (en, zh-CN)", error.Message, StringComparison.Ordinal);
    }

    private static readonly string[] ReportsCode = ["src/Reports", "src/Hub/Reports", "src/Hub/Cli"];

    private static string Zh(string key) => Terms.Text(key, "zh-CN");

    private static string WithoutComments(string code) =>
        LineComment().Replace(BlockComment().Replace(code, string.Empty), string.Empty);

    [GeneratedRegex(@"\{[^{}]*\}")]
    private static partial Regex Placeholder();

    /// <summary>ASCII punctuation that Chinese text writes full-width; a full stop only between digits (1.5) or in "PDF." style abbreviations is not used.</summary>
    [GeneratedRegex(@"[(),:;!?]|(?<![0-9])\.(?![0-9])")]
    private static partial Regex HalfWidthPunctuation();

    [GeneratedRegex(@"[（）：，。、；！？]")]
    private static partial Regex FullWidthPunctuation();

    [GeneratedRegex(@"\bt\(\s*'([^']+)'")]
    private static partial Regex LiteralKey();

    [GeneratedRegex(@"\bt\(\s*`([a-zA-Z]+)\.\$\{")]
    private static partial Regex KeyPrefix();

    [GeneratedRegex(@"\p{IsCJKUnifiedIdeographs}")]
    private static partial Regex Han();

    [GeneratedRegex(@"/\*.*?\*/", RegexOptions.Singleline)]
    private static partial Regex BlockComment();

    [GeneratedRegex(@"(?<=^|\s)//.*$", RegexOptions.Multiline)]
    private static partial Regex LineComment();
}
