using System.Diagnostics;
using Pipeline.Infra.Tests.Support;

namespace Pipeline.Infra.Tests.Configuration;

/// <summary>Runs the real app entry point the way the CDK CLI does: context in CDK_CONTEXT_JSON, output in CDK_OUTDIR.</summary>
[Collection(CdkCollection.Name)]
public sealed class ProgramTests : IDisposable
{
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
    public void Main_UnknownProfile_ExitsNonZeroListingTheAllowedProfiles()
    {
        var (exitCode, _, stderr, _) = RunApp("""{ "profile": "prod" }""");

        Assert.Equal(1, exitCode);
        Assert.Contains("""profile = "prod": is not a known profile. Allowed: sandbox, production.""", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Main_SeveralBadValues_ReportsEveryProblemAtOnce()
    {
        var (exitCode, _, stderr, _) = RunApp("""{ "profile": "sandbox", "network.azCount": "5", "stream.mode": "fast", "alarms.email": "nobody" }""");

        Assert.Equal(1, exitCode);
        Assert.Contains("Invalid pipeline configuration (3 problems):", stderr, StringComparison.Ordinal);
        Assert.Contains("network.azCount = \"5\"", stderr, StringComparison.Ordinal);
        Assert.Contains("stream.mode = \"fast\"", stderr, StringComparison.Ordinal);
        Assert.Contains("alarms.email = \"nobody\"", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Main_ProductionProfile_WritesTheCloudAssembly()
    {
        var (exitCode, _, stderr, outdir) = RunApp("""{ "profile": "production" }""");

        Assert.True(exitCode == 0, stderr);
        Assert.True(File.Exists(Path.Combine(outdir, "SecurityBaseline.template.json")));
    }

    /// <summary>Runs the app with cdk.json's context overlaid by <paramref name="contextJson"/>, as the CLI merges them.</summary>
    private (int ExitCode, string Stdout, string Stderr, string Outdir) RunApp(string contextJson)
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
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(2)), "The app did not finish within two minutes.");
        return (process.ExitCode, stdout.Result, stderr.Result, outdir);
    }
}
