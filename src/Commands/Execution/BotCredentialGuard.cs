using PscaleBot.Commands.Grammar;
using PscaleBot.Commands.Model;
using PscaleBot.Commands.Policy;
using PscaleBot.Commands.Results;

namespace PscaleBot.Commands.Execution;

/// <summary>
/// Keeps changes away from the bot's own credential token (<c>PlanetScale:ServiceTokenId</c>): deleting it or
/// changing its accesses would make every later grant and revocation fail, including the revocations of grants
/// already made. Only a role with <c>manage_bot_token: true</c> may do it.
/// </summary>
public static class BotCredentialGuard
{
    /// <summary>The refusal when <paramref name="command"/> changes the token <paramref name="botTokenId"/> and no role allows that; else null.</summary>
    public static ErrorResult? Check(
        BotCommand command, string? botTokenId, IAuthorizationPolicy policy, ChatRequest request, string organization)
    {
        if (string.IsNullOrWhiteSpace(botTokenId) || !command.IsMutating || TargetToken(command) is not { } target
            || !string.Equals(target.Trim(), botTokenId.Trim(), StringComparison.OrdinalIgnoreCase)
            || policy.MayManageBotToken(request.Caller, request.Place, command, organization))
        {
            return null;
        }

        return new ErrorResult(
            $"Not allowed: {target} is the bot's own credential. Changing it with {command.PolicyName} would lock the bot out: every later grant "
            + "and revocation would fail, including the revocations of grants already made.",
            "Change the bot's token in the PlanetScale dashboard, or ask a policy owner for a role with manage_bot_token: true.",
            null,
            ErrorCategory.Denied);
    }

    /// <summary>The audit reason of a refusal.</summary>
    public static string AuditReason(BotCommand command) => $"{command.PolicyName} on the bot's own credential token (no manage_bot_token role)";

    private static string? TargetToken(BotCommand command) => command switch
    {
        DeleteTokenCommand delete => delete.TokenId,
        AddAccessCommand add => add.TokenId,
        DeleteAccessCommand remove => remove.TokenId,
        RotateTokenCommand rotate => rotate.TokenId,
        _ => null,
    };
}
