using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Wallboard.Hub.History;
using Wallboard.Hub.Hosting;
using Wallboard.Metrics.Calendar;
using Wallboard.Reports;

namespace Wallboard.Hub.Cli;

/// <summary>
/// <c>wallboard report</c>: the daily, weekly or monthly PDF report from the configured history
/// store, the same document the scheduled emails and <c>GET /api/reports/…</c> carry.
/// </summary>
internal sealed class ReportCommand : Command
{
    private readonly IConfiguration? _configuration;
    private readonly TimeProvider _time;

    /// <summary>The exit status when the period holds no data at all (2 is a bad argument, 1 a store or file that cannot be used).</summary>
    internal const int NoDataExitCode = 3;

    private readonly KpiDefinitionOptions _definitions = new(withFormula: true);
    private readonly CliDirectoryOptions _directory = new();

    private readonly Option<string> Period = new("--period")
    {
        Description = "daily (the day of --date), weekly (its ISO week, Monday to Sunday) or monthly (its calendar month).",
        DefaultValueFactory = _ => "daily",
    };

    private readonly Option<string> Date = new("--date")
    {
        Description = "A day of the period, yyyy-MM-dd, in the local calendar of --tz.",
        Required = true,
    };

    private readonly Option<string?> TimeZone = new("--tz")
    {
        Description = "IANA time zone of the period and the intervals. Default: Metrics:TimeZone, the server's zone (Asia/Shanghai).",
    };

    private readonly Option<string[]> Queues = new("--queues")
    {
        Description = "Queues to report on, comma-separated (a,b); default all.",
        AllowMultipleArgumentsPerToken = true,
    };

    private readonly Option<string> Language = new("--lang")
    {
        Description = "en or zh-CN.",
        DefaultValueFactory = _ => "en",
    };

    private readonly Option<FileInfo> Output = new("--out")
    {
        Description = "The PDF file to write; default the report's own file name in the current folder.",
    };

    private readonly Option<double> SlTarget = new("--sl-target")
    {
        Description = "Service-level target as a fraction (0.8 = 80 %).",
        DefaultValueFactory = _ => 0.8,
    };

    private readonly Option<double> RingTarget = new("--ring-target")
    {
        Description = "Target for the share answered within --rings rings, as a fraction.",
        DefaultValueFactory = _ => 0.9,
    };

    private readonly Option<int> CallTarget = new("--call-target")
    {
        Description = "Calls an agent is expected to make per day logged in; 0 for none. An agent's dailyCallTarget in the directory comes first.",
        DefaultValueFactory = _ => 0,
    };

    /// <param name="configuration">The configuration to read sections <c>History</c>, <c>Metrics</c> and <c>Directory</c> from; null to build it like the host.</param>
    /// <param name="time">The clock stamped on the report; the system clock by default.</param>
    public ReportCommand(IConfiguration? configuration = null, TimeProvider? time = null)
        : base("report", "Write the daily, weekly or monthly PDF report (headline, charts, tables) from the configured history store "
            + "(InfluxDB when History:InfluxUrl is set, else SQLite at History:SqlitePath; see `wallboard import`).")
    {
        _configuration = configuration;
        _time = time ?? TimeProvider.System;
        Period.AcceptOnlyFromAmong("daily", "weekly", "monthly");
        Language.AcceptOnlyFromAmong("en", "zh-CN");
        Date.Validators.Add(result =>
        {
            if (!TryParseDate(result.GetValueOrDefault<string>(), out _))
            {
                result.AddError($"--date: '{result.GetValueOrDefault<string>()}' is not a date; use yyyy-MM-dd (e.g. 2026-11-27)");
            }
        });
        foreach (var option in new Option[]
        {
            Period, Date, TimeZone, Queues, Language, Output, SlTarget, RingTarget, CallTarget,
        })
        {
            Options.Add(option);
        }

        _directory.AddTo(this);
        _definitions.AddTo(this);
        SetAction((parseResult, cancellationToken) => RunAsync(parseResult, parseResult.InvocationConfiguration.Output, parseResult.InvocationConfiguration.Error, cancellationToken));
    }

