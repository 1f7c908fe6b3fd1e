using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace Wallboard.Hub.Reports;

/// <summary>How long a report covers: the period that just ended when it is due.</summary>
internal enum ReportKind
{
    Daily,
    Weekly,
    Monthly,
}

/// <summary>
/// Configuration section <c>Reports</c>: the scheduled reports, the named queue groups they may
/// use, where generated PDFs are kept and the SMTP server that sends them.
/// </summary>
internal sealed class ReportsOptions
{
    public const string Section = "Reports";

    /// <summary>Zone of a report (and of the on-demand endpoint) that names none.</summary>
    public string TimeZone { get; set; } = "UTC";

    /// <summary>Folder of the kept PDFs: <c>{OutputPath}/{report}/{period}.pdf</c>; relative to the data folder (<c>Storage:DataPath</c>) unless absolute.</summary>
    public string OutputPath { get; set; } = "reports";

    /// <summary>Named queue sets: <c>"inbound": ["sales", "vip"]</c>.</summary>
    public Dictionary<string, List<string>> QueueGroups { get; set; } = new(StringComparer.Ordinal);

    public List<ScheduledReportOptions> Schedules { get; set; } = [];

    public SmtpOptions Smtp { get; set; } = new();
}

/// <summary>One entry of <c>Reports:Schedules</c>: a recurring Hangfire job.</summary>
internal sealed class ScheduledReportOptions
{
    /// <summary>Also the Hangfire recurring job id (<c>report:{Name}</c>) and the folder of its PDFs.</summary>
    public string Name { get; set; } = string.Empty;

    public string Period { get; set; } = "daily";

    /// <summary>Cron in the report's zone; empty for the default of its period.</summary>
    public string? Cron { get; set; }

    /// <summary>IANA zone of the cron and of the period; empty for <c>Reports:TimeZone</c>.</summary>
    public string? TimeZone { get; set; }

    /// <summary>The queues reported on; with no queues and no group, all queues.</summary>
    public List<string> Queues { get; set; } = [];

    /// <summary>A key of <c>Reports:QueueGroups</c>, instead of <see cref="Queues"/>.</summary>
    public string? Group { get; set; }

    public string Language { get; set; } = "en";

    public List<string> Recipients { get; set; } = [];
}

/// <summary>Configuration section <c>Reports:Smtp</c>.</summary>
internal sealed class SmtpOptions
{
    public string? Host { get; set; }

    public int Port { get; set; } = 587;

    /// <summary><c>none</c>, <c>starttls</c> (upgrade required) or <c>ssl</c> (TLS from the first byte).</summary>
    public string Tls { get; set; } = "starttls";

    public string? Username { get; set; }

    public string? Password { get; set; }

    public string? From { get; set; }

    public int TimeoutSeconds { get; set; } = 60;
}

/// <summary>Configuration section <c>Hangfire</c>: where scheduled jobs are kept.</summary>
internal sealed class HangfireOptions
{
    public const string Section = "Hangfire";

    /// <summary><c>sqlite</c> (a file, the default) or <c>postgresql</c>.</summary>
    public string Storage { get; set; } = "sqlite";

    /// <summary>Hangfire's SQLite file; relative to the data folder unless absolute.</summary>
    public string SqlitePath { get; set; } = "hangfire.db";

    public string? ConnectionString { get; set; }

    /// <summary>Worker threads of the Hangfire server; reports are few, so few are needed.</summary>
    public int Workers { get; set; } = 2;

    /// <summary>How often the server looks for due and queued jobs; reports are due at most hourly, a retry waits a minute or more.</summary>
    public int QueuePollSeconds { get; set; } = 5;

    public bool UsesPostgreSql => string.Equals(Storage, "postgresql", StringComparison.OrdinalIgnoreCase);
}

