using PscaleBot.Bot.Chat;
using PscaleBot.Bot.Hosting;
using PscaleBot.Bot.Slack.Interactions;

namespace PscaleBot.Bot.Slack.Commands;

/// <summary>
/// Runs, once at start, the parts of a slash command's round trip that have no effect anyone can see, so the first
/// command does not pay for them: a warm-up key recorded in the delivery ledger and forgotten again (the group commit,
/// its statements and the store's connection, on the real store), the <c>response_url</c> and file upload clients'
/// handler chains (resilience, metrics), and the per-request handlers resolved twice (the container compiles
/// a service's construction on its second resolution). Nothing is sent, nothing is audited, and no key is left behind.
/// </summary>
internal sealed class SlackCommandPathWarmup(IDeliveryLedger ledger, IHttpClientFactory clients, IServiceScopeFactory scopes) : IStartupWarmup
{
    /// <summary>This process's warm-up key: its own, so replicas warming at once do not meet on one key.</summary>
    public string Key { get; } = $"warm-up:{Guid.NewGuid():N}";

    /// <inheritdoc />
    public string Name => "Slack command path";

    /// <inheritdoc />
    public async Task WarmAsync(CancellationToken cancellationToken)
    {
        if (await ledger.TryRecordAsync(Key, TimeSpan.FromMinutes(1), cancellationToken))
        {
            await ledger.ForgetAsync(Key, cancellationToken);
        }

        using (clients.CreateClient(SlackExtensions.ResponseUrlClientName))
        using (clients.CreateClient(SlackFormsExtensions.UploadClientName))
        {
        }

        for (var i = 0; i < 2; i++)
        {
            await using var scope = scopes.CreateAsyncScope();
            _ = scope.ServiceProvider.GetRequiredService<SlackCommandHandler>();
            _ = scope.ServiceProvider.GetRequiredService<SlackInteractionHandler>();
            _ = scope.ServiceProvider.GetRequiredService<SlackReplySender>();
        }
    }
}
