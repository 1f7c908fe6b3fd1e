namespace Wallboard.Tests;

/// <summary>Where the repository and the shared public test data are, found from the test binaries.</summary>
internal static class RepositoryPaths
{
    public static string RepositoryRoot { get; } = FindRoot();

    /// <summary>../shared/testdata beside the repository (read-only public sample data).</summary>
    public static string SharedTestData => Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared", "testdata"));

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
