using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;

namespace Wallboard.Hub.Live.Access;

/// <summary>API-key authentication and one policy per role.</summary>
internal static class AccessServiceCollectionExtensions
{
    public static IServiceCollection AddWallboardAccess(this IServiceCollection services)
    {
        services.AddOptions<AccessOptions>().BindConfiguration(AccessOptions.Section).ValidateOnStart();
        services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<AccessOptions>, AccessOptionsValidator>();
        services.AddSingleton<ApiKeyRing>();
        services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(WallboardPolicies.Viewer, Policy(
                WallboardRoles.Viewer, WallboardRoles.Supervisor, WallboardRoles.Analyst, WallboardRoles.Admin))
            .AddPolicy(WallboardPolicies.Ingest, Policy(WallboardRoles.Ingest, WallboardRoles.Admin))
            .AddPolicy(WallboardPolicies.Supervisor, Policy(WallboardRoles.Supervisor, WallboardRoles.Admin))
            .AddPolicy(WallboardPolicies.Analyst, Policy(WallboardRoles.Analyst, WallboardRoles.Admin))
            .AddPolicy(WallboardPolicies.Admin, Policy(WallboardRoles.Admin));
        return services;
    }

    private static AuthorizationPolicy Policy(params string[] roles) =>
        new AuthorizationPolicyBuilder(ApiKeyAuthenticationHandler.SchemeName).RequireRole(roles).Build();
}
