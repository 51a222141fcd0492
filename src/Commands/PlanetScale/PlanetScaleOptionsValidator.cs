using Microsoft.Extensions.Options;

namespace PscaleBot.Commands.PlanetScale;

/// <summary>
/// Checks <see cref="PlanetScaleOptions"/> at start-up beyond what the data annotations say, naming the setting to fix.
/// Credentials are required unless the sandbox is used (whoever starts the sandbox fills them in).
/// </summary>
public sealed class PlanetScaleOptionsValidator : IValidateOptions<PlanetScaleOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, PlanetScaleOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        ValidateBaseUrl(options.BaseUrl, failures);
        ValidateCredentials(options, failures);
        ValidateTimes(options, failures);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void ValidateBaseUrl(Uri? baseUrl, List<string> failures)
    {
        if (baseUrl is null || !baseUrl.IsAbsoluteUri)
        {
            failures.Add("PlanetScale:BaseUrl must be an absolute URL such as https://api.planetscale.com/v1.");
            return;
        }

        // Credentials travel in a header: plain HTTP is only acceptable to a server on this machine (the sandbox).
        if (baseUrl.Scheme != Uri.UriSchemeHttps && !(baseUrl.Scheme == Uri.UriSchemeHttp && baseUrl.IsLoopback))
        {
            failures.Add($"PlanetScale:BaseUrl must use https (plain http is allowed only for a loopback sandbox); got scheme '{baseUrl.Scheme}'.");
        }

        if (baseUrl.AbsolutePath.Trim('/').Length == 0)
        {
            failures.Add("PlanetScale:BaseUrl must include the API version path, e.g. https://api.planetscale.com/v1.");
        }

        if (baseUrl.Query.Length > 0 || baseUrl.Fragment.Length > 0 || baseUrl.UserInfo.Length > 0)
        {
            failures.Add("PlanetScale:BaseUrl must not carry a query, a fragment or user info.");
        }
    }

    private static void ValidateCredentials(PlanetScaleOptions options, List<string> failures)
    {
        var hasId = !string.IsNullOrWhiteSpace(options.ServiceTokenId);
        var hasSecret = !string.IsNullOrWhiteSpace(options.ServiceToken);
        if (hasId != hasSecret)
        {
            failures.Add("PlanetScale:ServiceTokenId and PlanetScale:ServiceToken must be set together: both are required for service-token authentication.");
        }
        else if (hasId && options.ServiceTokenId!.StartsWith("pscale_tkn_", StringComparison.Ordinal))
        {
            // The CLI's check: the secret has the pscale_tkn_ prefix, the id never does.
            failures.Add("PlanetScale:ServiceTokenId looks like a token secret (it starts with pscale_tkn_): it looks like PlanetScale:ServiceTokenId and PlanetScale:ServiceToken are swapped.");
        }

        foreach (var (setting, value) in new[]
                 {
                     ("PlanetScale:ServiceTokenId", options.ServiceTokenId),
                     ("PlanetScale:ServiceToken", options.ServiceToken),
                     ("PlanetScale:AccessToken", options.AccessToken),
                 })
        {
            if (!string.IsNullOrEmpty(value) && value.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
            {
                failures.Add($"{setting} contains whitespace or control characters; paste the value without spaces or line breaks.");
            }
        }

        if (!options.UseSandbox && !options.HasCredentials)
        {
            failures.Add("PlanetScale credentials are missing: set PlanetScale:ServiceTokenId and PlanetScale:ServiceToken (or PlanetScale:AccessToken), or set PlanetScale:UseSandbox to true.");
        }
    }

    private static void ValidateTimes(PlanetScaleOptions options, List<string> failures)
    {
        if (options.AttemptTimeout <= TimeSpan.Zero)
        {
            failures.Add("PlanetScale:AttemptTimeout must be positive, e.g. 00:00:10.");
        }

        if (options.TotalTimeout <= TimeSpan.Zero)
        {
            failures.Add("PlanetScale:TotalTimeout must be positive, e.g. 00:00:30.");
        }
        else if (options.AttemptTimeout > options.TotalTimeout)
        {
            failures.Add("PlanetScale:AttemptTimeout must not be longer than PlanetScale:TotalTimeout.");
        }

        if (options.RetryBaseDelay < TimeSpan.Zero)
        {
            failures.Add("PlanetScale:RetryBaseDelay must not be negative.");
        }

        if (options.MaxRetryAfter < TimeSpan.Zero)
        {
            failures.Add("PlanetScale:MaxRetryAfter must not be negative.");
        }

        if (options.ReadCacheTtl < TimeSpan.Zero || options.ReadCacheTtl > TimeSpan.FromMinutes(10))
        {
            failures.Add("PlanetScale:ReadCacheTtl must be between 00:00:00 (off) and 00:10:00, e.g. 00:00:02.");
        }

        if (options.ReadCacheMaxStale < TimeSpan.Zero || options.ReadCacheMaxStale > TimeSpan.FromHours(1))
        {
            failures.Add("PlanetScale:ReadCacheMaxStale must be between 00:00:00 (never past the TTL) and 01:00:00, e.g. 00:01:00.");
        }
    }
}
