namespace Wallboard.Hub.Live.Access;

/// <summary>The roles a key can carry (claim values of <see cref="System.Security.Claims.ClaimTypes.Role"/>).</summary>
internal static class WallboardRoles
{
    public const string Viewer = "viewer";
    public const string Ingest = "ingest";
    public const string Supervisor = "supervisor";
    public const string Analyst = "analyst";
    public const string Admin = "admin";
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

    /// <summary>The history API (<c>MapHistoryApi</c>) requires this policy.</summary>
    public const string Analyst = "wallboard-analyst";

    public const string Admin = "wallboard-admin";
}
