namespace PscaleBot.Commands.Grammar;

/// <summary>The sub-command names the policy file's <c>commands:</c> lists may use (<see cref="BotCommand.PolicyName"/>).</summary>
public static class SubCommands
{
    /// <summary>PlanetScale service-token sub-commands that read.</summary>
    public static readonly IReadOnlyList<string> Reads = ["list", "show", "show-access", "stale"];

    /// <summary>PlanetScale service-token sub-commands that change state.</summary>
    public static readonly IReadOnlyList<string> Changes = ["create", "delete", "add-access", "delete-access", "rotate"];

    /// <summary>Bot commands beyond the CLI's.</summary>
    public static readonly IReadOnlyList<string> BotOwn =
        ["help", "whoami", "audit", "audit-verify", "access-list", "access-approve", "access-deny", "access-revoke", "access-extend", "access-cancel"];

    /// <summary>Every name a policy may list.</summary>
    public static readonly IReadOnlyList<string> All = [.. Reads, .. Changes, .. BotOwn];

    /// <summary>Commands everyone may run anywhere the bot answers, whatever the policy says: they reveal only the caller's own rights.</summary>
    public static readonly IReadOnlyList<string> AlwaysAllowed = ["help", "whoami"];
}
