using PscaleBot.Commands.Model;

namespace PscaleBot.Commands.Access.OnCall;

/// <summary>
/// The email addresses of a chat user, so the core can match them to PagerDuty and Opsgenie users without knowing
/// Slack or Teams. Each chat adapter implements it for its own <see cref="Platform"/>.
/// </summary>
public interface IChatEmailDirectory
{
    /// <summary>The platform whose users this directory knows.</summary>
    ChatPlatform Platform { get; }

    /// <summary>
    /// Every address the platform knows the user by (Slack's profile email; Teams' mail and user principal name, which
    /// often differ), or none. Any of them matching an on-call user puts the requester on call.
    /// </summary>
    Task<IReadOnlyList<string>> FindEmailsAsync(ChatIdentity who, CancellationToken cancellationToken);
}