/// <summary>The schedule of one report, resolved from its options: defaults applied, names parsed.</summary>
internal sealed record ReportSchedule(
    string Name,
    ReportKind Kind,
    string Cron,
    string TimeZone,
    IReadOnlyList<string>? Queues,
    string Language,
    IReadOnlyList<string> Recipients)
{
    public string JobId => "report:" + Name;

    /// <summary>Default crons in the report's zone: daily 07:00, weekly Monday 07:30, monthly the 1st 08:00.</summary>
    public static string DefaultCron(ReportKind kind) => kind switch
    {
        ReportKind.Daily => "0 7 * * *",
        ReportKind.Weekly => "30 7 * * 1",
        _ => "0 8 1 * *",
    };

    public static ReportSchedule Resolve(ScheduledReportOptions options, ReportsOptions reports)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(reports);
        var kind = ReportNames.ParseKind(options.Period) ?? ReportKind.Daily;
        IReadOnlyList<string>? queues = !string.IsNullOrWhiteSpace(options.Group) && reports.QueueGroups.TryGetValue(options.Group, out var group)
            ? group
            : options.Queues.Count > 0 ? options.Queues : null;
        return new ReportSchedule(
            options.Name,
            kind,
            string.IsNullOrWhiteSpace(options.Cron) ? DefaultCron(kind) : options.Cron,
            string.IsNullOrWhiteSpace(options.TimeZone) ? reports.TimeZone : options.TimeZone,
            queues,
            options.Language,
            options.Recipients);
    }
}

/// <summary>Names shared by configuration and the on-demand endpoint.</summary>
internal static partial class ReportNames
{
    /// <summary>The languages the generator writes.</summary>
    public static readonly IReadOnlyList<string> Languages = ["en", "zh-CN"];

    public static ReportKind? ParseKind(string? value) => value?.ToLowerInvariant() switch
    {
        "daily" => ReportKind.Daily,
        "weekly" => ReportKind.Weekly,
        "monthly" => ReportKind.Monthly,
        _ => null,
    };

    /// <summary>The language as the generator spells it, or null when it writes no such language.</summary>
    public static string? ParseLanguage(string? value) =>
        Languages.FirstOrDefault(language => string.Equals(language, value, StringComparison.OrdinalIgnoreCase))
        ?? (string.Equals(value, "zh", StringComparison.OrdinalIgnoreCase) ? "zh-CN" : null);

    public static bool IsZone(string? zone) => NodaTime.DateTimeZoneProviders.Tzdb.GetZoneOrNull(zone ?? string.Empty) is not null;

    /// <summary>Report names become folder names and job ids: letters, digits, '-' and '_' only.</summary>
    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    public static partial Regex SafeName();
}

/// <summary>Checks <c>Reports</c> at start-up; each message names the key that is wrong.</summary>
internal sealed class ReportsOptionsValidator : IValidateOptions<ReportsOptions>
{
    public ValidateOptionsResult Validate(string? name, ReportsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        const string Prefix = ReportsOptions.Section + ":";
        if (!ReportNames.IsZone(options.TimeZone))
        {
            errors.Add($"{Prefix}TimeZone '{options.TimeZone}' is not an IANA time zone (e.g. Asia/Shanghai)");
        }

        if (string.IsNullOrWhiteSpace(options.OutputPath))
        {
            errors.Add($"{Prefix}OutputPath is required (the folder where generated PDFs are kept)");
        }

        foreach (var (group, queues) in options.QueueGroups)
        {
            if (queues.Count == 0 || queues.Any(string.IsNullOrWhiteSpace))
            {
                errors.Add($"{Prefix}QueueGroups:{group} must list at least one queue, with no empty names");
            }
        }

        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < options.Schedules.Count; i++)
        {
            ValidateSchedule(options, options.Schedules[i], $"{Prefix}Schedules:{i}:", names, errors);
        }

