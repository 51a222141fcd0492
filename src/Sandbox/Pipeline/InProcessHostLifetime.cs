namespace PscaleBot.Sandbox.Pipeline;

/// <summary>
/// Host lifetime for a sandbox running inside another process: unlike the console lifetime it leaves
/// Ctrl+C to the host process (the bot's shell), and the sandbox stops only when disposed.
/// </summary>
internal sealed class InProcessHostLifetime : IHostLifetime
{
    /// <inheritdoc />
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
