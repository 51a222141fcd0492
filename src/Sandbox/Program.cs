namespace PscaleBot.Sandbox;

/// <summary>Standalone entry point: <c>dotnet run --project src/Sandbox</c>.</summary>
public static class SandboxProgram
{
    /// <summary>Runs the sandbox until stopped.</summary>
    public static Task<int> Main(string[] args)
    {
        _ = args;
        return Task.FromResult(0);
    }
}