        if (options.Schedules.Count > 0)
        {
            ValidateSmtp(options.Smtp, errors);
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void ValidateSchedule(ReportsOptions options, ScheduledReportOptions report, string key, HashSet<string> names, List<string> errors)
    {
        if (!ReportNames.SafeName().IsMatch(report.Name ?? string.Empty))
        {
            errors.Add($"{key}Name must be 1–64 letters, digits, '-' or '_' (it names a folder and a job), got '{report.Name}'");
        }
        else if (!names.Add(report.Name!))
        {
            errors.Add($"{key}Name '{report.Name}' is used by another report");
        }

        if (ReportNames.ParseKind(report.Period) is null)
        {
            errors.Add($"{key}Period must be daily, weekly or monthly, got '{report.Period}'");
        }

        if (!string.IsNullOrWhiteSpace(report.Cron) && !IsCron(report.Cron))
        {
            errors.Add($"{key}Cron '{report.Cron}' is not a cron expression (five fields, e.g. '0 7 * * *')");
        }

        if (!string.IsNullOrWhiteSpace(report.TimeZone) && (!ReportNames.IsZone(report.TimeZone) || !TimeZoneInfo.TryFindSystemTimeZoneById(report.TimeZone, out _)))
        {
            errors.Add($"{key}TimeZone '{report.TimeZone}' is not an IANA time zone (e.g. Asia/Shanghai)");
        }

        if (!string.IsNullOrWhiteSpace(report.Group))
        {
            if (report.Queues.Count > 0)
            {
                errors.Add($"{key}Group and {key}Queues are exclusive: name a group or list queues");
            }

            if (!options.QueueGroups.ContainsKey(report.Group))
            {
                errors.Add($"{key}Group '{report.Group}' is not a key of {ReportsOptions.Section}:QueueGroups");
            }
        }

        if (ReportNames.ParseLanguage(report.Language) is null)
        {
            errors.Add($"{key}Language must be one of {string.Join(", ", ReportNames.Languages)}, got '{report.Language}'");
        }

        if (report.Recipients.Count == 0)
        {
            errors.Add($"{key}Recipients must list at least one address");
        }

        for (var r = 0; r < report.Recipients.Count; r++)
        {
            if (!IsAddress(report.Recipients[r]))
            {
                errors.Add($"{key}Recipients:{r} '{report.Recipients[r]}' is not an email address");
            }
        }
    }

    private static void ValidateSmtp(SmtpOptions smtp, List<string> errors)
    {
        const string Key = ReportsOptions.Section + ":Smtp:";
        if (string.IsNullOrWhiteSpace(smtp.Host))
        {
            errors.Add($"{Key}Host is required when reports are scheduled");
        }

        if (smtp.Port is < 1 or > 65535)
        {
            errors.Add($"{Key}Port must be 1–65535, got {smtp.Port}");
        }

        if (ReportMailer.ParseTls(smtp.Tls) is null)
        {
            errors.Add($"{Key}Tls must be none, starttls or ssl, got '{smtp.Tls}'");
        }

        if (!string.IsNullOrEmpty(smtp.Password) && string.IsNullOrEmpty(smtp.Username))
        {
            errors.Add($"{Key}Password is set without {Key}Username");
        }

        if (!IsAddress(smtp.From))
        {
            errors.Add($"{Key}From must be an email address, got '{smtp.From}'");
        }

        if (smtp.TimeoutSeconds is < 1 or > 600)
        {
            errors.Add($"{Key}TimeoutSeconds must be 1–600, got {smtp.TimeoutSeconds}");
        }
    }

    /// <summary>A mailbox with a domain: MimeKit alone also accepts a bare local part, which no server outside would deliver.</summary>
    private static bool IsAddress(string? value) =>
        !string.IsNullOrWhiteSpace(value) && MimeKit.MailboxAddress.TryParse(value, out var mailbox) && mailbox.Address.Contains('@', StringComparison.Ordinal);

    /// <summary>
    /// The shape of a cron (five or six fields, or a macro such as @daily); Hangfire parses it when
    /// the job is registered at start, and that error is reported with this key too.
    /// </summary>
    private static bool IsCron(string cron)
    {
        var trimmed = cron.Trim();
        return trimmed.StartsWith('@')
            ? trimmed.Length > 1
            : trimmed.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length is 5 or 6;
    }
}

/// <summary>Checks <c>Hangfire</c> at start-up.</summary>
internal sealed class HangfireOptionsValidator : IValidateOptions<HangfireOptions>
{
    public ValidateOptionsResult Validate(string? name, HangfireOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        const string Prefix = HangfireOptions.Section + ":";
        if (options.UsesPostgreSql)
        {
            if (string.IsNullOrWhiteSpace(options.ConnectionString))
            {
                errors.Add($"{Prefix}ConnectionString is required with {Prefix}Storage postgresql");
            }
        }
        else if (!string.Equals(options.Storage, "sqlite", StringComparison.OrdinalIgnoreCase))
        {
            errors.Add($"{Prefix}Storage must be sqlite or postgresql, got '{options.Storage}'");
        }
        else if (string.IsNullOrWhiteSpace(options.SqlitePath))
        {
            errors.Add($"{Prefix}SqlitePath is required with {Prefix}Storage sqlite");
        }

        if (options.QueuePollSeconds is < 1 or > 300)
        {
            errors.Add($"{Prefix}QueuePollSeconds must be 1–300, got {options.QueuePollSeconds}");
        }

        if (options.Workers is < 1 or > 16)
        {
            errors.Add($"{Prefix}Workers must be 1–16, got {options.Workers}");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
