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

    // The bot's project as a publish sees it, evaluated once for the tests that read it (one dotnet process each otherwise).
    private static readonly Lazy<Task<IReadOnlyDictionary<string, string>>> Published = new(() => EvaluateAsync(Project, publishing: true));

    [Fact]
    public async Task Publishing_builds_one_self_contained_composite_image_and_only_publishing_does()
    {
        var published = await Published.Value;
        Assert.Equal("true", published["SelfContained"]);
        Assert.Equal("true", published["PublishReadyToRun"]);
        Assert.Equal("true", published["PublishReadyToRunComposite"]);
        Assert.NotEqual("", published["RuntimeIdentifier"]);

        // The test projects reference the bot; a self-contained executable cannot be referenced by them.
        var built = await EvaluateAsync(Project, publishing: false);
        Assert.Equal("false", built["SelfContained"]);
        Assert.Equal("false", built["PublishReadyToRunComposite"]);
        // So `dotnet publish PscaleBot.slnx` leaves them out instead of failing on that reference.
        var tests = await EvaluateAsync(Path.Combine(DeploymentFilesTests.Root, "tests", "Bot.Tests", "PscaleBot.Bot.Tests.csproj"), publishing: true);
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
        var assembly = (await Published.Value)["AssemblyName"];
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

    private static async Task<IReadOnlyDictionary<string, string>> EvaluateAsync(string project, bool publishing)
    {
        var (exitCode, output, error) = await DeploymentFilesTests.RunAsync("dotnet",
            ["msbuild", project, "-nologo", .. Properties.Select(p => "-getProperty:" + p),
             "-p:Configuration=Release", $"-p:_IsPublishing={(publishing ? "true" : "false")}"]);
        Assert.True(exitCode == 0, $"dotnet msbuild failed: {output}{error}");
        using var json = JsonDocument.Parse(output);
        return json.RootElement.GetProperty("Properties").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? "");
    }
}
