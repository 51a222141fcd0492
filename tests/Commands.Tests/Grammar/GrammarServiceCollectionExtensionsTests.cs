using Microsoft.Extensions.DependencyInjection;
using PscaleBot.Commands.Grammar;

namespace PscaleBot.Commands.Tests.Grammar;

public sealed class GrammarServiceCollectionExtensionsTests
{
    [Fact]
    public void Registers_the_parser_and_the_help_text_as_singletons()
    {
        var services = new ServiceCollection().AddCommandGrammar();
        Assert.Contains(services, d => d.ServiceType == typeof(ICommandParser) && d.Lifetime == ServiceLifetime.Singleton);
        Assert.Contains(services, d => d.ServiceType == typeof(IHelpText) && d.Lifetime == ServiceLifetime.Singleton);

        using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        var parser = provider.GetRequiredService<ICommandParser>();
        Assert.IsType<ServiceTokenCommandParser>(parser);
        Assert.Same(parser, provider.GetRequiredService<ICommandParser>());
        Assert.IsType<CobraHelpText>(provider.GetRequiredService<IHelpText>());
        Assert.IsType<ListTokensCommand>(parser.Parse("service-token list").Command);
    }

    [Fact]
    public void Calling_it_twice_registers_once()
    {
        var services = new ServiceCollection().AddCommandGrammar().AddCommandGrammar();
        Assert.Single(services, d => d.ServiceType == typeof(ICommandParser));
        Assert.Single(services, d => d.ServiceType == typeof(IHelpText));
    }
}
