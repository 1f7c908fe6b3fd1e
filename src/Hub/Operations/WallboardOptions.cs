using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Wallboard.Hub.Operations;

/// <summary>A configuration section the server owns, and the options type it binds to (see <see cref="WallboardOptions"/>).</summary>
internal sealed record OwnedSection(string Name, Type OptionsType);

/// <summary>
/// How every Wallboard-owned configuration section is registered, so that all of them are checked
/// the same way at start: <c>services.AddWallboardOptions&lt;StaffingOptions&gt;("Staffing")</c>
/// binds the section, validates its data annotations with messages that name the key
/// (<c>Metrics:Rings: The field Rings must be between 1 and 20 (got 40)</c>), runs any
/// <see cref="IValidateOptions{TOptions}"/> registered for the type at start, and records the
/// section so that <see cref="ConfigurationCheck"/> reports keys the type does not have (a typo such
/// as <c>Metrics:TimeZon</c> would otherwise be ignored in silence) and values that do not convert.
/// A new section (Directory, Staffing, Cluster, limits…) needs nothing more than this call.
/// </summary>
internal static class WallboardOptions
{
    public static OptionsBuilder<TOptions> AddWallboardOptions<TOptions>(this IServiceCollection services, string section)
        where TOptions : class
    {
        services.AddSingleton(new OwnedSection(section, typeof(TOptions)));
        services.AddSingleton<IValidateOptions<TOptions>>(new SectionAnnotationsValidator<TOptions>(section));
        return services.AddOptions<TOptions>().BindConfiguration(section).ValidateOnStart();
    }

    /// <summary>Records a section owned by the server without binding it here (one bound elsewhere, or only when a feature is on).</summary>
    public static IServiceCollection AddOwnedSection<TOptions>(this IServiceCollection services, string section)
    {
        services.AddSingleton(new OwnedSection(section, typeof(TOptions)));
        return services;
    }
}

/// <summary>Data annotations of an options type, each failure naming its configuration key and the value given.</summary>
internal sealed class SectionAnnotationsValidator<TOptions>(string section) : IValidateOptions<TOptions>
    where TOptions : class
{
    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var results = new List<ValidationResult>();
        if (Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true))
        {
            return ValidateOptionsResult.Success;
        }

        var failures = new List<string>();
        foreach (var result in results)
        {
            foreach (var member in result.MemberNames.DefaultIfEmpty(string.Empty))
            {
                var value = member.Length == 0 ? null : typeof(TOptions).GetProperty(member)?.GetValue(options);
                var got = value is null ? string.Empty : string.Create(System.Globalization.CultureInfo.InvariantCulture, $" (got {value})");
                failures.Add($"{section}:{member}: {result.ErrorMessage}{got}");
            }
        }

        return ValidateOptionsResult.Fail(failures);
    }
}
