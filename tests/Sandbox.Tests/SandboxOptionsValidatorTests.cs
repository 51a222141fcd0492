using Microsoft.Extensions.Options;
using PscaleBot.Sandbox.Faults;

namespace PscaleBot.Sandbox.Tests;

public sealed class SandboxOptionsValidatorTests
{
    [Theory]
    [InlineData("Sandbox:Port")]
    [InlineData("Sandbox:ServiceTokenId")]
    [InlineData("Sandbox:ServiceToken")]
    [InlineData("Sandbox:Faults:ErrorRate")]
    [InlineData("Sandbox:Faults:Forced:0:Path")]
    public async Task UnusableSettingsStopTheStartNamingTheSetting(string setting)
    {
        var options = setting switch
        {
            "Sandbox:Port" => new SandboxOptions { Port = 70000 },
            "Sandbox:ServiceTokenId" => new SandboxOptions { ServiceTokenId = "Not-An-Id" },
            "Sandbox:ServiceToken" => new SandboxOptions { ServiceToken = "secret" },
            "Sandbox:Faults:ErrorRate" => new SandboxOptions { Faults = new FaultOptions { ErrorRate = 1.5 } },
            _ => new SandboxOptions { Faults = new FaultOptions { Forced = [new ForcedFault { Path = "no-slash" }] } },
        };

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => SandboxServer.StartAsync(options, CancellationToken.None));
        Assert.Contains(error.Failures, f => f.StartsWith(setting, StringComparison.Ordinal));
    }

    [Fact]
    public void DefaultsAreValid()
    {
        Assert.True(new SandboxOptionsValidator().Validate(null, new SandboxOptions()).Succeeded);
    }
}
