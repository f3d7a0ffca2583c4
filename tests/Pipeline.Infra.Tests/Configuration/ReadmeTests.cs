using Pipeline.Infra.Configuration;
using Pipeline.Schema;
using Pipeline.Training;

namespace Pipeline.Infra.Tests.Configuration;

public sealed class ReadmeTests
{
    [Fact]
    public void ConfigurationTable_EveryKnownKey_IsDocumented()
    {
        var readme = File.ReadAllText(FindReadme());

        var missing = PipelineSettingsLoader.KnownKeys.Where(k => !readme.Contains($"| `{k}` |", StringComparison.Ordinal));

        Assert.Empty(missing);
    }

    [Fact]
    public void InvokeExample_TelemetrySchema_ListsTheModelInputColumnsWithOneValueEach()
    {
        var lines = File.ReadAllLines(FindReadme());
        var query = new TrainingSetQuery(TelemetrySchema.Definition, new TrainingSetQueryOptions { Database = "pipeline" });

        var columns = Assert.Single(lines, l => l.StartsWith("# Model input columns: ", StringComparison.Ordinal))["# Model input columns: ".Length..];
        var row = Assert.Single(lines, l => l.StartsWith("printf '", StringComparison.Ordinal) && l.EndsWith("' > row.csv", StringComparison.Ordinal));

        Assert.Equal(string.Join(',', query.FeatureNames), columns);
        Assert.Equal(query.FeatureNames.Count, row["printf '".Length..^"' > row.csv".Length].Split(',').Length);
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
