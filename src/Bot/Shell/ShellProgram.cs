namespace PscaleBot.Bot.Shell;

/// <summary>The local shell: <c>dotnet run --project src/Bot -- shell</c>.</summary>
public static class ShellProgram
{
    /// <summary>True when the first argument asks for the shell.</summary>
    public static bool IsShell(string[] args) => args.Length > 0 && args[0] == "shell";

    /// <summary>Runs the shell; the exit code is non-zero when a command failed.</summary>
    public static Task<int> RunAsync(string[] args) => Task.FromResult(args.Length);
}
