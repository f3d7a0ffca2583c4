using System.Diagnostics;
using Pipeline.Infra.Tests.Support;

namespace Pipeline.Infra.Tests.Configuration;

/// <summary>
/// Runs the real app entry point the way the CDK CLI does: context in CDK_CONTEXT_JSON, output in CDK_OUTDIR.
/// Invalid configurations run with JSII_NODE pointing at a missing program, so the tests fail if the app starts the
/// jsii kernel (a Node.js process) before it has validated the configuration.
/// </summary>
[Collection(CdkCollection.Name)]
public sealed class ProgramTests(AppFixture fixture) : IDisposable
{
    /// <summary>A Node.js executable that does not exist: starting the jsii kernel with it crashes the app.</summary>
    private static readonly string MissingNode = Path.Combine(Path.GetTempPath(), "pipeline-no-node", "node");

    private readonly List<string> _outputDirectories = [];

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var directory in _outputDirectories)
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void Main_UnknownProfile_ExitsWithTheMessageWithoutStartingTheKernel()
    {
        var (exitCode, stdout, stderr, outdir) = RunApp("""{ "profile": "prod" }""", node: MissingNode);

        // The exception's message and nothing else: no stack trace, no jsii output.
        Assert.Equal(1, exitCode);
        var lines = stderr.Split(Environment.NewLine);
        Assert.Equal(3, lines.Length);
        Assert.Equal("Invalid pipeline configuration (1 problem):", lines[0]);
        Assert.StartsWith("  - profile = \"prod\": ", lines[1], StringComparison.Ordinal);
        Assert.Empty(lines[2]);
        Assert.Empty(stdout);
        Assert.Empty(Directory.EnumerateFileSystemEntries(outdir));
    }

    [Fact]
    public void Main_SeveralBadValues_ReportsEveryProblemAtOnceWithoutStartingTheKernel()
    {
        var (exitCode, _, stderr, _) = RunApp(
            """{ "profile": "sandbox", "network.azCount": "5", "stream.mode": "fast", "alarms.email": "nobody" }""", node: MissingNode);

        Assert.Equal(1, exitCode);
        Assert.StartsWith("Invalid pipeline configuration (3 problems):", stderr, StringComparison.Ordinal);
        Assert.Contains("network.azCount = \"5\"", stderr, StringComparison.Ordinal);
        Assert.Contains("stream.mode = \"fast\"", stderr, StringComparison.Ordinal);
        Assert.Contains("alarms.email = \"nobody\"", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("jsii", stderr, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Main_MisspeltKeysFromTheIssue_NameTheClosestKeysWithoutStartingTheKernel()
    {
        var (exitCode, _, stderr, _) = RunApp(
            """{ "Profile": "production", "prefx": "foo", "streams.retentionHours": "72", "minimumAuc": "0.4" }""", node: MissingNode);

        Assert.Equal(1, exitCode);
        Assert.StartsWith("Invalid pipeline configuration (4 problems):", stderr, StringComparison.Ordinal);
        Assert.Contains("  - Profile: is not a configuration key of this app, nor a key of the AWS CDK.", stderr, StringComparison.Ordinal);
        Assert.Contains("Fix: did you mean profile?", stderr, StringComparison.Ordinal);
        Assert.Contains("Fix: did you mean prefix?", stderr, StringComparison.Ordinal);
        Assert.Contains("Fix: did you mean stream.retentionHours?", stderr, StringComparison.Ordinal);
        Assert.Contains("Fix: did you mean training.minimumAuc?", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Main_ValidConfigurationWithMissingNode_CrashesStartingTheKernel()
    {
        // Proves the guard above: had the app created the App before validating, the invalid cases would crash like this.
        var (exitCode, _, stderr, _) = RunApp("""{ "profile": "sandbox" }""", node: MissingNode);

        Assert.NotEqual(0, exitCode);
        Assert.NotEqual(1, exitCode);
        Assert.Contains($"An error occurred trying to start process '{MissingNode}'", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Main_ProductionProfile_WritesTheTemplatesTheTestsCheckByteForByte()
    {
        var (exitCode, _, stderr, outdir) = RunApp("""{ "profile": "production" }""");

        // The CLI's templates are those the tests synthesize from the production preset in this process: the profile is
        // read as the tests assume, and synthesis is deterministic across processes.
        Assert.True(exitCode == 0, stderr);
        Assert.All(fixture.Production.StackIds, stack => Assert.Equal(
            fixture.Production.TemplateJson(stack),
            File.ReadAllText(Path.Combine(outdir, Path.GetFileName(fixture.Production.TemplateFile(stack))))));
    }

    /// <summary>Runs the app with cdk.json's context overlaid by <paramref name="contextJson"/>, as the CLI merges them.</summary>
    private (int ExitCode, string Stdout, string Stderr, string Outdir) RunApp(string contextJson, string? node = null)
    {
        var context = System.Text.Json.Nodes.JsonNode.Parse(CdkJson.Root.GetProperty("context").GetRawText())!.AsObject();
        foreach (var (key, value) in System.Text.Json.Nodes.JsonNode.Parse(contextJson)!.AsObject())
        {
            context[key] = value?.DeepClone();
        }

        var outdir = Directory.CreateTempSubdirectory("pipeline-program-").FullName;
        _outputDirectories.Add(outdir);
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "Pipeline.Infra.dll")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = RepositoryPaths.Root,
        };
        // Unit tests never bundle assets; the CLI would.
        context["aws:cdk:bundling-stacks"] = new System.Text.Json.Nodes.JsonArray();
        start.Environment["CDK_CONTEXT_JSON"] = context.ToJsonString();
        start.Environment["CDK_OUTDIR"] = outdir;
        start.Environment["JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION"] = "20";
        if (node is not null)
        {
            start.Environment["JSII_NODE"] = node;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(2)), "The app did not finish within two minutes.");
        return (process.ExitCode, stdout.Result, stderr.Result, outdir);
    }
}
