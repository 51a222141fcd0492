using Microsoft.Extensions.Options;
using PscaleBot.Commands.Execution;
using PscaleBot.Commands.Model;
using PscaleBot.Commands.Results.Rendering;

namespace PscaleBot.Bot.Shell;

/// <summary>
/// Runs lines typed in the shell through the same pipeline Slack and Teams use, as the configured local
/// user in the place <c>shell</c>. Results go to standard output, errors and warnings to standard error,
/// as the CLI does.
/// </summary>
public sealed class ShellSession(IServiceScopeFactory scopes, CommandResponseTextRenderer renderer, IOptions<ShellOptions> options)
{
    private const string Prompt = "pscale> ";

    private ChatIdentity Identity { get; } = new(
        ChatPlatform.Shell, options.Value.UserId, [], options.Value.DisplayName);

    /// <summary>Runs one line; true when it succeeded.</summary>
    public async Task<bool> RunOneAsync(string line, TextWriter output, TextWriter errors, CancellationToken cancellationToken)
    {
        // One scope per line, as a chat request gets: the pipeline holds typed HttpClients.
        await using var scope = scopes.CreateAsyncScope();
        var pipeline = scope.ServiceProvider.GetRequiredService<ICommandPipeline>();
        var response = await pipeline.RunAsync(new ChatRequest(Identity, ChatPlace.Shell, line), cancellationToken);

        // Like the CLI: answers on standard output, errors on standard error.
        await (response.IsError ? errors : output).WriteAsync(renderer.Render(response));
        return !response.IsError;
    }

    /// <summary>
    /// Runs lines until end of input or <c>exit</c>; true when every line succeeded. Blank lines and
    /// lines starting with <c>#</c> are skipped, so scripts can carry comments.
    /// </summary>
    public async Task<bool> RunLinesAsync(TextReader input, TextWriter output, TextWriter errors, bool interactive, CancellationToken cancellationToken)
    {
        var allSucceeded = true;
        while (true)
        {
            if (interactive)
            {
                await output.WriteAsync(Prompt);
                await output.FlushAsync(cancellationToken);
            }

            var line = await input.ReadLineAsync(cancellationToken);
            if (line is null)
            {
                return allSucceeded;
            }

            line = line.Trim();
            if (line is "exit" or "quit")
            {
                return allSucceeded;
            }

            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            if (!interactive)
            {
                // Echo piped commands so a transcript shows what produced each answer.
                await output.WriteLineAsync(Prompt + line);
            }

            allSucceeded &= await RunOneAsync(line, output, errors, cancellationToken);
        }
    }
}
