using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using PscaleBot.Commands.Access;
using PscaleBot.Commands.Results.Tables;

namespace PscaleBot.Commands.Results.Rendering;

/// <summary>
/// Results as JSON in the CLI's shapes (2-space indent, <c>\n</c> line ends, nulls kept):
/// <list type="bullet">
/// <item>create: <c>{id,type,token,name,created_at,last_used_at,expires_at}</c>; list: an array of that object
/// with <c>token</c> <c>""</c>; show: <c>{id,name,created_at,last_used_at,expires_at}</c>.</item>
/// <item>add-access / show-access: <c>[{resource_name,resource_type,accesses}]</c>; a row where permissions
/// were just added also carries <c>added</c> (an extra key; the CLI's keys are unchanged).</item>
/// <item>a table with removed permissions (delete-access): the CLI's <c>{perms,result}</c> object plus
/// <c>accesses</c>, the rows still held — keys sorted, as the CLI's Go map prints them.</item>
/// <item>delete: <c>{"result":"token deleted"}</c>; the empty list: <c>[]</c>; other messages <c>{message,tone}</c>.</item>
/// <item>errors: the CLI's envelope <c>{status,error,issues:[{code,message}],next_steps}</c>.</item>
/// <item>access list: an array of <c>{kind,id,status,requester,organization,token_id,database,permissions,until,note}</c>
/// (requests, then grants; <c>database</c> null for organization-level).</item>
/// </list>
/// Timestamps are ISO-8601 UTC (<see cref="IsoTime"/>).
/// </summary>
public sealed class JsonResultFormatter
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Indented = true,
        NewLine = "\n",
        // The text is shown, never embedded in HTML: keep '+', '<' and quotes in permission lists readable.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The JSON text of <paramref name="result"/>.</summary>
    public string Format(CommandResult result)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, WriterOptions))
        {
            Write(writer, result);
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void Write(Utf8JsonWriter json, CommandResult result)
    {
        switch (result)
        {
            case TokenTable table:
                WriteTokens(json, table);
                break;
            case PermissionTable table:
                WritePermissions(json, table);
                break;
            case MessageResult message:
                WriteMessage(json, message);
                break;
            case ErrorResult error:
                WriteError(json, error);
                break;
            case HelpResult help:
                json.WriteStartObject();
                json.WriteString("help", help.Text);
                json.WriteEndObject();
                break;
            case WhoAmIResult whoAmI:
                WriteWhoAmI(json, whoAmI);
                break;
            case DryRunResult dryRun:
                WriteDryRun(json, dryRun);
                break;
            case AuditChainResult chain:
                WriteChain(json, chain);
                break;
            case AuditTable or AccessListResult or StaleTokenTable:
                TableViewMachine.WriteJson(json, TableViews.For(result)!);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(result), result.GetType().Name, "No JSON rendering for this result.");
        }
    }

    private static void WriteTokens(Utf8JsonWriter json, TokenTable table)
    {
        var asArray = table.Kind == TokenTableKind.List || table.Tokens.Count != 1;
        if (asArray)
        {
            json.WriteStartArray();
        }

        foreach (var token in table.Tokens)
        {
            json.WriteStartObject();
            json.WriteString("id", token.Id);
            if (table.Kind == TokenTableKind.Show)
            {
                WriteNullable(json, "name", token.Name);
                json.WriteString("created_at", IsoTime.Format(token.CreatedAt));
                WriteNullable(json, "last_used_at", IsoTime.Format(token.LastUsedAt));
                WriteNullable(json, "expires_at", IsoTime.Format(token.ExpiresAt));
            }
            else
            {
                json.WriteString("type", "ServiceToken");
                // The CLI prints "" where the API sent no token (list); the secret only ever comes from create.
                json.WriteString("token", table.Kind == TokenTableKind.Created ? token.Secret?.Reveal() ?? "" : "");
                WriteNullable(json, "name", token.Name);
                json.WriteString("created_at", IsoTime.Format(token.CreatedAt));
                WriteNullable(json, "last_used_at", IsoTime.Format(token.LastUsedAt));
                WriteNullable(json, "expires_at", IsoTime.Format(token.ExpiresAt));
            }

            json.WriteEndObject();
        }

        if (asArray)
        {
            json.WriteEndArray();
        }
    }

    private static void WritePermissions(Utf8JsonWriter json, PermissionTable table)
    {
        var removed = table.Rows.SelectMany(r => r.Permissions).Where(p => p.Change == PermissionChange.Removed).Select(p => p.Name).ToList();
        if (removed.Count == 0)
        {
            WriteRows(json, table);
            return;
        }

        json.WriteStartObject();
        json.WritePropertyName("accesses");
        WriteRows(json, table);
        json.WriteString("perms", string.Join(",", removed));
        json.WriteString("result", "access removed");
        json.WriteEndObject();
    }

    private static void WriteRows(Utf8JsonWriter json, PermissionTable table)
    {
        json.WriteStartArray();
        foreach (var row in table.Rows)
        {
            var held = row.Permissions.Where(p => p.Change != PermissionChange.Removed).Select(p => p.Name).ToList();
            if (held.Count == 0)
            {
                continue;
            }

            json.WriteStartObject();
            json.WriteString("resource_name", row.ResourceName);
            json.WriteString("resource_type", TableViews.ResourceTypeName(row.ResourceKind));
            WriteStrings(json, "accesses", held);
            var added = row.Permissions.Where(p => p.Change == PermissionChange.Added).Select(p => p.Name).ToList();
            if (added.Count > 0)
            {
                WriteStrings(json, "added", added);
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    private static void WriteMessage(Utf8JsonWriter json, MessageResult message)
    {
        switch (message.Text)
        {
            case CliMessages.TokenDeleted:
                json.WriteStartObject();
                json.WriteString("result", "token deleted");
                json.WriteEndObject();
                return;
            case CliMessages.NoTokens:
                json.WriteStartArray();
                json.WriteEndArray();
                return;
            default:
                json.WriteStartObject();
                json.WriteString("message", message.Text);
                json.WriteString("tone", message.Tone.ToString().ToLowerInvariant());
                json.WriteEndObject();
                return;
        }
    }

    private static void WriteError(Utf8JsonWriter json, ErrorResult error)
    {
        json.WriteStartObject();
        json.WriteString("status", "error");
        json.WriteString("error", error.Message);
        json.WriteStartArray("issues");
        json.WriteStartObject();
        json.WriteString("code", error.Category.ToString().ToLowerInvariant());
        json.WriteString("message", error.Message);
        json.WriteEndObject();
        json.WriteEndArray();
        List<string> steps = [];
        if (!string.IsNullOrWhiteSpace(error.Hint))
        {
            steps.Add(error.Hint);
        }

        if (!string.IsNullOrWhiteSpace(error.Usage))
        {
            steps.Add(error.Usage.StartsWith("Usage:", StringComparison.Ordinal) ? error.Usage : "Usage: " + error.Usage);
        }

        WriteStrings(json, "next_steps", steps);
        json.WriteEndObject();
    }

    private static void WriteWhoAmI(Utf8JsonWriter json, WhoAmIResult whoAmI)
    {
        json.WriteStartObject();
        json.WriteString("user_id", whoAmI.Caller.UserId);
        json.WriteString("display_name", whoAmI.Caller.DisplayName);
        json.WriteString("platform", whoAmI.Caller.Platform.ToString().ToLowerInvariant());
        WriteStrings(json, "groups", whoAmI.Caller.GroupIds);
        WriteNullable(json, "tenant_id", whoAmI.Caller.TenantId);
        json.WriteStartObject("place");
        WriteStrings(json, "ids", whoAmI.Place.Ids);
        json.WriteBoolean("direct", whoAmI.Place.IsDirect);
        json.WriteString("display_name", whoAmI.Place.DisplayName);
        json.WriteEndObject();
        json.WriteString("organization", whoAmI.Organization);
        WriteStrings(json, "roles", whoAmI.Roles);
        json.WriteEndObject();
    }

    private static void WriteDryRun(Utf8JsonWriter json, DryRunResult dryRun)
    {
        json.WriteStartObject();
        json.WriteBoolean("dry_run", true);
        json.WriteString("decision", dryRun.Decision);
        json.WriteString("method", dryRun.Method);
        json.WriteString("path", dryRun.Path);
        json.WritePropertyName("body");
        if (dryRun.Body is null)
        {
            json.WriteNullValue();
        }
        else
        {
            // The body is JSON already: embed it as a value, not as an escaped string.
            using var body = JsonDocument.Parse(dryRun.Body);
            body.RootElement.WriteTo(json);
        }

        json.WriteEndObject();
    }

    private static void WriteChain(Utf8JsonWriter json, AuditChainResult chain)
    {
        json.WriteStartObject();
        json.WriteString("status", chain.Report.Ok ? "intact" : "broken");
        json.WriteNumber("checked", chain.Report.Checked);
        json.WriteNumber("unchained", chain.Report.Unchained);
        json.WritePropertyName("first_bad_row");
        if (chain.Report.Break is { } bad)
        {
            json.WriteStartObject();
            json.WriteNumber("id", bad.Id);
            json.WriteString("time", IsoTime.Format(bad.Time));
            json.WriteString("problem", AuditChainResult.KindWord(bad.Kind));
            json.WriteString("detail", bad.Detail);
            json.WriteEndObject();
        }
        else
        {
            json.WriteNullValue();
        }

        json.WriteString("message", chain.Sentence);
        json.WriteEndObject();
    }

    private static void WriteNullable(Utf8JsonWriter json, string name, string? value)
    {
        if (value is null)
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteString(name, value);
        }
    }

    private static void WriteStrings(Utf8JsonWriter json, string name, IEnumerable<string> values)
    {
        json.WriteStartArray(name);
        foreach (var value in values)
        {
            json.WriteStringValue(value);
        }

        json.WriteEndArray();
    }
}
