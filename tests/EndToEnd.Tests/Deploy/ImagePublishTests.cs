using System.Diagnostics;
using System.Text.Json;

namespace PscaleBot.EndToEnd.Tests.Deploy;

/// <summary>
/// The image runs what <c>dotnet publish</c> of the bot produces: a self-contained composite ReadyToRun build (issue 11:
/// the framework's generics over the bot's types precompiled, so a cold bot spends its first commands answering rather
/// than compiling). No container engine runs here, so the project is evaluated as a publish would see it and the
/// Dockerfile is read: both must agree, and tests and <c>dotnet run</c> must keep the ordinary framework-dependent build.
/// </summary>
public sealed class ImagePublishTests
{
    private static readonly string Project = Path.Combine(DeploymentFilesTests.Root, "src", "Bot", "PscaleBot.Bot.csproj");
    private static readonly string[] Properties = ["SelfContained", "PublishReadyToRun", "PublishReadyToRunComposite", "RuntimeIdentifier", "AssemblyName", "IsPublishable"];

    [Fact]
    public async Task Publishing_builds_one_self_contained_composite_image_and_only_publishing_does()
    {
        var published = await PropertiesAsync(publishing: true);
        Assert.Equal("true", published["SelfContained"]);
        Assert.Equal("true", published["PublishReadyToRun"]);
        Assert.Equal("true", published["PublishReadyToRunComposite"]);
        Assert.NotEqual("", published["RuntimeIdentifier"]);

        // The test projects reference the bot; a self-contained executable cannot be referenced by them.
        var built = await PropertiesAsync(publishing: false);
        Assert.Equal("false", built["SelfContained"]);
        Assert.Equal("false", built["PublishReadyToRunComposite"]);
        // So `dotnet publish PscaleBot.slnx` leaves them out instead of failing on that reference.
        var tests = await PropertiesAsync(publishing: true, Path.Combine(DeploymentFilesTests.Root, "tests", "Bot.Tests", "PscaleBot.Bot.Tests.csproj"));
        Assert.Equal("false", tests["IsPublishable"]);
        Assert.Equal("true", published["IsPublishable"]);
    }

    [Fact]
    public async Task The_image_runs_the_published_executable_on_a_base_without_a_shared_runtime()
    {
        var lines = File.ReadAllLines(Path.Combine(DeploymentFilesTests.Root, "Dockerfile"));
        var runtimeBase = lines.Last(l => l.StartsWith("FROM ", StringComparison.Ordinal)).Split(' ')[1];
        // runtime-deps has the native libraries only: a framework-dependent build would not start on it, and a
        // self-contained one on the aspnet base would carry two runtimes.
        Assert.StartsWith("mcr.microsoft.com/dotnet/runtime-deps:", runtimeBase, StringComparison.Ordinal);

        var entrypoint = lines.Single(l => l.StartsWith("ENTRYPOINT ", StringComparison.Ordinal))["ENTRYPOINT ".Length..];
        var assembly = (await PropertiesAsync(publishing: true))["AssemblyName"];
        Assert.Equal(["./" + assembly], JsonSerializer.Deserialize<string[]>(entrypoint) ?? []);
    }

    [Fact]
    public void The_build_context_leaves_out_local_build_output_but_nothing_the_Dockerfile_copies()
    {
        var ignored = File.ReadAllLines(Path.Combine(DeploymentFilesTests.Root, ".dockerignore"))
            .Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
        Assert.Contains("**/bin/", ignored);
        Assert.Contains("**/obj/", ignored);

        // Every source of a COPY from the context (not from another stage) must reach the build.
        var sources = File.ReadAllLines(Path.Combine(DeploymentFilesTests.Root, "Dockerfile"))
            .Where(l => l.StartsWith("COPY ", StringComparison.Ordinal) && !l.Contains("--from=", StringComparison.Ordinal))
            .SelectMany(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..^1])
            .ToList();
        Assert.Contains("src/", sources);
        foreach (var source in sources)
        {
            var top = source.Split('/')[0];
            Assert.DoesNotContain(ignored, pattern => pattern.TrimEnd('/') == top || pattern.TrimEnd('/') == source.TrimEnd('/'));
        }
    }

    private static async Task<Dictionary<string, string>> PropertiesAsync(bool publishing, string? project = null)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        string[] arguments = ["msbuild", project ?? Project, "-nologo", .. Properties.Select(p => "-getProperty:" + p),
            "-p:Configuration=Release", $"-p:_IsPublishing={(publishing ? "true" : "false")}"];
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var output = process.StandardOutput.ReadToEndAsync(deadline.Token);
        var error = process.StandardError.ReadToEndAsync(deadline.Token);
        await process.WaitForExitAsync(deadline.Token);
        Assert.True(process.ExitCode == 0, $"dotnet msbuild failed: {await output}{await error}");
        using var json = JsonDocument.Parse(await output);
        return json.RootElement.GetProperty("Properties").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? "");
    }
}
