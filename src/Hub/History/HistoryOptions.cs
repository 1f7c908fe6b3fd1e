using Microsoft.Extensions.Options;

namespace Wallboard.Hub.History;

/// <summary>Configuration section <c>History</c>: where interval counters are kept and who may query them.</summary>
internal sealed class HistoryOptions
{
    public const string SectionName = "History";

    /// <summary>Base URL of an InfluxDB 1.x-compatible HTTP API (e.g. http://127.0.0.1:8086); empty for the embedded SQLite store.</summary>
    public string? InfluxUrl { get; set; }

    public string Database { get; set; } = "wallboard";

    public string? Username { get; set; }

    public string? Password { get; set; }

    /// <summary>Token for InfluxDB 2.x/3.x through their v1-compatible API (sent as <c>Authorization: Token …</c>).</summary>
    public string? Token { get; set; }

    /// <summary>The SQLite file; relative to the data folder (<c>Storage:DataPath</c>) unless absolute.</summary>
    public string SqlitePath { get; set; } = "history.db";

    /// <summary>Folder of points waiting for InfluxDB while it is down or slow; relative to the data folder unless absolute.</summary>
    public string SpoolPath { get; set; } = "history-spool";

    /// <summary>The spool's bound; beyond it the oldest spooled writes are dropped and counted.</summary>
    public long SpoolMaxBytes { get; set; } = 256L << 20;

    /// <summary>How often the live host writes changed intervals.</summary>
    public int FlushSeconds { get; set; } = 10;

    /// <summary>How long one InfluxDB request may take before it counts as failed (and the write is spooled).</summary>
    public int RequestTimeoutSeconds { get; set; } = 10;

    /// <summary>Zone of the query API when a request gives no <c>tz</c>.</summary>
    public string TimeZone { get; set; } = "UTC";

    /// <summary>
    /// Zones whose local hours and days are kept rolled up beside the 15-minute points, so that a
    /// query or report by hour, day, week or month in one of them reads a few rows per id instead of
    /// 96 a day. Empty: <see cref="TimeZone"/> and <c>Metrics:TimeZone</c>. Queries in any other zone
    /// are answered from the 15-minute points (or from the hours where its offsets allow).
    /// </summary>
    public string[] RollupZones { get; set; } = [];

    /// <summary>
    /// A key for the history API alone (sent as <c>X-Api-Key</c>), for an analyst's tool that needs
    /// nothing else. When set, the history API asks for a key even in the demo (no <c>Access</c> keys),
    /// and only this key opens it there; with <c>Access</c> keys, analyst and admin keys open it too.
    /// </summary>
    public string? ApiKey { get; set; }

    public bool UsesInflux => !string.IsNullOrWhiteSpace(InfluxUrl);

    public HistoryOptions Copy() => (HistoryOptions)MemberwiseClone();
}

/// <summary>Checks <see cref="HistoryOptions"/> at start-up; each message names the key that is wrong.</summary>
internal sealed class HistoryOptionsValidator : IValidateOptions<HistoryOptions>
{
    public ValidateOptionsResult Validate(string? name, HistoryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        const string Prefix = HistoryOptions.SectionName + ":";
        if (options.UsesInflux)
        {
            if (!Uri.TryCreate(options.InfluxUrl, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
            {
                errors.Add($"{Prefix}InfluxUrl must be an absolute http(s) URL, got '{options.InfluxUrl}'");
            }

            if (string.IsNullOrEmpty(options.Database) || !options.Database.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-'))
            {
                errors.Add($"{Prefix}Database must be letters, digits, '_' or '-', got '{options.Database}'");
            }

            if (!string.IsNullOrEmpty(options.Token) && !string.IsNullOrEmpty(options.Username))
            {
                errors.Add($"{Prefix}Token and {Prefix}Username are exclusive: give a token (InfluxDB 2.x/3.x) or a user and password (1.x)");
            }

            if (!string.IsNullOrEmpty(options.Password) && string.IsNullOrEmpty(options.Username))
            {
                errors.Add($"{Prefix}Password is set without {Prefix}Username");
            }

            if (string.IsNullOrWhiteSpace(options.SpoolPath))
            {
                errors.Add($"{Prefix}SpoolPath is required with {Prefix}InfluxUrl");
            }

            if (options.SpoolMaxBytes < 1 << 20)
            {
                errors.Add($"{Prefix}SpoolMaxBytes must be at least 1048576 (1 MB), got {options.SpoolMaxBytes}");
            }

            if (options.RequestTimeoutSeconds is < 1 or > 300)
            {
                errors.Add($"{Prefix}RequestTimeoutSeconds must be 1–300, got {options.RequestTimeoutSeconds}");
            }
        }
        else if (string.IsNullOrWhiteSpace(options.SqlitePath))
        {
            errors.Add($"{Prefix}SqlitePath is required when {Prefix}InfluxUrl is not set");
        }

        if (options.FlushSeconds is < 1 or > 900)
        {
            errors.Add($"{Prefix}FlushSeconds must be 1–900 (an open interval is refreshed at least once per 15 minutes), got {options.FlushSeconds}");
        }

        if (options.ApiKey is { } key && key.Length < Live.Access.AccessOptionsValidator.MinimumKeyLength)
        {
            errors.Add($"{Prefix}ApiKey must have at least {Live.Access.AccessOptionsValidator.MinimumKeyLength} characters");
        }

        if (NodaTime.DateTimeZoneProviders.Tzdb.GetZoneOrNull(options.TimeZone ?? string.Empty) is null)
        {
            errors.Add($"{Prefix}TimeZone '{options.TimeZone}' is not an IANA time zone (e.g. Asia/Shanghai)");
        }

        for (var i = 0; i < (options.RollupZones?.Length ?? 0); i++)
        {
            if (NodaTime.DateTimeZoneProviders.Tzdb.GetZoneOrNull(options.RollupZones![i] ?? string.Empty) is null)
            {
                errors.Add($"{Prefix}RollupZones:{i} '{options.RollupZones[i]}' is not an IANA time zone (e.g. Asia/Shanghai)");
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    /// <summary>Validates outside a host (the import command), throwing with every message.</summary>
    public static void ThrowIfInvalid(HistoryOptions options)
    {
        var result = new HistoryOptionsValidator().Validate(null, options);
        if (result.Failed)
        {
            throw new OptionsValidationException(HistoryOptions.SectionName, typeof(HistoryOptions), result.Failures);
        }
    }
}
