using System.Globalization;
using Microsoft.Extensions.Options;

namespace Wallboard.Hub.Reports;

/// <summary>
/// On demand: <c>GET /api/reports/{daily|weekly|monthly}?date=…&amp;queues=…&amp;lang=…&amp;tz=…</c>
/// returns the PDF of the period containing <c>date</c> (by default the period that just ended).
/// </summary>
internal static class ReportsEndpoints
{
    /// <summary>Response header: <c>false</c> when history is behind the period's end (the PDF says so too).</summary>
    public const string CompleteHeader = "X-Report-Complete";

    public static IEndpointRouteBuilder MapReportsApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGroup("/api/reports")
            .RequireAuthorization(ReportsServiceCollectionExtensions.Policy)
            .MapGet("/{period}", GetAsync);
        return endpoints;
    }

    private static async Task<IResult> GetAsync(string period, HttpContext context, CancellationToken cancellationToken)
    {
        var services = context.RequestServices;
        var options = services.GetRequiredService<IOptions<ReportsOptions>>().Value;
        var query = context.Request.Query;
        if (ReportNames.ParseKind(period) is not { } kind)
        {
            return BadParameter("period", $"must be daily, weekly or monthly, got '{period}'");
        }

        string zone = query["tz"].ToString() is { Length: > 0 } tz ? tz : options.TimeZone;
        if (!ReportNames.IsZone(zone))
        {
            return BadParameter("tz", $"'{zone}' is not an IANA time zone (e.g. Asia/Shanghai)");
        }

        DateOnly date;
        if (query["date"].ToString() is { Length: > 0 } text)
        {
            if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date))
            {
                return BadParameter("date", $"must be a date as yyyy-MM-dd, got '{text}'");
            }

            // A period near the ends of the calendar threw from inside the report (a 500).
            if (date.Year is < 1970 or >= 9000)
            {
                return BadParameter("date", $"must be in the years 1970 to 8999, got '{text}'");
            }

            date = ReportPeriods.FirstDay(kind, date);
        }
        else
        {
            date = ReportPeriods.JustEnded(kind, zone, services.GetRequiredService<TimeProvider>().GetUtcNow());
        }

        var language = ReportNames.ParseLanguage(query["lang"].ToString() is { Length: > 0 } lang ? lang : "en");
        if (language is null)
        {
            return BadParameter("lang", $"must be one of {string.Join(", ", ReportNames.Languages)}, got '{query["lang"]}'");
        }

        string[]? queues = null;
        if (query["queues"].ToString() is { Length: > 0 } list)
        {
            queues = list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (queues.Length == 0)
            {
                return BadParameter("queues", "must list queue ids separated by commas");
            }
        }

        var renderer = services.GetRequiredService<IReportRenderer>();
        var report = await renderer.RenderAsync(new ReportOrder(kind, date, zone, queues, language), cancellationToken).ConfigureAwait(false);
        context.Response.Headers[CompleteHeader] = report.Complete ? "true" : "false";
        return TypedResults.File(report.Pdf, "application/pdf", report.FileName);
    }

    private static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult BadParameter(string parameter, string message) =>
        TypedResults.Problem(
            detail: $"{parameter}: {message}",
            statusCode: StatusCodes.Status400BadRequest,
            title: "Bad parameter",
            extensions: new Dictionary<string, object?> { ["parameter"] = parameter });
}
