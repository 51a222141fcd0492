using System.Reflection;
using System.Xml.Linq;

namespace PscaleBot.Architecture.Tests;

/// <summary>
/// The same walls one level down, where type scanning cannot see: the assembly references the
/// compiler wrote, and the project files (a reference nothing uses yet is dropped from the assembly,
/// but it is the first step over the wall, and it brings the other side's packages along).
/// </summary>
public sealed class ReferenceWallTests
{
    [Fact]
    public void The_core_assembly_references_no_web_host_bot_or_sandbox()
    {
        var offending = References(Layers.Commands)
            .Where(name => name.StartsWith(Layers.AspNetCore + ".", StringComparison.Ordinal)
                || name is Layers.BotName or Layers.SandboxName)
            .ToList();

        Assert.True(offending.Count == 0, $"{Layers.CommandsName} references: {string.Join(", ", offending)}");
    }

    [Fact]
    public void The_sandbox_assembly_does_not_reference_the_core() =>
        Assert.DoesNotContain(Layers.CommandsName, References(Layers.Sandbox));

    [Fact]
    public void The_core_project_is_a_plain_library_without_the_web_framework()
    {
        var project = Project("src/Commands/PscaleBot.Commands.csproj");

        Assert.Equal("Microsoft.NET.Sdk", project.Root!.Attribute("Sdk")?.Value);
        Assert.DoesNotContain(Items(project, "FrameworkReference"), name => name.StartsWith(Layers.AspNetCore, StringComparison.Ordinal));
        Assert.DoesNotContain(Items(project, "PackageReference"), name => name.StartsWith(Layers.AspNetCore, StringComparison.Ordinal));
        Assert.DoesNotContain(Items(project, "ProjectReference"), path => path.Contains("/Bot/", StringComparison.Ordinal) || path.Contains("/Sandbox/", StringComparison.Ordinal));
    }

    [Fact]
    public void The_sandbox_project_does_not_reference_the_core() =>
        Assert.DoesNotContain(Items(Project("src/Sandbox/PscaleBot.Sandbox.csproj"), "ProjectReference"),
            path => path.Contains("/Commands/", StringComparison.Ordinal));

    private static List<string> References(Assembly assembly) =>
        [.. assembly.GetReferencedAssemblies().Select(name => name.Name ?? "")];

    private static XDocument Project(string relativePath) =>
        XDocument.Load(Path.Combine(Layers.RepositoryRoot().FullName, relativePath));

    private static IEnumerable<string> Items(XDocument project, string itemType) =>
        project.Descendants(itemType).Select(item => (item.Attribute("Include")?.Value ?? "").Replace('\\', '/'));
}
