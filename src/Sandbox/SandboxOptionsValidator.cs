using Microsoft.Extensions.Options;
using PscaleBot.Sandbox.Faults;
using PscaleBot.Sandbox.State;

namespace PscaleBot.Sandbox;

/// <summary>Rejects unusable sandbox settings at start, naming the setting.</summary>
public sealed class SandboxOptionsValidator : IValidateOptions<SandboxOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, SandboxOptions options)
    {
        var errors = new List<string>();
        if (options.Port is < 0 or > 65535)
        {
            errors.Add($"Sandbox:Port must be between 0 and 65535 (was {options.Port}).");
        }

        if (options.ServiceTokenId is not null && !Credentials.IsIdShaped(options.ServiceTokenId))
        {
            errors.Add("Sandbox:ServiceTokenId must be 12 lower-case letters or digits, like PlanetScale token ids.");
        }

        if (options.ServiceToken is not null
            && (!options.ServiceToken.StartsWith(Credentials.SecretPrefix, StringComparison.Ordinal) || options.ServiceToken.Length < 20))
        {
            errors.Add($"Sandbox:ServiceToken must start with '{Credentials.SecretPrefix}' and be at least 20 characters long.");
        }

        if (options.AccessToken is { Length: < 16 })
        {
            errors.Add("Sandbox:AccessToken must be at least 16 characters long.");
        }

        if (options.StatePath is { Length: 0 })
        {
            errors.Add("Sandbox:StatePath must be a file path, or left out to keep state in memory.");
        }

        errors.AddRange(FaultOptionsValidator.Validate(options.Faults ?? new FaultOptions()));
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
