namespace PscaleBot.Commands.Access.OnCall;

/// <summary>Settings of the on-call services (section <c>OnCall</c>); which schedules to ask is in the policy file.</summary>
public sealed class OnCallOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "OnCall";

    /// <summary>PagerDuty (<c>OnCall:PagerDuty:*</c>).</summary>
    public OnCallServiceOptions PagerDuty { get; set; } = new() { BaseUrl = new Uri("https://api.pagerduty.com") };

    /// <summary>Opsgenie (<c>OnCall:Opsgenie:*</c>); the EU instance is <c>https://api.eu.opsgenie.com</c>.</summary>
    public OnCallServiceOptions Opsgenie { get; set; } = new() { BaseUrl = new Uri("https://api.opsgenie.com") };

    /// <summary>How long an answer is reused (<c>OnCall:CacheTtl</c>): on-call changes by the hour, requests come in bursts.</summary>
    public TimeSpan CacheTtl { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long a request may wait for an answer (<c>OnCall:Timeout</c>) before it goes to human approvers.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(2);
}

/// <summary>One on-call service's address and key.</summary>
public sealed class OnCallServiceOptions
{
    /// <summary>The API root.</summary>
    public Uri? BaseUrl { get; set; }

    /// <summary>The API key: a secret, never logged or shown.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Hides the key from anything that prints the options.</summary>
    public override string ToString() => $"BaseUrl={BaseUrl}, ApiKey={(string.IsNullOrEmpty(ApiKey) ? "(none)" : "[REDACTED]")}";
}
