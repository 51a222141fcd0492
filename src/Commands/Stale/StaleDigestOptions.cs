using Microsoft.Extensions.Options;

namespace PscaleBot.Commands.Stale;

/// <summary>Section <c>StaleTokens</c>: the optional scheduled digest of stale tokens.</summary>
public sealed class StaleDigestOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "StaleTokens";

    /// <summary>
    /// Where the digest goes: qualified channel ids, <c>slack:channel:C…</c> and/or <c>teams:channel:19:…</c>. Empty (the
    /// default): no digest.
    /// </summary>
    public List<string> DigestChannels { get; set; } = [];

    /// <summary>How often the digest goes out (default weekly; at least an hour). The first goes one interval after the start.</summary>
    public TimeSpan DigestInterval { get; set; } = TimeSpan.FromDays(7);

    /// <summary>The cut-off, as <c>--unused-for</c> (default 90 days).</summary>
    public TimeSpan UnusedFor { get; set; } = TimeSpan.FromDays(90);

    /// <summary>The organization; <c>PlanetScale:DefaultOrganization</c> when unset.</summary>
    public string? Organization { get; set; }
}

/// <summary>Checks <see cref="StaleDigestOptions"/> at start-up; each failure is one sentence naming the setting.</summary>
public sealed class StaleDigestOptionsValidator : IValidateOptions<StaleDigestOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, StaleDigestOptions options)
    {
        var failures = new List<string>();
        for (var i = 0; i < options.DigestChannels.Count; i++)
        {
            var channel = options.DigestChannels[i];
            if (!StaleDigestChannels.TryParse(channel, out _))
            {
                failures.Add($"StaleTokens:DigestChannels:{i} ('{channel}') must be a qualified channel id: slack:channel:C… or teams:channel:19:….");
            }
        }

        if (options.DigestInterval < TimeSpan.FromHours(1))
        {
            failures.Add("StaleTokens:DigestInterval must be at least 01:00:00 (an hour); a digest is a summary, not an alarm.");
        }

        if (options.UnusedFor <= TimeSpan.Zero)
        {
            failures.Add("StaleTokens:UnusedFor must be a positive duration, like 90.00:00:00 for 90 days.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
