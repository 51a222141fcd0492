namespace PscaleBot.Sandbox.Faults;

/// <summary>Checks fault settings, naming the setting that is wrong.</summary>
internal static class FaultOptionsValidator
{
    /// <summary>The problems found; empty when the settings are usable.</summary>
    public static IReadOnlyList<string> Validate(FaultOptions options)
    {
        var errors = new List<string>();
        if (options.LatencyMs < 0)
        {
            errors.Add($"Sandbox:Faults:LatencyMs must be 0 or more (was {options.LatencyMs}).");
        }

        if (options.JitterMs < 0)
        {
            errors.Add($"Sandbox:Faults:JitterMs must be 0 or more (was {options.JitterMs}).");
        }

        if (options.ErrorRate is < 0 or > 1 || double.IsNaN(options.ErrorRate))
        {
            errors.Add($"Sandbox:Faults:ErrorRate must be between 0 and 1 (was {options.ErrorRate}).");
        }

        if (options.RateLimitPerMinute < 0)
        {
            errors.Add($"Sandbox:Faults:RateLimitPerMinute must be 0 (off) or more (was {options.RateLimitPerMinute}).");
        }

        for (var i = 0; i < options.Forced.Count; i++)
        {
            var fault = options.Forced[i];
            if (fault.Status is < 100 or > 599)
            {
                errors.Add($"Sandbox:Faults:Forced:{i}:Status must be an HTTP status (was {fault.Status}).");
            }

            if (string.IsNullOrWhiteSpace(fault.Path) || !fault.Path.StartsWith('/'))
            {
                errors.Add($"Sandbox:Faults:Forced:{i}:Path must be a path glob starting with '/' (was '{fault.Path}').");
            }

            if (fault.Times is < 0)
            {
                errors.Add($"Sandbox:Faults:Forced:{i}:Times must be 0 or more, or left out for always (was {fault.Times}).");
            }

            if (fault.After < 0)
            {
                errors.Add($"Sandbox:Faults:Forced:{i}:After must be 0 or more (was {fault.After}).");
            }
        }

        return errors;
    }

    /// <summary>Throws <see cref="ArgumentException"/> listing every problem.</summary>
    public static void ThrowIfInvalid(FaultOptions options)
    {
        var errors = Validate(options);
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", errors), nameof(options));
        }
    }
}
