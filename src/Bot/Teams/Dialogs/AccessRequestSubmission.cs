using System.Text.RegularExpressions;
using PscaleBot.Bot.Teams.Protocol;
using PscaleBot.Commands.Policy;
using Fields = PscaleBot.Bot.Teams.Dialogs.AccessRequestForm.Fields;

namespace PscaleBot.Bot.Teams.Dialogs;

/// <summary>
/// Turns a submitted request form into the typed command a person would write,
/// <c>service-token add-access TOKEN PERM… --database DB --for DURATION --reason "…"</c>, or into field errors.
/// The command then runs through the same pipeline as a typed one (policy, audit, approvals).
/// </summary>
internal static partial class AccessRequestSubmission
{
    /// <summary>The longest reason accepted.</summary>
    public const int MaxReasonLength = 500;

    /// <summary>The command text, or null with the errors by field.</summary>
    /// <param name="form">What was submitted.</param>
    /// <param name="dialog">What the form offered.</param>
    /// <param name="reasonRequired">Whether the policy requires a reason for this exact request (database, permissions, duration).</param>
    /// <param name="errors">The problems by field.</param>
    public static string? ToCommand(DialogData form, DialogChoices dialog, Func<string, IReadOnlyList<string>, TimeSpan, bool> reasonRequired, out Dictionary<string, string> errors)
    {
        errors = [];
        var choices = dialog.Offered;
        var token = form.Token?.Trim() ?? "";
        if (!Name().IsMatch(token) || (dialog.Tokens.Count > 0 && !dialog.Tokens.Any(t => t.Id == token)))
        {
            errors[Fields.Token] = token.Length == 0 ? "Pick a token." : $"`{token}` is not a token you can pick here.";
        }

        var database = form.Database?.Trim() ?? "";
        if (!Name().IsMatch(database) || (choices.DatabasesListed && !choices.Databases.Contains(database, StringComparer.Ordinal)))
        {
            errors[Fields.Database] = database.Length == 0 ? "Pick a database." : $"`{database}` is not a database your roles allow here.";
        }

        var permissions = (form.Permissions ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.Ordinal).ToList();
        var unknown = permissions.Where(p => !choices.Permissions.Any(c => c.Name == p)).ToList();
        if (permissions.Count == 0 || unknown.Count > 0)
        {
            errors[Fields.Permissions] = permissions.Count == 0 ? "Pick at least one permission." : $"Not allowed here: {string.Join(", ", unknown)}.";
        }

        if (!PolicyDuration.TryParse(form.Duration?.Trim() ?? "", out var duration) || duration <= TimeSpan.Zero || duration > choices.Durations[^1])
        {
            errors[Fields.Duration] = $"Pick a duration of at most {PolicyDuration.Format(choices.Durations[^1])}.";
        }

        // Quotes and line breaks would end the quoted flag early; the reason is for people, so they become plain.
        var reason = Whitespace().Replace((form.Reason ?? "").Replace('"', '\''), " ").Trim();
        // The form marks a reason required only when every offer needs one; the exact request may need one anyway.
        if (reason.Length > MaxReasonLength)
        {
            errors[Fields.Reason] = $"Keep the reason under {MaxReasonLength} characters.";
        }
        else if (reason.Length == 0 && (choices.ReasonRequired || (errors.Count == 0 && reasonRequired(database, permissions, duration))))
        {
            errors[Fields.Reason] = "A reason is required for this access: say why, or link the incident.";
        }

        if (errors.Count > 0)
        {
            return null;
        }

        return $"service-token add-access {token} {string.Join(' ', permissions)} --database {database} --for {PolicyDuration.Format(duration)}"
            + (reason.Length == 0 ? "" : $" --reason \"{reason}\"");
    }

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}$")]
    private static partial Regex Name();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
