using NetArchTest.Rules;

namespace PscaleBot.Architecture.Tests;

/// <summary>
/// The walls read from the compiled types (fields, signatures, attributes and method bodies):
/// the core knows no web host, no chat platform and no sandbox; Slack and Teams know nothing of
/// each other, so a shared idea goes in the shared chat layer instead; the sandbox is a stand-in
/// for PlanetScale and knows nothing of the bot's core.
/// </summary>
public sealed class TypeWallTests
{
    [Theory]
    [InlineData(Layers.AspNetCore)]
    [InlineData(Layers.BotName)]
    [InlineData(Layers.SandboxName)]
    public void The_core_does_not_use(string forbidden) =>
        AssertNoType(Types.InAssembly(Layers.Commands).ShouldNot().HaveDependencyOn(forbidden),
            $"{Layers.CommandsName} uses {forbidden}");

    [Theory]
    [InlineData(Layers.SlackNamespace, Layers.TeamsNamespace)]
    [InlineData(Layers.TeamsNamespace, Layers.SlackNamespace)]
    public void One_platform_does_not_use_the_other(string platform, string other)
    {
        var platformTypes = Types.InAssembly(Layers.Bot).That().ResideInNamespaceStartingWith(platform);
        Assert.NotEmpty(platformTypes.GetTypes()); // a rule over no types would pass for nothing

        AssertNoType(platformTypes.ShouldNot().HaveDependencyOn(other), $"{platform} uses {other}");
    }

    [Fact]
    public void The_sandbox_does_not_use_the_core() =>
        AssertNoType(Types.InAssembly(Layers.Sandbox).ShouldNot().HaveDependencyOn(Layers.CommandsName),
            $"{Layers.SandboxName} uses {Layers.CommandsName}");

    [Fact]
    public void The_rules_see_a_dependency_where_there_is_one()
    {
        // Guards the guard: if NetArchTest stopped matching namespaces, every wall above would pass.
        var result = Types.InAssembly(Layers.Bot).That().ResideInNamespaceStartingWith(Layers.SlackNamespace)
            .ShouldNot().HaveDependencyOn(Layers.CommandsName).GetResult();

        Assert.False(result.IsSuccessful);
    }

    private static void AssertNoType(ConditionList rule, string wall)
    {
        var result = rule.GetResult();
        Assert.True(result.IsSuccessful,
            $"Wall broken: {wall}. Types:{Environment.NewLine}  " + string.Join(Environment.NewLine + "  ", result.FailingTypeNames ?? []));
    }
}
