using System.Globalization;
using Wallboard.Hub.Cli;
using Wallboard.Hub.History;
using Wallboard.Hub.Live.Access;

namespace Wallboard.Hub.Staffing;

/// <summary><c>GET /api/forecast?queues=&amp;date=&amp;step=15m|30m|1h&amp;format=json|csv</c> (docs/staffing.md).</summary>
internal static class ForecastEndpoints
{
    public static IEndpointRouteBuilder MapForecastApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/forecast", ForecastAsync).RequireAuthorization(WallboardPolicies.Viewer);
        return endpoints;
    }

    private static async Task<IResult> ForecastAsync(HttpContext context, ForecastService forecasts, TimeProvider time, CancellationToken cancellationToken)
    {
        var query = context.Request.Query;
        var step = query["step"].ToString() is { Length: > 0 } s ? s : "30m";
        var minutes = step switch { "15m" => 15, "30m" => 30, "1h" => 60, _ => 0 };
        if (minutes == 0)
        {
            return Bad("step", $"'{step}' is not a step of the forecast; use 15m, 30m or 1h");
        }

        var format = query["format"].ToString() is { Length: > 0 } f ? f : (context.Request.Headers.Accept.ToString().Contains("text/csv", StringComparison.OrdinalIgnoreCase) ? "csv" : "json");
        if (format is not ("json" or "csv"))
        {
            return Bad("format", $"'{format}' is not a format; use json or csv");
        }

        var queues = query["queues"]
            .SelectMany(value => (value ?? string.Empty).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            .Distinct(StringComparer.Ordinal)
            .ToList();
        List<ForecastRow> rows;
        try
        {
            if (query["date"].ToString() is { Length: > 0 } dateText)
            {
                if (!DateOnly.TryParseExact(dateText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
                {
                    return Bad("date", $"'{dateText}' is not a date; use yyyy-MM-dd (e.g. 2026-11-27)");
                }

                rows = await forecasts.ForecastAsync(queues.Count == 0 ? null : queues, NodaTime.LocalDate.FromDateOnly(date), minutes, null, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                // The rest of today and tomorrow.
                var now = time.GetUtcNow().ToUnixTimeMilliseconds();
                var today = forecasts.Today;
                rows = await forecasts.ForecastAsync(queues.Count == 0 ? null : queues, today, minutes, now, cancellationToken).ConfigureAwait(false);
                rows.AddRange(await forecasts.ForecastAsync(queues.Count == 0 ? null : queues, today.PlusDays(1), minutes, null, cancellationToken).ConfigureAwait(false));
            }
        }
        catch (Exception ex) when (ex is InfluxException or HttpRequestException || (ex is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return TypedResults.Problem(detail: "the history store did not answer; try again later", statusCode: StatusCodes.Status503ServiceUnavailable, title: "History store unavailable");
        }

        if (format == "csv")
        {
            using var text = new StringWriter(CultureInfo.InvariantCulture);
            KpiOutput.Write(rows, KpiFormat.Csv, text);
            return TypedResults.Text(text.ToString(), "text/csv; charset=utf-8");
        }

        return TypedResults.Json(rows, KpiOutput.JsonOptions);
    }

    private static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult Bad(string parameter, string message) => TypedResults.Problem(
        detail: $"{parameter}: {message}",
        statusCode: StatusCodes.Status400BadRequest,
        title: $"Bad parameter '{parameter}'",
        extensions: new Dictionary<string, object?> { ["parameter"] = parameter });
}
