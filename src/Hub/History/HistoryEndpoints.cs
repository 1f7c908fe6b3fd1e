using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using NodaTime;
using NodaTime.Text;
using Wallboard.Hub.Cli;
using Wallboard.Hub.Names;
using Wallboard.Metrics;
using Wallboard.Metrics.Calendar;
using Wallboard.Metrics.History;

using Wallboard.Hub.Live;
using Wallboard.Hub.Live.Access;

namespace Wallboard.Hub.History;

/// <summary>
/// The analysts' history API: <c>GET /api/history/{queues|agents|campaigns}</c> with <c>ids</c>,
/// <c>from</c>, <c>to</c>, <c>step</c>, <c>tz</c> and <c>format</c> (or the Accept header).
/// Rows have the names and meaning of <c>wallboard kpi</c>'s rows (docs/kpis.md).
/// </summary>
internal static class HistoryEndpoints
{
    /// <summary>Response header with the store's written-up-to watermark (ISO 8601 UTC), absent before the first write.</summary>
    public const string WrittenUpToHeader = "X-History-Written-Up-To";

    /// <summary>Where the history API is; the authentication handler asks for <c>History:ApiKey</c> here.</summary>
    public const string PathPrefix = "/api/history";

    public static IEndpointRouteBuilder MapHistoryApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup(PathPrefix).RequireAuthorization(WallboardPolicies.History);
        group.MapGet("/queues", (HttpContext context, CancellationToken cancellationToken) => QueryAsync(context, HistoryKind.Queues, cancellationToken));
        group.MapGet("/agents", (HttpContext context, CancellationToken cancellationToken) => QueryAsync(context, HistoryKind.Agents, cancellationToken));
        group.MapGet("/campaigns", (HttpContext context, CancellationToken cancellationToken) => QueryAsync(context, HistoryKind.Campaigns, cancellationToken));
        return endpoints;
    }

    private static async Task<IResult> QueryAsync(HttpContext context, HistoryKind kind, CancellationToken cancellationToken)
    {
        var services = context.RequestServices;
        var options = services.GetRequiredService<IOptions<HistoryOptions>>().Value;
        var time = services.GetRequiredService<TimeProvider>();
        if (!HistoryQuery.TryParse(context.Request, options.TimeZone, time, out var query, out var parameter, out var message))
        {
            return BadParameter(parameter, message);
        }

        if (!Paging.TryRead(context.Request, DefaultPage, MaxPage, out var paging, out var pagingProblem))
        {
            return pagingProblem!;
        }

        var store = services.GetRequiredService<IKpiHistoryStore>();
        var (fromMs, toMs) = HistoryRollup.AlignToSteps(query.FromMs, query.ToMs, query.Step, query.Zone);
        IReadOnlyList<HistoryPoint> points;
        long? writtenUpTo;
        try
        {
            points = await store.QueryForStepsAsync(kind, query.Ids, fromMs, toMs, query.Step, query.Zone, cancellationToken).ConfigureAwait(false);
            writtenUpTo = await store.GetWrittenUpToAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is InfluxException or HttpRequestException || (ex is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return TypedResults.Problem(
                detail: "the history store did not answer; try again later",
                statusCode: StatusCodes.Status503ServiceUnavailable,
                title: "History store unavailable");
        }

        if (writtenUpTo is { } watermark)
        {
            context.Response.Headers[WrittenUpToHeader] = Instant.FromUnixTimeMilliseconds(watermark).ToString("g", CultureInfo.InvariantCulture);
        }

        var kpiOptions = services.GetRequiredService<KpiOptions>();
        var names = services.GetRequiredService<DirectoryService>().Current;
        return kind switch
        {
            HistoryKind.Queues => Rows(paging.Apply(context, HistoryRollup.Queues(points, query.Step, query.Zone, kpiOptions, names)), query),
            HistoryKind.Agents => Rows(paging.Apply(context, HistoryRollup.Agents(points, query.Step, query.Zone, kpiOptions, names)), query),
            _ => Rows(paging.Apply(context, HistoryRollup.Campaigns(points, query.Step, query.Zone, names)), query),
        };
    }

    /// <summary>Rows per page unless <c>limit</c> asks otherwise (a year of 15-minute rows of one queue is 35,040).</summary>
    private const int DefaultPage = 50_000;

    private const int MaxPage = 200_000;

    private static IResult Rows<TRow>(List<TRow> rows, HistoryQuery query) => query.Format switch
    {
        "csv" => TypedResults.Text(Csv(rows), "text/csv; charset=utf-8"),
        "arrow" => TypedResults.Stream(stream => HistoryArrow.WriteAsync(rows, query.Zone.Id, stream, CancellationToken.None), HistoryArrow.ContentType),
        _ => TypedResults.Json(rows, KpiOutput.JsonOptions),
    };

    private static string Csv<TRow>(List<TRow> rows)
    {
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        KpiOutput.Write(rows, KpiFormat.Csv, text);
        return text.ToString();
    }

    private static ProblemHttpResult BadParameter(string parameter, string message) =>
        TypedResults.Problem(
            detail: $"{parameter}: {message}",
            statusCode: StatusCodes.Status400BadRequest,
            title: $"Bad parameter '{parameter}'",
            extensions: new Dictionary<string, object?> { ["parameter"] = parameter });
}

