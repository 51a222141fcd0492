using System.Diagnostics;

namespace PscaleBot.EndToEnd.Tests.Shell;

/// <summary>Runs the real bot executable in shell mode, as README's first command does, with its own data folder.</summary>
internal sealed class ShellProcess(string dataDirectory)
{
    public sealed record Result(int ExitCode, string Output, string Errors);

    public Task<Result> RunCommandAsync(string line, params string[] extraArgs) =>
        RunAsync(["--command", line, .. extraArgs], standardInput: null);

    public Task<Result> RunPipedAsync(string script) => RunAsync([], script);

    private async Task<Result> RunAsync(string[] shellArgs, string? standardInput)
    {
        var botDll = Path.Combine(AppContext.BaseDirectory, "PscaleBot.Bot.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = dataDirectory,
        };
        start.ArgumentList.Add(botDll);
        start.ArgumentList.Add("shell");
        foreach (var arg in shellArgs)
        {
            start.ArgumentList.Add(arg);
        }

        start.ArgumentList.Add($"Sandbox:StatePath={Path.Combine(dataDirectory, "sandbox.json")}");
        start.ArgumentList.Add($"Audit:Path={Path.Combine(dataDirectory, "audit.db")}");
        start.ArgumentList.Add($"AccessRequests:StorePath={Path.Combine(dataDirectory, "access.db")}");
        start.ArgumentList.Add("--user");
        start.ArgumentList.Add("ci");
        // Never inherit real credentials from the machine running the tests.
        foreach (var variable in new[] { "PlanetScale__ServiceTokenId", "PlanetScale__ServiceToken", "PlanetScale__AccessToken", "PLANETSCALE_SERVICE_TOKEN" })
        {
            start.Environment.Remove(variable);
        }

        start.Environment["DOTNET_ENVIRONMENT"] = "Production";

        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the bot");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        if (standardInput is not null)
        {
            await process.StandardInput.WriteAsync(standardInput);
        }

        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return new Result(process.ExitCode, await output, await errors);
    }
}
