using Microsoft.Extensions.Options;
using PscaleBot.Commands.Policy;

namespace PscaleBot.Commands.Access.OnCall;

/// <summary>
/// Checks <see cref="OnCallOptions"/> at start-up: sane timeout and cache lifetime, absolute base URLs, and an API key
/// for each service the policy in force consults. Each failure is one sentence naming the setting.
/// </summary>
public sealed class OnCallOptionsValidator(PolicyStore? policy = null) : IValidateOptions<OnCallOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, OnCallOptions options)
    {
        var failures = new List<string>();
        if (options.Timeout <= TimeSpan.Zero || options.Timeout > TimeSpan.FromSeconds(30))
        {
            failures.Add("OnCall:Timeout must be between 00:00:00.1 and 00:00:30 (a request waits that long before going to approvers).");
        }

        if (options.CacheTtl < TimeSpan.Zero || options.CacheTtl > TimeSpan.FromMinutes(15))
        {
            failures.Add("OnCall:CacheTtl must be between 00:00:00 and 00:15:00; on-call changes must reach the bot within minutes.");
        }

        Check(failures, "PagerDuty", options.PagerDuty, policy?.Current.Document.OnCall?.PagerDuty is not null);
        Check(failures, "Opsgenie", options.Opsgenie, policy?.Current.Document.OnCall?.Opsgenie is not null);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Check(List<string> failures, string service, OnCallServiceOptions options, bool used)
    {
        if (options.BaseUrl is not { IsAbsoluteUri: true } url || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
        {
            failures.Add($"OnCall:{service}:BaseUrl must be an absolute http(s) URL.");
        }

        if (used && string.IsNullOrWhiteSpace(options.ApiKey))
        {
            failures.Add($"OnCall:{service}:ApiKey is not set, but the policy file's 'oncall: {service.ToLowerInvariant()}:' section needs it.");
        }
    }
}