/// <summary>The parsed parameters of a history query.</summary>
internal sealed record HistoryQuery(IReadOnlyCollection<string>? Ids, long FromMs, long ToMs, IntervalLength Step, DateTimeZone Zone, string Format)
{
    private static readonly string[] Formats = ["json", "csv", "arrow"];

    /// <summary>A query spans at most this much time, so one request cannot ask for decades of 15-minute rows.</summary>
    private static readonly Duration MaxRange = Duration.FromDays(1100);

    // Analysts write 08:00 more often than 08:00:00.
    private static readonly OffsetDateTimePattern OffsetMinutesPattern = OffsetDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mmo<G>");
    private static readonly LocalDateTimePattern LocalMinutesPattern = LocalDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mm");

    public static bool TryParse(HttpRequest request, string defaultZone, TimeProvider time, out HistoryQuery query, out string parameter, out string message)
    {
        query = null!;
        var q = request.Query;
        parameter = "tz";
        var zoneId = q["tz"].ToString() is { Length: > 0 } tz ? tz : defaultZone;
        var zone = DateTimeZoneProviders.Tzdb.GetZoneOrNull(zoneId);
        if (zone is null)
        {
            message = $"'{zoneId}' is not an IANA time zone (e.g. Asia/Shanghai, America/New_York)";
            return false;
        }

        parameter = "step";
        var stepText = q["step"].ToString() is { Length: > 0 } s ? s : "15m";
        if (!IntervalLength.TryParse(stepText, out var step, out var stepError) || !HistoryRollup.IsSupportedStep(step))
        {
            message = stepError ?? $"'{stepText}' is not a step of history; use 15m, 1h, 1d, 1w or 1M";
            return false;
        }

        parameter = "from";
        if (q["from"].ToString() is not { Length: > 0 } fromText)
        {
            message = "required: a date (2026-11-01), a local time (2026-11-01T08:00) or an instant (2026-11-01T08:00:00+08:00)";
            return false;
        }

        if (!TryParseTime(fromText, zone, out var from))
        {
            message = $"'{fromText}' is not a date or time; use 2026-11-01, 2026-11-01T08:00 or 2026-11-01T08:00:00+08:00";
            return false;
        }

        if (OutsideCalendar(from, out message))
        {
            return false;
        }

        parameter = "to";
        var to = Instant.FromDateTimeOffset(time.GetUtcNow());
        if (q["to"].ToString() is { Length: > 0 } toText)
        {
            if (!TryParseTime(toText, zone, out to))
            {
                message = $"'{toText}' is not a date or time; use 2026-11-01, 2026-11-01T08:00 or 2026-11-01T08:00:00+08:00";
                return false;
            }

            if (OutsideCalendar(to, out message))
            {
                return false;
            }
        }

        if (to <= from)
        {
            message = "must be after from";
            return false;
        }

        if (to - from > MaxRange)
        {
            message = "a query spans at most 1100 days; split it";
            return false;
        }

        parameter = "format";
        string format;
        if (q["format"].ToString() is { Length: > 0 } formatText)
        {
            if (!Formats.Contains(formatText, StringComparer.Ordinal))
            {
                message = $"'{formatText}' is not a format; use json, csv or arrow";
                return false;
            }

            format = formatText;
        }
        else
        {
            format = FromAccept(request.Headers.Accept.ToString());
        }

        var ids = q["ids"]
            .SelectMany(value => (value ?? string.Empty).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            .Distinct(StringComparer.Ordinal)
            .ToList();
        query = new HistoryQuery(ids.Count == 0 ? null : ids, from.ToUnixTimeMilliseconds(), to.ToUnixTimeMilliseconds(), step, zone, format);
        parameter = string.Empty;
        message = string.Empty;
        return true;
    }

    /// <summary>Whether an instant lies outside what the calendar places (1970 to 9000): steps near NodaTime's ends threw.</summary>
    private static bool OutsideCalendar(Instant instant, out string message)
    {
        var ms = instant.ToUnixTimeMilliseconds();
        var limits = Wallboard.Ingest.Model.EventTimeLimits.Supported;
        message = limits.Contains(ms) ? string.Empty : limits.Describe(ms);
        return message.Length > 0;
    }

    private static string FromAccept(string accept)
    {
        if (accept.Contains(HistoryArrow.ContentType, StringComparison.OrdinalIgnoreCase))
        {
            return "arrow";
        }

        return accept.Contains("text/csv", StringComparison.OrdinalIgnoreCase) ? "csv" : "json";
    }

    /// <summary>An instant with an offset (or Z), a local date-time in the zone, or a local date meaning its start of day.</summary>
    private static bool TryParseTime(string text, DateTimeZone zone, out Instant instant)
    {
        var withOffset = OffsetDateTimePattern.ExtendedIso.Parse(text);
        if (!withOffset.Success)
        {
            withOffset = OffsetMinutesPattern.Parse(text);
        }

        if (withOffset.Success)
        {
            instant = withOffset.Value.ToInstant();
            return true;
        }

        var local = LocalDateTimePattern.ExtendedIso.Parse(text);
        if (!local.Success)
        {
            local = LocalMinutesPattern.Parse(text);
        }

        if (local.Success)
        {
            // A local time skipped by DST moves forward; a repeated one takes its first occurrence.
            instant = zone.AtLeniently(local.Value).ToInstant();
            return true;
        }

        var date = LocalDatePattern.Iso.Parse(text);
        if (date.Success)
        {
            instant = zone.AtStartOfDay(date.Value).ToInstant();
            return true;
        }

        instant = default;
        return false;
    }
}
