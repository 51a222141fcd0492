namespace PscaleBot.Commands.Grammar;

/// <summary>
/// Reads and checks flag values once the command is known: the common flags (<c>--org</c>, <c>--format</c>, the
/// switches), text flags with a length limit (<c>--name</c>, <c>--reason</c>), durations and <c>--limit</c>.
/// A flag that was not given is not an error: the out value is then the default. Each check reports its first
/// problem to the <see cref="ParseContext"/> and returns false.
/// </summary>
/// <param name="context">The flags, and where problems are reported.</param>
internal sealed class FlagValueValidator(ParseContext context)
{
    /// <summary>The flags every command accepts.</summary>
    public bool TryCommonOptions(out CommonOptions options)
    {
        options = CommonOptions.Default;
        string? org = null;
        if (context.TryGetValue("org", out var orgValue))
        {
            if (!NameShapes.IsResourceName(orgValue))
            {
                context.Fail(ParseMessages.InvalidOrganization(orgValue));
                return false;
            }

            org = orgValue;
        }

        var format = OutputFormat.Human;
        if (context.TryGetValue("format", out var formatValue))
        {
            switch (formatValue.ToLowerInvariant())
            {
                case "human":
                    format = OutputFormat.Human;
                    break;
                case "json":
                    format = OutputFormat.Json;
                    break;
                case "csv":
                    format = OutputFormat.Csv;
                    break;
                default:
                    context.Fail(ParseMessages.InvalidFormat(formatValue));
                    return false;
            }
        }

        options = new CommonOptions(
            org,
            format,
            DryRun: context.IsOn("dry-run"),
            Debug: context.IsOn("debug"),
            Public: context.IsOn("public"));
        return true;
    }

    /// <summary><c>--name</c> of a new token, trimmed, at most <see cref="CommandGrammar.MaxNameLength"/> characters.</summary>
    public bool TryName(out string? name) => TryText("name", "NAME", CommandGrammar.MaxNameLength, out name);

    /// <summary><c>--reason</c>, trimmed, at most <see cref="CommandGrammar.MaxReasonLength"/> characters.</summary>
    public bool TryReason(out string? reason) => TryText("reason", "\"…\"", CommandGrammar.MaxReasonLength, out reason);

    /// <summary>A duration flag (<c>--for</c>, <c>--ttl</c>), read by <see cref="DurationParser"/>.</summary>
    public bool TryDuration(string flag, out TimeSpan? duration)
    {
        duration = null;
        if (!context.TryGetValue(flag, out var value))
        {
            return true;
        }

        if (!DurationParser.TryParse(value, "--" + flag, out var parsed, out var error))
        {
            context.Fail(error!);
            return false;
        }

        duration = parsed;
        return true;
    }

    /// <summary><c>audit --limit</c>: a whole number within the audit's bounds, or the default.</summary>
    public bool TryLimit(out int limit)
    {
        limit = CommandGrammar.AuditDefaultLimit;
        if (!context.TryGetValue("limit", out var value))
        {
            return true;
        }

        var trimmed = value.Trim();
        var digits = trimmed.StartsWith('-') ? trimmed[1..] : trimmed;
        if (digits.Length == 0 || !digits.All(char.IsAsciiDigit))
        {
            context.Fail(ParseMessages.LimitNotNumber(value, CommandGrammar.AuditMinLimit, CommandGrammar.AuditMaxLimit));
            return false;
        }

        if (digits.Length > 9 || !int.TryParse(trimmed, out limit)
            || limit < CommandGrammar.AuditMinLimit || limit > CommandGrammar.AuditMaxLimit)
        {
            limit = 0;
            context.Fail(ParseMessages.LimitOutOfRange(value, CommandGrammar.AuditMinLimit, CommandGrammar.AuditMaxLimit));
            return false;
        }

        return true;
    }

    private bool TryText(string flag, string valueName, int maxLength, out string? text)
    {
        text = null;
        if (!context.TryGetSlice(flag, out var value))
        {
            return true;
        }

        // Checked on the slice, so a value far over the limit is refused without being copied.
        var trimmed = value.Span.Trim();
        if (trimmed.Length == 0)
        {
            context.Fail(ParseMessages.TextFlagBlank(flag, valueName));
            return false;
        }

        if (trimmed.Length > maxLength)
        {
            context.Fail(ParseMessages.TextFlagTooLong(flag, trimmed.Length, maxLength));
            return false;
        }

        text = trimmed.ToString();
        return true;
    }
}
