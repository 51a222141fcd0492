using System.Globalization;
using PscaleBot.Commands.PlanetScale;

namespace PscaleBot.Commands.Rotation;

/// <summary>Every sentence rotation says to people and to the audit log, in one place. None ever holds a secret.</summary>
public static class RotationText
{
    /// <summary>A moment as people and the audit read it: to the second, in UTC.</summary>
    public static string At(DateTimeOffset moment) => moment.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    /// <summary>A grant as people read it: <c>read_branch, connect_branch on prod</c>.</summary>
    public static string Describe(TokenGrant grant) =>
        $"{string.Join(", ", grant.Permissions)} on {(grant.ResourceKind == ResourceKind.Organization ? $"organization {grant.ResourceName}" : grant.ResourceName)}";

    /// <summary>Grants as one list, or "none".</summary>
    public static string List(IEnumerable<TokenGrant> grants)
    {
        var text = string.Join("; ", grants.Select(Describe));
        return text.Length == 0 ? "none" : text;
    }

    /// <summary>The command that adds <paramref name="grant"/> to <paramref name="tokenId"/>.</summary>
    public static string AddCommand(string tokenId, TokenGrant grant) =>
        $"service-token add-access {tokenId} {string.Join(" ", grant.Permissions)}"
        + (GrantCopy.DatabaseOf(grant) is { } database ? $" --database {database}" : string.Empty);

    /// <summary>The success message under the new token's table.</summary>
    public static string Rotated(string oldTokenId, string newTokenId, int grants, TokenRetirement retirement) =>
        $"Token {oldTokenId} was rotated: new token {newTokenId} holds the same {grants} grant(s). Copy its secret now: PlanetScale shows it only once. "
        + $"The old token keeps working until {At(retirement.DueAt)}, then the bot deletes it (scheduled deletion {retirement.Id}). "
        + $"To keep the old token, run `service-token rotate {oldTokenId} --cancel` before then.";

    /// <summary>The audit outcome of a complete rotation.</summary>
    public static string RotatedOutcome(string newTokenId, int grants, TokenRetirement retirement) =>
        $"ok: new token {newTokenId}, {grants} grant(s) copied; old token to be deleted at {At(retirement.DueAt)} ({retirement.Id})";

    /// <summary>The announcement of a complete rotation.</summary>
    public static string Announcement(string who, string oldTokenId, string newTokenId, TokenRetirement retirement) =>
        $"{who} rotated service token {oldTokenId}: its replacement is {newTokenId}; {oldTokenId} will be deleted at {At(retirement.DueAt)}.";

    /// <summary>The error of a rotation that stopped while copying grants.</summary>
    public static (string Message, string Hint) Partial(string oldTokenId, string newTokenId, GrantCopyReport report)
    {
        var failed = report.Failed!;
        var message =
            $"Rotation of {oldTokenId} stopped halfway: new token {newTokenId} was created (its secret is above, shown only to you), "
            + $"but copying {Describe(failed)} failed: {report.FailureMessage}. "
            + $"Copied to {newTokenId}: {List(report.Copied)}. "
            + $"Not copied: {List([failed, .. report.NotAttempted])}"
            + (report.FailedMayHaveLanded ? $" ({Describe(failed)} may or may not have landed)" : string.Empty) + ". "
            + $"The old token {oldTokenId} is unchanged and nothing is scheduled: it will not be deleted.";
        var missing = string.Join("; ", new[] { failed }.Concat(report.NotAttempted).Select(g => $"`{AddCommand(newTokenId, g)}`"));
        var hint = $"To finish by hand: {missing}, check with `service-token show-access {newTokenId}`, then `service-token delete {oldTokenId}`. "
            + $"To give up instead: `service-token delete {newTokenId}`.";
        return (message, hint);
    }

    /// <summary>The audit outcome of a rotation that stopped while copying grants.</summary>
    public static string PartialOutcome(string newTokenId, GrantCopyReport report) =>
        $"error: partial rotation: new token {newTokenId} exists; copied: {List(report.Copied)}; "
        + $"not copied: {List([report.Failed!, .. report.NotAttempted])}; old token kept, no deletion scheduled";

    /// <summary>The error when the grants were copied but the deletion could not be scheduled.</summary>
    public static (string Message, string Hint) NotScheduled(string oldTokenId, string newTokenId, int grants) => (
        $"Token {oldTokenId} was rotated: new token {newTokenId} holds the same {grants} grant(s) (its secret is above, shown only to you), "
        + $"but the bot could not record the deletion of {oldTokenId}, so nothing will delete it.",
        $"Delete the old token yourself once nothing uses it: `service-token delete {oldTokenId}`.");

