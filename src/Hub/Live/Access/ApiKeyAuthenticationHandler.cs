using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Wallboard.Hub.Live.Access;

/// <summary>
/// Authenticates a request by its API key (header <c>X-Api-Key</c>; or, as the SignalR clients
/// send an access token, <c>Authorization: Bearer</c> or the <c>access_token</c> query parameter). Keys are compared as
/// SHA-256 hashes with <see cref="CryptographicOperations.FixedTimeEquals"/>, against every
/// configured key without stopping early, so timing says nothing about how close a guess was.
/// Keys are never logged. With no key configured (the demo) every caller holds every role.
/// </summary>
internal sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiKeyRing keys) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string HeaderName = "X-Api-Key";
    public const string QueryName = "access_token";

    /// <summary>
    /// The Hangfire dashboard is a server-rendered site whose own links and polling carry no key:
    /// an admin opens it once with <c>?access_token=</c>, and the key then rides in an HttpOnly cookie
    /// scoped to the dashboard's path, accepted nowhere else.
    /// </summary>
    public const string DashboardCookie = "wallboard_dashboard_key";

    public const string DashboardPath = "/hangfire";
    private const string BearerPrefix = "Bearer ";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!keys.HasKeys)
        {
            return Task.FromResult(AuthenticateResult.Success(Ticket(ApiKeyRing.AllRoles)));
        }

        string? presented = Request.Headers[HeaderName];
        if (string.IsNullOrEmpty(presented))
        {
            // The SignalR clients send their access token as a bearer header on negotiate and
            // long polling, and as the access_token query parameter on WebSockets and SSE.
            string? authorization = Request.Headers.Authorization;
            presented = authorization is not null && authorization.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase)
                ? authorization[BearerPrefix.Length..].Trim()
                : Request.Query[QueryName];
        }

        var onDashboard = Request.Path.StartsWithSegments(DashboardPath, StringComparison.OrdinalIgnoreCase);
        if (string.IsNullOrEmpty(presented) && onDashboard)
        {
            presented = Request.Cookies[DashboardCookie];
        }

        if (string.IsNullOrEmpty(presented))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var roles = keys.RolesOf(presented);
        if (roles.Count == 0)
        {
            return Task.FromResult(AuthenticateResult.Fail("unknown API key"));
        }

        if (onDashboard && roles.Contains(WallboardRoles.Admin) && !string.IsNullOrEmpty(Request.Query[QueryName]))
        {
            Response.Cookies.Append(DashboardCookie, presented, new CookieOptions
            {
                HttpOnly = true,
                Secure = Request.IsHttps,
                SameSite = SameSiteMode.Strict,
                Path = DashboardPath,
            });
        }

        return Task.FromResult(AuthenticateResult.Success(Ticket(roles)));
    }

    private static AuthenticationTicket Ticket(IReadOnlyCollection<string> roles)
    {
        var identity = new ClaimsIdentity(roles.Select(role => new Claim(ClaimTypes.Role, role)), SchemeName);
        return new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName);
    }
}

/// <summary>The configured keys, kept only as SHA-256 hashes.</summary>
internal sealed class ApiKeyRing
{
    public static readonly IReadOnlyCollection<string> AllRoles =
        [WallboardRoles.Viewer, WallboardRoles.Ingest, WallboardRoles.Supervisor, WallboardRoles.Analyst, WallboardRoles.Admin];

    private readonly (string Role, byte[] Hash)[] _hashes;

    public ApiKeyRing(IOptions<AccessOptions> options)
    {
        _hashes = [.. options.Value.Keys().Select(pair => (pair.Role, Hash(pair.Key)))];
    }

    public bool HasKeys => _hashes.Length > 0;

    /// <summary>The roles of a presented key; empty when it matches none. Looks at every key whatever matches.</summary>
    public IReadOnlyCollection<string> RolesOf(string presented)
    {
        var hash = Hash(presented);
        var roles = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (role, expected) in _hashes)
        {
            if (CryptographicOperations.FixedTimeEquals(hash, expected))
            {
                roles.Add(role);
            }
        }

        return roles;
    }

    private static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));
}
