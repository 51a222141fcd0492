using System.Runtime.CompilerServices;

namespace PscaleBot.Commands.Tests.Results.Rendering;

/// <summary>
/// Exact comparison with files under tests/Commands.Tests/Golden/. To regenerate after an intended change:
/// <c>UPDATE_GOLDEN=1 dotnet test tests/Commands.Tests --filter "FullyQualifiedName~Rendering"</c>, then review
/// the diff with <c>git diff tests/Commands.Tests/Golden</c> before committing.
/// </summary>
public static class GoldenFile
{
    public static void AssertMatches(string fileName, string actual, [CallerFilePath] string callerPath = "")
    {
        if (Environment.GetEnvironmentVariable("UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(Path.Combine(SourceGoldenDirectory(callerPath), fileName), actual);
            return;
        }

        var path = Path.Combine(AppContext.BaseDirectory, "Golden", fileName);
        Assert.True(File.Exists(path), $"Golden file {fileName} is missing; create it with UPDATE_GOLDEN=1 (see {nameof(GoldenFile)}).");
        Assert.Equal(File.ReadAllText(path), actual);
    }

    private static string SourceGoldenDirectory(string callerPath)
    {
        var directory = Path.GetDirectoryName(callerPath);
        while (directory is not null && !File.Exists(Path.Combine(directory, "PscaleBot.Commands.Tests.csproj")))
        {
            directory = Path.GetDirectoryName(directory);
        }

        return Path.Combine(directory ?? throw new InvalidOperationException("Test project folder not found."), "Golden");
    }
}
