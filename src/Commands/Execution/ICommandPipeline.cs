using PscaleBot.Commands.Grammar;
using PscaleBot.Commands.Model;
using PscaleBot.Commands.Policy;
using PscaleBot.Commands.Results;

namespace PscaleBot.Commands.Execution;

/// <summary>
/// Text in, results out. <see cref="RunAsync"/> does it all; adapters that must acknowledge fast (Slack) call its
/// two halves: <see cref="PrepareAsync"/> parses and authorises without calling PlanetScale; <see cref="ExecuteAsync"/>
/// does the real work.
/// </summary>
public interface ICommandPipeline
{
    /// <summary>Prepares and, when something must run, executes: the answer to <paramref name="request"/>.</summary>
    async Task<CommandResponse> RunAsync(ChatRequest request, CancellationToken cancellationToken)
    {
        var prepared = await PrepareAsync(request, cancellationToken);
        return prepared.ImmediateResponse ?? await ExecuteAsync(prepared, cancellationToken);
    }

    /// <summary>Parses and authorises. Parse errors, denials, help and whoami are answered here, without network calls.</summary>
    Task<PreparedCommand> PrepareAsync(ChatRequest request, CancellationToken cancellationToken);

    /// <summary>Runs a prepared command that needs execution, audits it and returns the answer. Never throws for expected failures.</summary>
    Task<CommandResponse> ExecuteAsync(PreparedCommand prepared, CancellationToken cancellationToken);
}

/// <summary>A parsed, authorised command ready to run, or the immediate answer when there is nothing to run.</summary>
/// <param name="Request">The original request.</param>
/// <param name="Parse">What the parser made of it.</param>
/// <param name="Organization">The organization it targets (flag or default).</param>
/// <param name="Decision">The policy decision, when it parsed.</param>
/// <param name="ImmediateResponse">The answer when no execution is needed.</param>
public sealed record PreparedCommand(
    ChatRequest Request,
    ParseOutcome Parse,
    string Organization,
    PolicyDecision? Decision,
    CommandResponse? ImmediateResponse)
{
    /// <summary>True when <see cref="ICommandPipeline.ExecuteAsync"/> must run.</summary>
    public bool NeedsExecution => ImmediateResponse is null;

    /// <summary>The parsed command, when there is one.</summary>
    public BotCommand? Command => Parse.Command;
}

/// <summary>Who may see an answer.</summary>
public enum ResponseVisibility
{
    /// <summary>Only the requester (Slack ephemeral, Teams 1:1).</summary>
    Private,
    /// <summary>Everyone in the place.</summary>
    Public,
}

/// <summary>An answer for the caller, plus what the place should hear about it.</summary>
/// <param name="Results">What to show, in order.</param>
/// <param name="Format">How the caller asked to see it.</param>
/// <param name="Visibility">Who may see <see cref="Results"/>.</param>
/// <param name="Announcement">For successful changes: a line for everyone in the place (who changed what), or null.</param>
/// <param name="SecretWarning">A private warning that the input exposed a secret, or null.</param>
public sealed record CommandResponse(
    IReadOnlyList<CommandResult> Results,
    OutputFormat Format,
    ResponseVisibility Visibility,
    string? Announcement = null,
    string? SecretWarning = null)
{
    /// <summary>True when a result carries a token secret: adapters must deliver privately or not at all.</summary>
    public bool ContainsSecret => Results.OfType<TokenTable>().Any(t => t.ContainsSecret);

    /// <summary>True when the answer is an error.</summary>
    public bool IsError => Results.Any(r => r is ErrorResult);
}
