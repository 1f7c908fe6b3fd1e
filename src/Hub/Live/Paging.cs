using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;

namespace Wallboard.Hub.Live;

/// <summary>
/// Pages of a large answer: <c>offset</c> and <c>limit</c> in the query, the whole count in
/// <c>X-Total-Count</c> and the next page in a <c>Link</c> header (<c>rel="next"</c>), so one
/// request can never ask for an answer of unbounded size. A request without them gets the first page.
/// </summary>
internal readonly record struct Paging(int Offset, int Limit)
{
    public const string TotalCountHeader = "X-Total-Count";

    /// <summary>Reads <c>offset</c> and <c>limit</c>; a bad value is a 400 naming the parameter.</summary>
    public static bool TryRead(HttpRequest request, int defaultLimit, int maxLimit, out Paging paging, out ProblemHttpResult? problem)
    {
        paging = new Paging(0, defaultLimit);
        problem = null;
        var offset = 0;
        var limit = defaultLimit;
        if (request.Query["offset"].ToString() is { Length: > 0 } offsetText
            && (!int.TryParse(offsetText, NumberStyles.None, CultureInfo.InvariantCulture, out offset)))
        {
            problem = Bad("offset", $"must be a whole number of 0 or more, got '{offsetText}'");
            return false;
        }

        if (request.Query["limit"].ToString() is { Length: > 0 } limitText
            && (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit < 1 || limit > maxLimit))
        {
            problem = Bad("limit", string.Create(CultureInfo.InvariantCulture, $"must be 1 to {maxLimit}, got '{limitText}'"));
            return false;
        }

        paging = new Paging(offset, limit);
        return true;
    }

    /// <summary>The page of <paramref name="items"/>, with the headers that describe it.</summary>
    public List<T> Apply<T>(HttpContext context, IReadOnlyList<T> items)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(items);
        context.Response.Headers[TotalCountHeader] = items.Count.ToString(CultureInfo.InvariantCulture);
        var end = (int)Math.Min(items.Count, (long)Offset + Limit);
        if (end < items.Count)
        {
            var query = new Dictionary<string, string?>(StringComparer.Ordinal);
            foreach (var (key, value) in context.Request.Query)
            {
                query[key] = value.ToString();
            }

            query["offset"] = end.ToString(CultureInfo.InvariantCulture);
            query["limit"] = Limit.ToString(CultureInfo.InvariantCulture);
            context.Response.Headers.Link = $"<{QueryHelpers.AddQueryString(context.Request.Path, query)}>; rel=\"next\"";
        }

        var page = new List<T>(Math.Max(0, end - Offset));
        for (var i = Offset; i < end; i++)
        {
            page.Add(items[i]);
        }

        return page;
    }

    private static ProblemHttpResult Bad(string parameter, string message) =>
        TypedResults.Problem(
            detail: $"{parameter}: {message}",
            statusCode: StatusCodes.Status400BadRequest,
            title: $"Bad parameter '{parameter}'",
            extensions: new Dictionary<string, object?> { ["parameter"] = parameter });
}
