namespace Wallboard.Hub.Live.Access;

/// <summary>
/// Configuration section <c>Access</c>: API keys per role. With no key at all the server is a
/// demo: everything is open and it listens on loopback only.
/// </summary>
internal sealed class AccessOptions
{
    public const string Section = "Access";

    public List<string> Viewer { get; set; } = [];

    public List<string> Ingest { get; set; } = [];

    public List<string> Supervisor { get; set; } = [];

    public List<string> Analyst { get; set; } = [];

    public List<string> Admin { get; set; } = [];

    public bool HasKeys => Viewer.Count + Ingest.Count + Supervisor.Count + Analyst.Count + Admin.Count > 0;

    public IEnumerable<(string Role, string Key)> Keys() =>
        Viewer.Select(key => (WallboardRoles.Viewer, key))
            .Concat(Ingest.Select(key => (WallboardRoles.Ingest, key)))
            .Concat(Supervisor.Select(key => (WallboardRoles.Supervisor, key)))
            .Concat(Analyst.Select(key => (WallboardRoles.Analyst, key)))
            .Concat(Admin.Select(key => (WallboardRoles.Admin, key)));
}

/// <summary>Rejects empty or short keys at start, naming the key (never the value).</summary>
internal sealed class AccessOptionsValidator : Microsoft.Extensions.Options.IValidateOptions<AccessOptions>
{
    public const int MinimumKeyLength = 16;

    public Microsoft.Extensions.Options.ValidateOptionsResult Validate(string? name, AccessOptions options)
    {
        var failures = new List<string>();
        foreach (var (role, list) in new[]
        {
            (nameof(AccessOptions.Viewer), options.Viewer), (nameof(AccessOptions.Ingest), options.Ingest),
            (nameof(AccessOptions.Supervisor), options.Supervisor), (nameof(AccessOptions.Analyst), options.Analyst),
            (nameof(AccessOptions.Admin), options.Admin),
        })
        {
            for (var i = 0; i < list.Count; i++)
            {
                if (string.IsNullOrWhiteSpace(list[i]) || list[i].Length < MinimumKeyLength)
                {
                    failures.Add($"{AccessOptions.Section}:{role}:{i}: a key must have at least {MinimumKeyLength} characters");
                }
            }
        }

        return failures.Count == 0 ? Microsoft.Extensions.Options.ValidateOptionsResult.Success : Microsoft.Extensions.Options.ValidateOptionsResult.Fail(failures);
    }
}
