namespace Wallboard.Hub.Live.Access;

/// <summary>The roles a key can carry (claim values of <see cref="System.Security.Claims.ClaimTypes.Role"/>).</summary>
internal static class WallboardRoles
{
    public const string Viewer = "viewer";
    public const string Ingest = "ingest";
    public const string Supervisor = "supervisor";
    public const string Analyst = "analyst";
    public const string Admin = "admin";

    /// <summary>Held by <c>History:ApiKey</c>: the history API and nothing else.</summary>
    public const string History = "history";
}

/// <summary>
/// Authorization policy names, one per role. A policy admits its role and admin; the viewer policy
/// admits every role but ingest (a PBX feeding events has no business reading the figures).
/// </summary>
internal static class WallboardPolicies
{
    public const string Viewer = "wallboard-viewer";
    public const string Ingest = "wallboard-ingest";
    public const string Supervisor = "wallboard-supervisor";

    public const string Analyst = "wallboard-analyst";

    /// <summary>The history API (<c>MapHistoryApi</c>): analysts and admins, and <c>History:ApiKey</c>.</summary>
    public const string History = "wallboard-history";

    public const string Admin = "wallboard-admin";
}
