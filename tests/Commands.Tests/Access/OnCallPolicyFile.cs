using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using PscaleBot.Commands.Policy;

namespace PscaleBot.Commands.Tests.Access;

/// <summary>A policy file whose only difference between tests is its <c>oncall:</c> section, and a store over it.</summary>
internal static class OnCallPolicyFile
{
    /// <summary>Writes <paramref name="onCall"/> (the section, or nothing) ahead of a one-role shell policy.</summary>
    public static void Write(string path, string onCall) => File.WriteAllText(path, onCall + """
        roles:
          viewer:
            commands: [list]
        bindings:
          - where: shell
            who: "*"
            roles: [viewer]
        """);

    /// <summary>A policy store reading <paramref name="path"/>.</summary>
    public static PolicyStore Store(string path) => new(
        Options.Create(new PolicyOptions { Path = path }), TimeProvider.System, NullLogger<PolicyStore>.Instance, new PolicyPath(path));
}
