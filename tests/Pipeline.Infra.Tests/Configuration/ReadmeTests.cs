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

    [Theory]
    [InlineData(PipelineProfile.Sandbox, 1)]
    [InlineData(PipelineProfile.Production, 2)]
    public void ConfigurationTable_PresetColumn_IsEachKeysPresetValue(PipelineProfile profile, int cell)
    {
        // | key | sandbox | production | allowed |: the README's defaults against the presets, key by key.
        var rows = File.ReadAllLines(FindReadme())
            .Where(l => l.StartsWith("| `", StringComparison.Ordinal))
            .Select(l => l.Split(" | "))
            .ToDictionary(c => c[0].Trim('|', ' ', '`'), c => c[cell].Trim('`'));
        var preset = SettingsPresets.For(profile);

        Assert.All(SettingDefinitions.All, d => Assert.Equal((d.Key, d.Current(preset)), (d.Key, Documented(rows[d.Key]))));
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

    // The table writes "(none)" where the loader says "no subscription" (alarms.email).
    private static string Documented(string cell) => cell == "(none)" ? "no subscription" : cell;

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
