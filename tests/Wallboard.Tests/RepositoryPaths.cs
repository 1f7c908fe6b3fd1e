namespace Wallboard.Tests;

/// <summary>Where the repository and its public test data are, found from the test binaries.</summary>
internal static class RepositoryPaths
{
    public static string RepositoryRoot { get; } = FindRoot();

    /// <summary>tests/Wallboard.Tests/TestData: public sample data with its licences (see its README.md).</summary>
    public static string TestData => Path.Combine(RepositoryRoot, "tests", "Wallboard.Tests", "TestData");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Wallboard.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Wallboard.sln not found above " + AppContext.BaseDirectory);
    }
}
