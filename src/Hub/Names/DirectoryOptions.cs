using Microsoft.Extensions.Options;

namespace Wallboard.Hub.Names;

/// <summary>Configuration section <c>Directory</c>: the files names and aliases come from (docs/directory.md).</summary>
internal sealed class DirectoryOptions
{
    public const string Section = "Directory";

    /// <summary>The directory file (JSON); relative to the content root. None by default.</summary>
    public string? Path { get; set; }

    /// <summary>Asterisk queues.conf / FreePBX queues_additional.conf files whose members give agents' aliases.</summary>
    public List<string> QueuesConf { get; set; } = [];

    /// <summary>How often the files are checked for changes.</summary>
    public double PollSeconds { get; set; } = 2;
}

/// <summary>Checks <see cref="DirectoryOptions"/> at start-up; each message names the key.</summary>
internal sealed class DirectoryOptionsValidator : IValidateOptions<DirectoryOptions>
{
    public ValidateOptionsResult Validate(string? name, DirectoryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        const string Prefix = DirectoryOptions.Section + ":";
        if (options.Path is not null && string.IsNullOrWhiteSpace(options.Path))
        {
            errors.Add($"{Prefix}Path is empty; leave it out for no directory file");
        }

        for (var i = 0; i < options.QueuesConf.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(options.QueuesConf[i]))
            {
                errors.Add(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Prefix}QueuesConf:{i} is empty"));
            }
        }

        if (!(options.PollSeconds is >= 0.1 and <= 3600))
        {
            errors.Add(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Prefix}PollSeconds must be 0.1–3600, got {options.PollSeconds}"));
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
