namespace Wallboard.Hub.Live;

/// <summary>Finds the folders the server reads (dashboards, web) from a configured path.</summary>
internal static class ContentPaths
{
    /// <summary>
    /// An absolute path as it is; a relative one under the content root when it exists there, else
    /// under the repository that holds the executable (so <c>dotnet run --project src/Hub</c> finds
    /// the repository's <c>dashboards/</c> and <c>web/</c>), else under the content root.
    /// </summary>
    public static string Resolve(string configured, string contentRoot)
    {
        if (Path.IsPathRooted(configured))
        {
            return configured;
        }

        var underContentRoot = Path.GetFullPath(Path.Combine(contentRoot, configured));
        if (Directory.Exists(underContentRoot))
        {
            return underContentRoot;
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Wallboard.sln")))
            {
                var underRepository = Path.Combine(dir.FullName, configured);
                return Directory.Exists(underRepository) ? underRepository : underContentRoot;
            }
        }

        return underContentRoot;
    }
}
