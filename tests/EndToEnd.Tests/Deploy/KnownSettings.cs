using System.Collections;
using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace PscaleBot.EndToEnd.Tests.Deploy;

/// <summary>
/// Decides whether an environment variable the deployment files set is a setting the server really reads: a property
/// path of an options class (a type with a <c>SectionName</c> constant that the running server binds), a key read
/// directly from configuration, or a host variable (<c>ASPNETCORE_*</c>, <c>DOTNET_*</c>).
/// </summary>
public sealed class KnownSettings(IServiceProvider services)
{
    /// <summary>Read with <c>GetConnectionString</c>, not through an options class.</summary>
    private static readonly string[] ReadDirectly = ["ConnectionStrings:Postgres"];


    private static readonly Assembly[] Ours =
    [
        typeof(Program).Assembly,
        typeof(Commands.Policy.PolicyOptions).Assembly,
        typeof(Sandbox.SandboxOptions).Assembly,
    ];

    /// <summary>Options classes by section, for those the running server binds.</summary>
    public ILookup<string, Type> Sections { get; } = Ours
        .SelectMany(a => a.GetTypes())
        .Select(t => (Type: t, Field: t.GetField("SectionName", BindingFlags.Public | BindingFlags.Static)))
        .Where(x => x.Field is { IsLiteral: true } && x.Field.FieldType == typeof(string))
        .Where(x => IsBound(services, x.Type))
        .ToLookup(x => (string)x.Field!.GetRawConstantValue()!, x => x.Type, StringComparer.OrdinalIgnoreCase);

    /// <summary>Null when <paramref name="variable"/> is a real setting, else why not.</summary>
    public string? Problem(string variable)
    {
        if (variable.StartsWith("ASPNETCORE_", StringComparison.Ordinal) || variable.StartsWith("DOTNET_", StringComparison.Ordinal))
        {
            return null;
        }

        var path = variable.Split("__");
        var key = string.Join(':', path);
        if (ReadDirectly.Contains(key, StringComparer.OrdinalIgnoreCase))
        {
            return null;
        }

        if (!Sections.Contains(path[0]))
        {
            return $"{variable}: no options class the server binds has section '{path[0]}'";
        }

        // Several options classes may bind one section (PlanetScale: the client's and the shared budget's).
        var problems = Sections[path[0]].Select(type => ProblemIn(variable, path, type)).ToList();
        return problems.Any(p => p is null) ? null : problems[0];
    }

    private static string? ProblemIn(string variable, string[] path, Type type)
    {

        for (var i = 1; i < path.Length; i++)
        {
            if (Element(type) is { } element)
            {
                // A list index or a dictionary key, then the element's own path.
                if (!IsDictionary(type) && !int.TryParse(path[i], out _))
                {
                    return $"{variable}: '{path[i]}' is not an index of {type.Name}";
                }

                type = element;
                continue;
            }

            var property = type.GetProperty(path[i], BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
            if (property is null)
            {
                return $"{variable}: {type.Name} has no property '{path[i]}'";
            }

            if (!property.CanWrite && IsLeaf(property.PropertyType))
            {
                return $"{variable}: {type.Name}.{property.Name} is read-only";
            }

            type = property.PropertyType;
        }

        return IsLeaf(type) || Element(type) is { } e && IsLeaf(e) ? null : $"{variable}: names a whole section ({type.Name}), not a value";
    }

    private static bool IsBound(IServiceProvider services, Type options) =>
        services.GetServices(typeof(IConfigureOptions<>).MakeGenericType(options)).Any();

    private static bool IsLeaf(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        return type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || type == typeof(TimeSpan)
            || type == typeof(Uri) || type == typeof(DateTimeOffset) || type == typeof(DateTime) || type == typeof(Guid);
    }

    private static bool IsDictionary(Type type) =>
        type.GetInterfaces().Append(type).Any(i => i.IsGenericType && i.GetGenericTypeDefinition() is var d
            && (d == typeof(IDictionary<,>) || d == typeof(IReadOnlyDictionary<,>)));

    private static Type? Element(Type type)
    {
        if (type == typeof(string) || !typeof(IEnumerable).IsAssignableFrom(type))
        {
            return null;
        }

        if (type.IsArray)
        {
            return type.GetElementType();
        }

        var generic = type.GetInterfaces().Append(type).FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>));
        var argument = generic?.GetGenericArguments()[0];
        return argument is { IsGenericType: true } pair && pair.GetGenericTypeDefinition() == typeof(KeyValuePair<,>) ? pair.GetGenericArguments()[1] : argument;
    }
}