    private static bool TryParseDate(string? text, out DateOnly date) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date);

    private async Task<int> RunAsync(ParseResult parseResult, TextWriter output, TextWriter errors, CancellationToken cancellationToken)
    {
        HistoryOptions history;
        ReportOptions options;
        ReportRequest request;
        var configuration = _configuration ?? CliConfiguration.Build();
        try
        {
            history = new HistoryOptions();
            configuration.GetSection(HistoryOptions.SectionName).Bind(history);
            HistoryOptionsValidator.ThrowIfInvalid(history);
            var metrics = CliConfiguration.Metrics(configuration);
            history = HistoryStores.InDataFolder(history, DataFolder.From(configuration), metrics.TimeZone);
            var zone = parseResult.GetValue(TimeZone) ?? metrics.TimeZone;
            var staffing = new Staffing.StaffingOptions();
            configuration.GetSection(Staffing.StaffingOptions.Section).Bind(staffing);
            var staffingCheck = new Staffing.StaffingOptionsValidator().Validate(null, staffing);
            if (staffingCheck.Failed)
            {
                throw new ArgumentException(string.Join("; ", staffingCheck.Failures));
            }

            var rotaZone = NodaTime.DateTimeZoneProviders.Tzdb.GetZoneOrNull(zone) ?? NodaTime.DateTimeZone.Utc;
            options = new ReportOptions
            {
                Kpi = _definitions.Create(parseResult, metrics, zone, IntervalLength.FifteenMinutes),
                Staffing = staffing.ToPolicy(),
                RotaOf = day =>
                {
                    var problems = new List<Staffing.RotaError>();
                    var rota = Staffing.RotaSource.Load(staffing, rotaZone, NodaTime.LocalDate.FromDateOnly(day).PlusDays(-1), 3, problems);
                    foreach (var problem in problems)
                    {
                        errors.WriteLine($"warning: rota: {problem}");
                    }

                    return rota;
                },
                ServiceLevelTarget = parseResult.GetValue(SlTarget),
                RingRateTarget = parseResult.GetValue(RingTarget),
                AgentCallTargetPerDay = parseResult.GetValue(CallTarget),
            };
            options.Validate();
            var date = TryParseDate(parseResult.GetValue(Date), out var day) ? day : throw new ArgumentException("--date is required (yyyy-MM-dd)");
            var queues = (parseResult.GetValue(Queues) ?? [])
                .SelectMany(value => value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                .Distinct(StringComparer.Ordinal)
                .ToList();
            var period = parseResult.GetValue(Period) switch
            {
                "weekly" => ReportPeriod.Weekly,
                "monthly" => ReportPeriod.Monthly,
                _ => ReportPeriod.Daily,
            };
            request = new ReportRequest(period, date, zone, queues.Count == 0 ? null : queues, parseResult.GetValue(Language)!);
            _ = ReportRange.For(request.Period, request.Date, request.TimeZone);
            await errors.WriteLineAsync($"zone: {zone} ({(parseResult.GetValue(TimeZone) is null ? "Metrics:TimeZone; --tz to change" : "--tz")})").ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or OptionsValidationException)
        {
            var message = ex is OptionsValidationException validation ? string.Join("; ", validation.Failures) : ex.Message;
            await errors.WriteLineAsync($"error: {message}").ConfigureAwait(false);
            return 2;
        }

        if (await _directory.LoadAsync(parseResult, configuration, errors).ConfigureAwait(false) is not { } names)
        {
            return 2;
        }

        // A queue's service-level threshold in the directory is how its calls were counted; its formula and the footer show it.
        options = options with { Kpi = options.Kpi with { Queues = names.QueueTargets(options.Kpi) } };
        var store = HistoryStores.Create(history, _time, NullLoggerFactory.Instance);
        try
        {
            var report = await new ReportGenerator(store, options, _time, () => names).GenerateAsync(request, cancellationToken).ConfigureAwait(false);
            if (!report.HasData)
            {
                // A report of nothing is a wrong date, zone or queue, or history not imported: no file, and a status a script sees.
                var asked = request.Queues is { Count: > 0 } named ? $"queues {string.Join(", ", named)}" : "all queues";
                await errors.WriteLineAsync(
                    $"error: no data for {report.Title} in {request.TimeZone} ({asked}): the history store holds no calls, agents or campaigns in that period; "
                    + "check --date, --tz and --queues, and that `wallboard import` loaded the period. No PDF written.").ConfigureAwait(false);
                return NoDataExitCode;
            }

            var file = parseResult.GetValue(Output)?.FullName ?? Path.GetFullPath(report.FileName);
            await File.WriteAllBytesAsync(file, report.Pdf, cancellationToken).ConfigureAwait(false);
            if (!report.Complete)
            {
                await errors.WriteLineAsync($"warning: the data is incomplete: {report.IncompleteReason}").ConfigureAwait(false);
            }

            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{report.Title}: {report.Pdf.Length:N0} bytes written to {file}")).ConfigureAwait(false);
            return 0;
        }
        catch (Exception ex) when (ex is FileNotFoundException or InvalidOperationException or InvalidDataException or IOException or UnauthorizedAccessException
            or InfluxException or Microsoft.Data.Sqlite.SqliteException)
        {
            await errors.WriteLineAsync($"error: {ex.Message}").ConfigureAwait(false);
            return 1;
        }
        finally
        {
            (store as IDisposable)?.Dispose();
        }
    }
}
