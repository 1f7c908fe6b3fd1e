using System.Text.RegularExpressions;

namespace Wallboard.Tests;

/// <summary>README's pictures are test outputs (<see cref="ReadmeScreenshots"/>): each is one a test takes, under the same name.</summary>
public sealed partial class ReadmeScreenshotTests
{
    [Fact]
    public void EveryPictureReadmeShowsIsOneATestTakesAndChecks()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryPaths.RepositoryRoot, "README.md"));
        var shown = Picture().Matches(readme).Select(match => match.Groups[1].Value).ToList();
        // Two floor pages and a report's first page.
        Assert.True(shown.Count >= 3, $"README shows {shown.Count} pictures");
        Assert.Contains(shown, name => name.StartsWith("report-", StringComparison.Ordinal));

        var testFolder = Path.Combine(RepositoryPaths.RepositoryRoot, "tests", "Wallboard.Tests");
        var tests = string.Concat(Directory.GetFiles(testFolder, "*.cs", SearchOption.AllDirectories)
            .Where(path => !path.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !path.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(File.ReadAllText));
        foreach (var name in shown)
        {
            Assert.True(File.Exists(Path.Combine(ReadmeScreenshots.Kept, name)), $"README shows docs/screenshots/{name}, which is not there");
            Assert.True(tests.Contains($"\"{name}\"", StringComparison.Ordinal), $"no test takes {name}: README's pictures must be test outputs");
        }

        // Nothing kept that README does not show: an orphan would go stale unnoticed.
        Assert.Equal(shown.Order(StringComparer.Ordinal), Directory.GetFiles(ReadmeScreenshots.Kept).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [GeneratedRegex(@"docs/screenshots/([A-Za-z0-9._-]+\.png)")]
    private static partial Regex Picture();
}
