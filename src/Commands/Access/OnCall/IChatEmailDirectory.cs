using PscaleBot.Commands.Model;

namespace PscaleBot.Commands.Access.OnCall;

/// <summary>
/// The email address of a chat user, so the core can match them to PagerDuty and Opsgenie users without knowing
/// Slack or Teams. Each chat adapter implements it for its own <see cref="Platform"/>.
/// </summary>
public interface IChatEmailDirectory
{
    /// <summary>The platform whose users this directory knows.</summary>
    ChatPlatform Platform { get; }

    /// <summary>The user's email address, or null when the platform has none for them.</summary>
    Task<string?> FindEmailAsync(ChatIdentity who, CancellationToken cancellationToken);
}
