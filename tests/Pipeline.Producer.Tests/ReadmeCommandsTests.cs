using System.Text.Json;
using System.Text.RegularExpressions;
using Pipeline.Schema;
using Pipeline.Training;
using Pipeline.Producer.Cli;
using Pipeline.Testing;

namespace Pipeline.Producer.Tests;

/// <summary>Every command the README shows exists: npm scripts, projects it runs, and the producer's commands and options.</summary>
public sealed partial class ReadmeCommandsTests
{
    private static readonly string Readme = File.ReadAllText(Path.Combine(NodeServer.RepositoryRoot, "README.md"));

    // The README's shell lines, with continuation lines joined.
    private static IEnumerable<string> ShellLines() => CodeBlock().Matches(Readme)
        .SelectMany(m => m.Groups["code"].Value.Replace("\\\n", " ", StringComparison.Ordinal).Split('\n'))
        .Select(l => l.Trim());

    [Fact]
    public void NpmScripts_Shown_DefinedInPackageJson()
    {
        using var package = JsonDocument.Parse(File.ReadAllText(Path.Combine(NodeServer.RepositoryRoot, "package.json")));
        var scripts = package.RootElement.GetProperty("scripts").EnumerateObject().Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        var shown = NpmRun().Matches(Readme).Select(m => m.Groups["script"].Value).Distinct().ToList();

        Assert.Contains("test", shown);
        Assert.Contains("cost", shown);
        Assert.All(shown, script => Assert.Contains(script, scripts));
    }

    [Fact]
    public void Projects_Run_Exist()
    {
        var projects = DotnetRun().Matches(Readme).Select(m => m.Groups["project"].Value).Distinct().ToList();

        Assert.Contains("src/Pipeline.Producer", projects);
        Assert.All(projects, project => Assert.True(Directory.Exists(Path.Combine(NodeServer.RepositoryRoot, project)), $"README runs {project}, which does not exist."));
    }

    [Fact]
    public void ProducerCommands_Shown_Parse()
    {
        var commands = ShellLines()
            .Where(l => l.StartsWith("dotnet run --project src/Pipeline.Producer -- ", StringComparison.Ordinal))
            .Select(l => l["dotnet run --project src/Pipeline.Producer -- ".Length..].Split('#')[0].Trim())
            .ToList();

        Assert.True(commands.Count >= 3, "The README shows fewer producer commands than expected.");
        Assert.All(commands, command =>
            Assert.True(ProducerCli.Problems(command.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Count == 0,
                $"{command}: {string.Join("; ", ProducerCli.Problems(command.Split(' ', StringSplitOptions.RemoveEmptyEntries)))}"));
    }

    [Fact]
    public void InvokeExample_Row_HasTheModelsInputColumnsInOrder()
    {
        var features = new TrainingSetQuery(TelemetrySchema.Definition, new TrainingSetQueryOptions { Database = "pipeline" }).FeatureNames;
        var example = InvokeExample().Match(Readme);

        Assert.True(example.Success, "The README shows no invoke example with its input columns.");
        Assert.Equal(features, example.Groups["columns"].Value.Split(','));
        Assert.Equal(features.Count, example.Groups["row"].Value.Split(',').Length);
    }

    [GeneratedRegex(@"# Model input columns: (?<columns>\S+)\nprintf '(?<row>[^']+)'")]
    private static partial Regex InvokeExample();

    [GeneratedRegex(@"```(?:bash)?\n(?<code>.*?)```", RegexOptions.Singleline)]
    private static partial Regex CodeBlock();

    // `npm test` is npm's shorthand for `npm run test`.
    [GeneratedRegex(@"npm (?:run (?<script>[a-z][a-z:-]*)|(?<script>test)\b)")]
    private static partial Regex NpmRun();

    [GeneratedRegex(@"dotnet run(?: -c Release)? --project (?<project>[A-Za-z0-9./_-]+)")]
    private static partial Regex DotnetRun();
}