    /// <summary>The audit outcome when the deletion could not be scheduled.</summary>
    public static string NotScheduledOutcome(string newTokenId, int grants) =>
        $"error: store: new token {newTokenId}, {grants} grant(s) copied; deletion of the old token NOT scheduled";

    /// <summary>The error when creating the replacement failed.</summary>
    public static (string Message, string Hint) CreateFailed(string oldTokenId, string? name, PlanetScaleApiException ex)
    {
        var unsure = ex.Kind is PlanetScaleErrorKind.Timeout or PlanetScaleErrorKind.Unreachable or PlanetScaleErrorKind.ServerError;
        var named = name is null ? "an unnamed token" : $"a token named {name}";
        return (
            $"Rotation of {oldTokenId} failed while creating the new token: {ex.Message}. No grant was copied and the old token is unchanged.",
            unsure
                ? $"The new token may or may not exist: look for {named} with `service-token list`, delete it if it is there, then rotate again."
                : "Try the rotation again.");
    }

    /// <summary>Refusal: a deletion of this token is already scheduled.</summary>
    public static (string Message, string Hint) AlreadyScheduled(TokenRetirement open) => (
        $"Token {open.OldTokenId} was already rotated (its replacement is {open.NewTokenId}); it is to be deleted at {At(open.DueAt)} ({open.Id}).",
        $"Rotate {open.NewTokenId} instead, or cancel the deletion first with `service-token rotate {open.OldTokenId} --cancel`.");

    /// <summary>Refusal: time-bound grants are active on the token.</summary>
    public static (string Message, string Hint) HasTimeBoundGrants(string tokenId, IReadOnlyList<string> grantIds) => (
        $"Token {tokenId} holds time-bound grants ({string.Join(", ", grantIds)}); rotating now would copy them to the new token as permanent permissions.",
        $"Rotate after they end, or end them first with `access revoke <GRANT_ID>`.");

    /// <summary>Refusal: the policy does not let the caller hand out one of the token's grants.</summary>
    public static (string Message, string Hint) NotAllowed(string tokenId, TokenGrant grant, string reason) => (
        $"Not allowed to rotate {tokenId}: the new token would hold {Describe(grant)}, and {reason}.",
        "Rotation copies every grant, so it needs a role that may grant all of them here; ask someone who has one.");

    /// <summary>What a dry run would do.</summary>
    public static string DryRun(ServiceToken old, TimeSpan? ttl, IReadOnlyList<TokenGrant> grants, DateTimeOffset dueAt) =>
        $"Dry run: would create a token named {old.Name ?? "(none)"}{(ttl is { } t ? $" with a TTL of {(long)t.TotalSeconds} s" : string.Empty)}, "
        + $"copy {grants.Count} grant(s) ({List(grants)}), and delete {old.Id} at {At(dueAt)}. Nothing was changed.";

    /// <summary>Cancel: nothing is scheduled for this token.</summary>
    public static (string Message, string Hint) NothingToCancel(string tokenId) => (
        $"No deletion of token {tokenId} is scheduled, so there is nothing to cancel.",
        "`--cancel` takes the id of the old token of a rotation.");

    /// <summary>Cancel: the sweeper is deleting it right now.</summary>
    public static (string Message, string Hint) TooLateToCancel(TokenRetirement open) => (
        $"Token {open.OldTokenId} is being deleted right now ({open.Id}); it is too late to cancel.",
        $"Check with `service-token show {open.OldTokenId}` in a minute.");

    /// <summary>Cancel: done.</summary>
    public static string Cancelled(TokenRetirement cancelled) =>
        $"The deletion of token {cancelled.OldTokenId} ({cancelled.Id}) is cancelled: both {cancelled.OldTokenId} and {cancelled.NewTokenId} keep working. "
        + $"Delete the one you do not need with `service-token delete <TOKEN_ID>`.";

    /// <summary>The audit line of a deletion done when the grace ended.</summary>
    public static string DeletedAudit(TokenRetirement retirement) =>
        $"delete rotated-out token {retirement.OldTokenId} (replaced by {retirement.NewTokenId}, {retirement.Id})";

    /// <summary>The requester's notice once the old token is gone.</summary>
    public static string DeletedNotice(TokenRetirement retirement) =>
        $"The grace period of your rotation ended: old service token {retirement.OldTokenId} is deleted; {retirement.NewTokenId} replaces it.";

    /// <summary>The requester's notice when deleting keeps failing.</summary>
    public static string DeleteFailingNotice(TokenRetirement retirement, string message) =>
        $"Deleting old service token {retirement.OldTokenId} after your rotation failed {retirement.Attempts} time(s) ({message}); the bot keeps trying. "
        + $"It still works until it is deleted: delete it yourself with `service-token delete {retirement.OldTokenId}` if it must go now.";
}
