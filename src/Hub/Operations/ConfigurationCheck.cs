using System.Collections;
using System.ComponentModel;
using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.Options;

namespace Wallboard.Hub.Operations;

/// <summary>
/// Checks the configuration of every section the server owns (<see cref="OwnedSection"/>, recorded by
/// <see cref="WallboardOptions.AddWallboardOptions{TOptions}"/>) against its options type before
/// anything is bound: a key the type does not have is reported with the keys it does have, a value
/// that does not convert to its property's type is reported with the values it may take, and a
/// top-level section whose name is one or two letters from an owned one is reported as a likely
/// typo. Every problem is one line that starts with the key; the start stops with all of them.
/// </summary>
/// <remarks>
/// Driven by the options types through reflection, the way the configuration binder itself walks
/// them: classes by their public settable properties (or get-only ones holding a collection or an
/// object), dictionaries by any key, lists and arrays by index, and scalars through their type
/// converter. So a section a later change adds is covered by registering its type, and a key read
/// in code without a property behind it is reported (give it a property).
/// </remarks>
internal static class ConfigurationCheck
{
    /// <summary>Throws an <see cref="OptionsValidationException"/> listing every problem; does nothing when there is none.</summary>
    public static void ThrowIfInvalid(IConfiguration configuration, IEnumerable<OwnedSection> sections)
    {
        var problems = Problems(configuration, sections);
        if (problems.Count > 0)
        {
            throw new OptionsValidationException("configuration", typeof(ConfigurationCheck), problems);
        }
    }

    public static List<string> Problems(IConfiguration configuration, IEnumerable<OwnedSection> sections)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(sections);
        var owned = sections.DistinctBy(section => section.Name, StringComparer.OrdinalIgnoreCase).ToList();
        var problems = new List<string>();
        foreach (var section in owned)
        {
            CheckNode(configuration.GetSection(section.Name), section.OptionsType, problems);
        }

        // Environment variables are top-level keys too; only a near miss that has keys under it is a typo.
        foreach (var top in configuration.GetChildren())
        {
            if (!top.GetChildren().Any() || owned.Any(section => string.Equals(section.Name, top.Key, StringComparison.OrdinalIgnoreCase)))
            {
                continue;
            }

            var near = owned.FirstOrDefault(section => top.Key.Length >= 4 && Spelling.IsNear(top.Key, section.Name));
            if (near is not null)
            {
                problems.Add($"{top.Key}: unknown section; did you mean {near.Name}?");
            }
        }

        return problems;
    }

    private static void CheckNode(IConfigurationSection node, Type type, List<string> problems)
    {
        var target = Nullable.GetUnderlyingType(type) ?? type;
        if (IsScalar(target))
        {
            if (node.GetChildren().Any())
            {
                problems.Add($"{node.Path}: takes a single value ({Describe(target)}), not keys beneath it ({string.Join(", ", node.GetChildren().Select(child => child.Key))})");
            }
            else if (node.Value is { Length: > 0 } value && !Converts(target, value))
            {
                problems.Add($"{node.Path}: '{value}' is not {Describe(target)}");
            }

            return;
        }

        if (ElementTypes(target) is { } elements)
        {
            foreach (var child in node.GetChildren())
            {
                if (!elements.ByKey && !int.TryParse(child.Key, NumberStyles.None, CultureInfo.InvariantCulture, out _))
                {
                    problems.Add($"{child.Path}: a list takes entries 0, 1, 2…, not '{child.Key}'");
                    continue;
                }

                CheckNode(child, elements.Value, problems);
            }

            return;
        }

        var properties = Bindable(target);
        foreach (var child in node.GetChildren())
        {
            if (properties.TryGetValue(child.Key, out var property))
            {
                CheckNode(child, property.PropertyType, problems);
            }
            else
            {
                var near = properties.Keys.FirstOrDefault(name => Spelling.IsNear(name, child.Key));
                var hint = near is null ? string.Empty : $"; did you mean {near}?";
                problems.Add($"{child.Path}: unknown key{hint} ({node.Path} has {string.Join(", ", properties.Keys.Order(StringComparer.Ordinal))})");
            }
        }
    }

    /// <summary>The properties the binder would set, by configuration name (case-insensitive, as the binder matches them).</summary>
    private static Dictionary<string, PropertyInfo> Bindable(Type type)
    {
        var properties = new Dictionary<string, PropertyInfo>(StringComparer.OrdinalIgnoreCase);
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetIndexParameters().Length > 0)
            {
                continue;
            }

            var settable = property.SetMethod is { IsPublic: true };
            var target = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            if (settable || !IsScalar(target))
            {
                var name = property.GetCustomAttribute<ConfigurationKeyNameAttribute>()?.Name ?? property.Name;
                properties[name] = property;
            }
        }

        return properties;
    }

    /// <summary>The element type of a dictionary (by any key) or of a list or array (by index); null for any other type.</summary>
    private static (Type Value, bool ByKey)? ElementTypes(Type type)
    {
        if (type.IsArray)
        {
            return (type.GetElementType()!, false);
        }

        if (!typeof(IEnumerable).IsAssignableFrom(type) || type == typeof(string))
        {
            return null;
        }

        var generics = type.GetInterfaces().Append(type).Where(face => face.IsGenericType).ToList();
        var dictionary = generics.FirstOrDefault(face => face.GetGenericTypeDefinition() is var definition
            && (definition == typeof(IDictionary<,>) || definition == typeof(IReadOnlyDictionary<,>)));
        if (dictionary is not null)
        {
            return (dictionary.GetGenericArguments()[1], true);
        }

        var enumerable = generics.FirstOrDefault(face => face.GetGenericTypeDefinition() == typeof(IEnumerable<>));
        return enumerable is null ? null : (enumerable.GetGenericArguments()[0], false);
    }

    private static bool IsScalar(Type type) =>
        type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || type == typeof(TimeSpan)
        || type == typeof(DateTime) || type == typeof(DateTimeOffset) || type == typeof(TimeOnly) || type == typeof(DateOnly)
        || type == typeof(Guid) || type == typeof(Uri);

    private static bool Converts(Type type, string value)
    {
        if (type == typeof(string))
        {
            return true;
        }

        if (type == typeof(Uri))
        {
            return Uri.TryCreate(value, UriKind.RelativeOrAbsolute, out _);
        }

        if (type.IsEnum)
        {
            return Enum.TryParse(type, value, ignoreCase: true, out _);
        }

        try
        {
            return TypeDescriptor.GetConverter(type).ConvertFromInvariantString(value) is not null;
        }
        catch (Exception ex) when (ex is FormatException or NotSupportedException or ArgumentException or OverflowException)
        {
            return false;
        }
    }

    private static string Describe(Type type) => type switch
    {
        _ when type == typeof(bool) => "true or false",
        _ when type == typeof(int) || type == typeof(long) || type == typeof(short) => "a whole number",
        _ when type == typeof(double) || type == typeof(float) || type == typeof(decimal) => "a number (e.g. 2.5)",
        _ when type == typeof(TimeSpan) => "a duration (hh:mm:ss)",
        _ when type == typeof(Uri) => "a URL",
        _ when type.IsEnum => "one of " + string.Join(", ", Enum.GetNames(type)),
        _ => "a " + type.Name,
    };
}
