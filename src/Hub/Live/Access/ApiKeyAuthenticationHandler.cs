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
/// Keys are never logged. With no key configured in <c>Access</c> (the demo) every caller holds every
/// role, except on the history API when <c>History:ApiKey</c> is set: there that key is required.
/// </summary>
internal sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiKeyRing keys,
    DashboardSessions sessions) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string HeaderName = "X-Api-Key";
    public const string QueryName = "access_token";

    /// <summary>
    /// The Hangfire dashboard is a server-rendered site whose own links and polling carry no key:
    /// an admin opens it once with <c>?access_token=</c>, and an HttpOnly, SameSite=Strict cookie
    /// scoped to the dashboard's path then carries a session reference (<see cref="DashboardSessions"/>),
    /// never the key, accepted nowhere else. It is Secure when the request came over https, directly or
    /// through a proxy that says so in <c>X-Forwarded-Proto</c>.
    /// </summary>
    public const string DashboardCookie = "wallboard_dashboard_session";

    public const string DashboardPath = "/hangfire";
    private const string BearerPrefix = "Bearer ";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!keys.HasKeys)
        {
            return Task.FromResult(Demo());
        }

        var presented = Presented();
        var onDashboard = Request.Path.StartsWithSegments(DashboardPath, StringComparison.OrdinalIgnoreCase);
        if (string.IsNullOrEmpty(presented) && onDashboard && Request.Cookies[DashboardCookie] is { Length: > 0 } session)
        {
            var sessionRoles = sessions.RolesOf(session);
            return Task.FromResult(sessionRoles.Count == 0 ? AuthenticateResult.Fail("the dashboard session has expired") : AuthenticateResult.Success(Ticket(sessionRoles)));
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
            Response.Cookies.Append(DashboardCookie, sessions.Open([WallboardRoles.Admin]), new CookieOptions
            {
                HttpOnly = true,
                Secure = Request.IsHttps || string.Equals(ForwardedProto(), "https", StringComparison.OrdinalIgnoreCase),
                SameSite = SameSiteMode.Strict,
                Path = DashboardPath,
                MaxAge = DashboardSessions.Lifetime,
            });
        }

        return Task.FromResult(AuthenticateResult.Success(Ticket(roles)));
    }

    /// <summary>
    /// No keys in <c>Access</c>: every caller holds every role, but the history API asks for
    /// <c>History:ApiKey</c> when it is set (and only that key opens it).
    /// </summary>
    private AuthenticateResult Demo()
    {
        if (!keys.HistoryKeyRequired || !Request.Path.StartsWithSegments(History.HistoryEndpoints.PathPrefix, StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.Success(Ticket(ApiKeyRing.AllRoles));
        }

        var presented = Presented();
        return string.IsNullOrEmpty(presented) ? AuthenticateResult.NoResult()
            : keys.RolesOf(presented).Contains(WallboardRoles.History) ? AuthenticateResult.Success(Ticket([WallboardRoles.History]))
            : AuthenticateResult.Fail("unknown API key");
    }

    /// <summary>
    /// The key sent in <c>X-Api-Key</c>, else as the SignalR clients send an access token: a bearer
    /// header on negotiate and long polling, the access_token query parameter on WebSockets and SSE.
    /// </summary>
    private string? Presented()
    {
        string? presented = Request.Headers[HeaderName];
        if (string.IsNullOrEmpty(presented))
        {
            string? authorization = Request.Headers.Authorization;
            presented = authorization is not null && authorization.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase)
                ? authorization[BearerPrefix.Length..].Trim()
                : Request.Query[QueryName];
        }

        return presented;
    }

    /// <summary>The scheme the client used as the nearest proxy reports it (the first value of <c>X-Forwarded-Proto</c>).</summary>
    private string? ForwardedProto() =>
        Request.Headers["X-Forwarded-Proto"].ToString().Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();

    private static AuthenticationTicket Ticket(IReadOnlyCollection<string> roles)
    {
        var identity = new ClaimsIdentity(roles.Select(role => new Claim(ClaimTypes.Role, role)), SchemeName);
        return new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName);
    }
}

/// <summary>The configured keys (<c>Access</c>, and <c>History:ApiKey</c>), kept only as SHA-256 hashes.</summary>
internal sealed class ApiKeyRing
{
    public static readonly IReadOnlyCollection<string> AllRoles =
        [WallboardRoles.Viewer, WallboardRoles.Ingest, WallboardRoles.Supervisor, WallboardRoles.Analyst, WallboardRoles.Admin];

    private readonly (string Role, byte[] Hash)[] _hashes;

    public ApiKeyRing(IOptions<AccessOptions> options, IOptions<History.HistoryOptions> history)
    {
        var keys = options.Value.Keys().ToList();
        HasKeys = keys.Count > 0;
        if (history.Value.ApiKey is { Length: > 0 } historyKey)
        {
            HistoryKeyRequired = true;
            keys.Add((WallboardRoles.History, historyKey));
        }

        _hashes = [.. keys.Select(pair => (pair.Role, Hash(pair.Key)))];
    }

    /// <summary>Whether <c>Access</c> has any key: without one the server is an open demo on loopback.</summary>
    public bool HasKeys { get; }

    /// <summary>Whether <c>History:ApiKey</c> is set: the history API then asks for it even in the demo.</summary>
    public bool HistoryKeyRequired { get; }

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
