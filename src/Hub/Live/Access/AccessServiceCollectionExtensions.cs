using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Wallboard.Hub.Operations;

namespace Wallboard.Hub.Live.Access;

/// <summary>API-key authentication and one policy per role.</summary>
internal static class AccessServiceCollectionExtensions
{
    public static IServiceCollection AddWallboardAccess(this IServiceCollection services)
    {
        services.AddWallboardOptions<AccessOptions>(AccessOptions.Section);
        services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<AccessOptions>, AccessOptionsValidator>();
        services.AddSingleton<ApiKeyRing>();
        services.AddSingleton<DashboardSessions>();
        services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(WallboardPolicies.Viewer, Policy(
                WallboardRoles.Viewer, WallboardRoles.Supervisor, WallboardRoles.Analyst, WallboardRoles.Admin))
            .AddPolicy(WallboardPolicies.Ingest, Policy(WallboardRoles.Ingest, WallboardRoles.Admin))
            .AddPolicy(WallboardPolicies.Supervisor, Policy(WallboardRoles.Supervisor, WallboardRoles.Admin))
            .AddPolicy(WallboardPolicies.Analyst, Policy(WallboardRoles.Analyst, WallboardRoles.Admin))
            .AddPolicy(WallboardPolicies.History, Policy(WallboardRoles.Analyst, WallboardRoles.Admin, WallboardRoles.History))
            .AddPolicy(WallboardPolicies.Admin, Policy(WallboardRoles.Admin));
        return services;
    }

    private static AuthorizationPolicy Policy(params string[] roles) =>
        new AuthorizationPolicyBuilder(ApiKeyAuthenticationHandler.SchemeName).RequireRole(roles).Build();
}
