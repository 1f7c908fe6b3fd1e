namespace Wallboard.Hub.Live;

/// <summary>
/// Finds the folders the server reads: its own files (the page in <c>web/</c>, the built-in layouts
/// in <c>dashboards/</c>) ship beside the executable, in the build and the published output alike,
/// so they are found from any working directory (a service runs from <c>/</c>). A configured path
/// (<c>Web:Path</c>, <c>Dashboards:Path</c>) is taken as given: absolute, or relative to the working
/// directory, like every other path on the command line.
/// </summary>
internal static class ContentPaths
{
    /// <summary>The folder of the application's own files named <paramref name="name"/>, beside the executable.</summary>
    public static string BuiltIn(string name) => Path.Combine(AppContext.BaseDirectory, name);

    /// <summary>A configured folder, made absolute against the working directory.</summary>
    public static string Configured(string path) => Path.GetFullPath(path);
}
