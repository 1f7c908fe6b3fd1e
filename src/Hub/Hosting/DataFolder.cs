using Microsoft.Extensions.Options;
using Wallboard.Hub.Operations;

namespace Wallboard.Hub.Hosting;

/// <summary>
/// Configuration section <c>Storage</c>: the one folder where the server keeps what it writes
/// (SQLite history, tail positions, Hangfire's SQLite file, the InfluxDB spool, kept reports).
/// </summary>
internal sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary>
    /// The data folder; relative to the working directory (<c>./data</c> from a checkout). A service
    /// sets it to its state directory (<c>/var/lib/wallboard</c>, deploy/wallboard.service).
    /// </summary>
    public string DataPath { get; set; } = "data";
}

/// <summary>Checks <see cref="StorageOptions"/> at start-up.</summary>
internal sealed class StorageOptionsValidator : IValidateOptions<StorageOptions>
{
    public ValidateOptionsResult Validate(string? name, StorageOptions options) =>
        string.IsNullOrWhiteSpace(options.DataPath)
            ? ValidateOptionsResult.Fail($"{StorageOptions.Section}:DataPath is required (the folder where the server keeps its data, e.g. /var/lib/wallboard)")
            : ValidateOptionsResult.Success;
}

/// <summary>
/// The data folder (<c>Storage:DataPath</c>). Every data path in configuration (<c>History:SqlitePath</c>,
/// <c>History:SpoolPath</c>, <c>Hangfire:SqlitePath</c>, <c>Reports:OutputPath</c>,
/// <c>Sources:StatePath</c>) is relative to it unless absolute. Created on first use, and checked
/// writable then: a folder the service user cannot write stops the start with one line that names
/// the key and the folder, instead of a stack trace from whichever store touched it first.
/// </summary>
internal sealed class DataFolder
{
    public DataFolder(IOptions<StorageOptions> options)
        : this(options.Value.DataPath)
    {
    }

    public DataFolder(string dataPath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dataPath);
        Root = Path.GetFullPath(dataPath);
        EnsureFolder(StorageOptions.Section + ":DataPath", Root);
    }

    /// <summary>The data folder, absolute.</summary>
    public string Root { get; }

    /// <summary>The data folder of a command run outside the host (<c>import</c>, <c>report</c>), from its configuration.</summary>
    public static DataFolder From(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var options = new StorageOptions();
        configuration.GetSection(StorageOptions.Section).Bind(options);
        var result = new StorageOptionsValidator().Validate(null, options);
        return result.Failed
            ? throw new OptionsValidationException(StorageOptions.Section, typeof(StorageOptions), result.Failures)
            : new DataFolder(options.DataPath);
    }

    /// <summary>A configured path: absolute as it is, relative under the data folder. Empty stays empty (the options' validators report it).</summary>
    public string Resolve(string? configured) =>
        string.IsNullOrWhiteSpace(configured) ? string.Empty : Path.GetFullPath(configured, Root);

    /// <summary>A folder for data (configuration key <paramref name="key"/>), resolved, created and checked writable.</summary>
    public string Folder(string key, string? configured)
    {
        var path = Resolve(configured);
        EnsureFolder(key, path);
        return path;
    }

    /// <summary>A file for data (configuration key <paramref name="key"/>), resolved, with its folder created and checked writable.</summary>
    public string File(string key, string? configured)
    {
        var path = Resolve(configured);
        EnsureFolder(key, Path.GetDirectoryName(path)!);
        return path;
    }

    /// <summary>Creates <paramref name="folder"/> and proves it writable by creating and deleting a file in it.</summary>
    private static void EnsureFolder(string key, string folder)
    {
        var probe = Path.Combine(folder, ".wallboard-write-check-" + Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        try
        {
            Directory.CreateDirectory(folder);
            using (new FileStream(probe, FileMode.Create, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose))
            {
            }
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
        {
            throw new SetupException($"{key}: the folder {folder} cannot be written by this user ({Environment.UserName}): {ex.Message}");
        }
    }
}

/// <summary>Registers the data folder.</summary>
internal static class DataFolderServiceCollectionExtensions
{
    public static IServiceCollection AddDataFolder(this IServiceCollection services)
    {
        services.AddWallboardOptions<StorageOptions>(StorageOptions.Section);
        services.AddSingleton<IValidateOptions<StorageOptions>, StorageOptionsValidator>();
        services.AddSingleton<DataFolder>();
        return services;
    }
}
