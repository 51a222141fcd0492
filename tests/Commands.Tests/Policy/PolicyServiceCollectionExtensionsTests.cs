using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using PscaleBot.Commands.Model;
using PscaleBot.Commands.PlanetScale;
using PscaleBot.Commands.Policy;
using static PscaleBot.Commands.Tests.Policy.PolicyTestData;

namespace PscaleBot.Commands.Tests.Policy;

public sealed class PolicyServiceCollectionExtensionsTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("policy-di-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private IHost BuildHost(string? configuredPath)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = _folder, EnvironmentName = "Test" });
        if (configuredPath is not null)
        {
            builder.Configuration.AddInMemoryCollection([new("Policy:Path", configuredPath)]);
        }

        // The default organization reaches the policy: its roles below name none, so only it is allowed.
        builder.Services.Configure<PlanetScaleOptions>(o => o.DefaultOrganization = "acme");
        builder.Services.AddAuthorizationPolicy(builder.Configuration);
        return builder.Build();
    }

    [Fact]
    public async Task Resolves_the_default_path_against_the_content_root_and_serves_decisions()
    {
        File.WriteAllText(Path.Combine(_folder, "policy.yaml"), """
            roles:
              admin: { commands: ["*"] }
            bindings:
              - { where: shell, who: "*", roles: [admin] }
            """);
        using var host = BuildHost(configuredPath: null);
        await host.StartAsync();

        var policy = host.Services.GetRequiredService<IAuthorizationPolicy>();

        Assert.IsType<ReloadingAuthorizationPolicy>(policy);
        Assert.Equal("allowed: admin", Describe(policy.Authorize(ShellUser, ChatPlace.Shell, Delete, "acme")));
        Assert.Equal(Path.Combine(_folder, "policy.yaml"), host.Services.GetRequiredService<PolicyStore>().FullPath);
        await host.StopAsync();
    }

    [Fact]
    public async Task Start_fails_on_an_invalid_file_listing_errors_and_the_setting()
    {
        File.WriteAllText(Path.Combine(_folder, "custom.yaml"), """
            roles:
              admin: { commands: [nuke] }
            bindings: []
            """);
        using var host = BuildHost("custom.yaml");

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("(setting Policy:Path)", ex.Message);
        Assert.Contains("line 2, column 23: in role 'admin': unknown sub-command 'nuke'", ex.Message);
    }

    [Fact]
    public async Task Start_fails_when_the_file_is_missing()
    {
        using var host = BuildHost("nowhere/policy.yaml");

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(Path.Combine(_folder, "nowhere", "policy.yaml"), ex.Message);
        Assert.Contains("the file does not exist", ex.Message);
    }
}
