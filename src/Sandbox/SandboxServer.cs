namespace PscaleBot.Sandbox;

/// <summary>
/// The sandbox running in-process on a loopback port (used by the shell, tests and benchmarks).
/// </summary>
public sealed class SandboxServer : IAsyncDisposable
{
    private SandboxServer(Uri baseAddress, string serviceTokenId, string serviceToken)
    {
        BaseAddress = baseAddress;
        ServiceTokenId = serviceTokenId;
        ServiceToken = serviceToken;
    }

    /// <summary>The API root, ending in <c>/v1</c>, e.g. <c>http://127.0.0.1:5123/v1</c>.</summary>
    public Uri BaseAddress { get; }

    /// <summary>The id of the credential the bot uses to call the sandbox.</summary>
    public string ServiceTokenId { get; }

    /// <summary>The secret of the credential the bot uses to call the sandbox.</summary>
    public string ServiceToken { get; }

    /// <summary>Starts the sandbox on 127.0.0.1 with a free port.</summary>
    public static Task<SandboxServer> StartAsync(SandboxOptions options, CancellationToken cancellationToken)
    {
        _ = options;
        _ = cancellationToken;
        _ = new SandboxServer(new Uri("http://127.0.0.1:0/v1"), "", "");
        throw new NotImplementedException("The sandbox issue replaces this skeleton.");
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
