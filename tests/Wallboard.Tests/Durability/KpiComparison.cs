using System.Text.Json;
using Wallboard.Hub.Cli;

namespace Wallboard.Tests.Durability;

/// <summary>
/// The server's figures against <c>wallboard kpi</c> over the same input, row for row: what the
/// crash test and the cluster's failover test end with.
/// </summary>
internal static class KpiComparison
{
    /// <summary><c>wallboard kpi --format json</c> with <paramref name="arguments"/>: its output.</summary>
    public static async Task<string> KpiAsync(params string[] arguments)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = await WallboardCommandLine.Build()
            .Parse(["kpi", "--format", "json", .. arguments])
            .InvokeAsync(new System.CommandLine.InvocationConfiguration { Output = stdout, Error = stderr });
        Assert.True(exit == 0, stderr.ToString());
        return stdout.ToString();
    }

    /// <summary>Rows by id and interval, each as its fields' JSON text.</summary>
    public static Dictionary<string, Dictionary<string, string>> Rows(string json, string id)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.EnumerateArray().ToDictionary(
            row => row.GetProperty(id).GetString() + "@" + (row.TryGetProperty("interval_start", out var start) ? start.ToString() : string.Empty),
            row => row.EnumerateObject().ToDictionary(field => field.Name, field => field.Value.GetRawText(), StringComparer.Ordinal),
            StringComparer.Ordinal);
    }

    /// <summary>
    /// Every row of <paramref name="expected"/> in <paramref name="actual"/> with the same value in
    /// every field they share, and no other row but empty ones: with two sources read side by side,
    /// an agent's open session can be counted into the next interval before its logout, read from
    /// the other source, takes it back; the interval then holds zeros where kpi, reading in strict
    /// time order, has no row.
    /// </summary>
    public static void AssertSameRows(Dictionary<string, Dictionary<string, string>> expected, Dictionary<string, Dictionary<string, string>> actual, string what)
    {
        var differences = new List<string>();
        var empty = 0;
        foreach (var key in expected.Keys.Union(actual.Keys).Order(StringComparer.Ordinal))
        {
            if (!expected.ContainsKey(key) && IsEmpty(actual[key]))
            {
                empty++;
                continue;
            }

            if (!expected.TryGetValue(key, out var want) || !actual.TryGetValue(key, out var got))
            {
                differences.Add($"{key}: only in {(expected.ContainsKey(key) ? "kpi" : "the server")}");
                continue;
            }

            var shared = want.Keys.Intersect(got.Keys).ToList();
            Assert.True(shared.Count >= 10, $"{what}: only {shared.Count} fields to compare");
            differences.AddRange(shared.Where(field => want[field] != got[field]).Select(field => $"{key} {field}: kpi {want[field]}, server {got[field]}"));
        }

        Assert.True(differences.Count == 0, $"{what}: {differences.Count} differences ({empty} empty rows only in the server), the first: {string.Join("; ", differences.Take(10))}");
    }

    private static bool IsEmpty(Dictionary<string, string> row) =>
        row.Where(field => field.Key is not ("queue" or "agent" or "campaign" or "interval_start" or "queue_name" or "agent_name" or "campaign_name" or "team"))
            .All(field => field.Value is "0" or "null" or "0.0");
}
