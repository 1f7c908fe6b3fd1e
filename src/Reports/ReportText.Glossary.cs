using System.Reflection;

namespace Wallboard.Reports;

/// <summary>
/// Where a report's strings come from: the glossary (<see cref="Glossary"/>), one entry per member,
/// <c>report.&lt;Member&gt;</c>. A member without its entry in a language stops the reports at
/// start with a message naming the key, and a test checks every member and entry both ways.
/// </summary>
internal sealed partial record ReportText
{
    /// <summary>The members that are no text a person reads, and so not in the glossary.</summary>
    public static readonly IReadOnlySet<string> NotText = new HashSet<string>(StringComparer.Ordinal) { nameof(Language), nameof(CultureName) };

    public static readonly ReportText English = FromGlossary(Glossary.Product, "en", "en-GB");

    public static readonly ReportText SimplifiedChinese = FromGlossary(Glossary.Product, "zh-CN", "zh-CN");

    /// <summary>"{0}: {1}", a label and its value, with the language's colon (full-width in Chinese).</summary>
    public required string LabelValue { get; init; }

    /// <summary>A label and its value joined by <see cref="LabelValue"/>.</summary>
    public string Labelled(string label, string value) => string.Format(System.Globalization.CultureInfo.InvariantCulture, LabelValue, label, value);

    /// <summary>Between the items of a list: ", " in English, "、" in Chinese.</summary>
    public required string ListSeparator { get; init; }

    /// <summary>The string members a report prints: every public string property but <see cref="NotText"/>.</summary>
    public static IEnumerable<PropertyInfo> TextMembers() =>
        typeof(ReportText).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(property => property.PropertyType == typeof(string) && property.CanWrite && !NotText.Contains(property.Name));

    /// <summary>The glossary key of a member.</summary>
    public static string KeyOf(string member) => "report." + member;

    private static ReportText FromGlossary(Glossary glossary, string language, string cultureName)
    {
        // Every text member is required, so the object is made empty and filled member by member from
        // the glossary; a member left out would throw below rather than print a blank.
        var text = (ReportText)Activator.CreateInstance(typeof(ReportText), nonPublic: true)!;
        foreach (var member in TextMembers())
        {
            member.SetValue(text, glossary.Text(KeyOf(member.Name), language));
        }

        return text with { Language = language, CultureName = cultureName };
    }
}
