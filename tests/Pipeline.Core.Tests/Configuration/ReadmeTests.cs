using Pipeline.Core.Configuration;

namespace Pipeline.Core.Tests.Configuration;

public sealed class ReadmeTests
{
    [Fact]
    public void ConfigurationTable_EveryKnownKey_IsDocumented()
    {
        var readme = File.ReadAllText(FindReadme());

        var missing = PipelineSettingsLoader.KnownKeys.Where(k => !readme.Contains($"| `{k}` |", StringComparison.Ordinal));

        Assert.Empty(missing);
    }

    private static string FindReadme()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Pipeline.sln")))
        {
            directory = directory.Parent;
        }

        return Path.Combine(directory?.FullName ?? throw new InvalidOperationException("Pipeline.sln not found."), "README.md");
    }
}
