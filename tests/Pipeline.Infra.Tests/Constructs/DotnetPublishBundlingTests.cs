using System.Text;
using Amazon.CDK;
using Amazon.CDK.AWS.Lambda;
using Pipeline.Infra.Constructs.Functions;
using Pipeline.Infra.Tests.Support;
using Pipeline.Testing;

namespace Pipeline.Infra.Tests.Constructs;

/// <summary>
/// Local bundling for real: `dotnet publish` runs through the jsii callback (no Docker), the asset holds what the
/// managed .NET runtime loads, and the asset hash is the same for two synths of unchanged sources. The function bundled
/// is the smallest one built exactly like the app's (the cold-start baseline, with the Runtime API loop as its one
/// dependency): the mechanism is the same for every function, and the start-up tests publish and start each of the
/// app's own packages.
/// </summary>
[Collection(CdkCollection.Name)]
public sealed class DotnetPublishBundlingTests : IDisposable
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
    public void FromProject_Bundled_AssetHoldsThePublishedFunctionAndKeepsItsHash()
    {
        string firstHash, firstAsset;
        var progress = new StringWriter();
        var console = DotnetPublishBundling.Progress;
        using (PublishLock.Acquire())
        {
            DotnetPublishBundling.Progress = progress;
            try
            {
                (firstHash, firstAsset) = Synthesize(bundle: true);
            }
            finally
            {
                DotnetPublishBundling.Progress = console;
            }
        }

        // The hash comes from the sources, so the second synth need not publish again to prove it is stable.
        var (secondHash, _) = Synthesize(bundle: false);

        Assert.Equal(firstHash, secondHash);
        Assert.Equal(
            [
                "Pipeline.EmptyFunction.deps.json", "Pipeline.EmptyFunction.dll", "Pipeline.EmptyFunction.pdb",
                "Pipeline.EmptyFunction.runtimeconfig.json", "Pipeline.Lambda.Runtime.dll", "Pipeline.Lambda.Runtime.pdb",
            ],
            Directory.GetFiles(firstAsset).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        // A first synth says which function it publishes and how long that took.
        var lines = progress.ToString().Split(System.Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.Equal("Publishing Pipeline.EmptyFunction for Lambda (linux-arm64, Release, ReadyToRun)...", lines[0]);
        Assert.Matches(@"^Published Pipeline\.EmptyFunction in \d+\.\d s\.$", lines[1]);
        Assert.Contains("\"Microsoft.NETCore.App\"", File.ReadAllText(Path.Combine(firstAsset, "Pipeline.EmptyFunction.runtimeconfig.json")), StringComparison.Ordinal);
        // The checkout's path is mapped to /_/ in every assembly and .pdb, so nothing of this machine is deployed.
        var root = Encoding.UTF8.GetBytes(Path.TrimEndingDirectorySeparator(RepositoryPaths.Root));
        Assert.All(Directory.GetFiles(firstAsset), file => Assert.True(
            File.ReadAllBytes(file).AsSpan().IndexOf(root) < 0, $"{Path.GetFileName(file)} contains the build path {RepositoryPaths.Root}."));
    }

    private (string Hash, string AssetDirectory) Synthesize(bool bundle)
    {
        var outdir = Directory.CreateTempSubdirectory("pipeline-bundle-").FullName;
        _outputDirectories.Add(outdir);
        var context = bundle ? null : new Dictionary<string, object> { ["aws:cdk:bundling-stacks"] = Array.Empty<string>() };
        var app = new App(new AppProps { Outdir = outdir, AnalyticsReporting = false, Context = context });
        var stack = new Amazon.CDK.Stack(app, "Bundle");
        _ = new Function(stack, "Empty", new FunctionProps
        {
            Runtime = DotnetFunction.DotnetRuntime,
            Architecture = Architecture.ARM_64,
            Handler = "Pipeline.EmptyFunction",
            Code = DotnetFunctionCode.FromProject(RepositoryPaths.Root, "tests/Pipeline.Benchmarks/EmptyFunction"),
        });
        var json = TemplateJson.FromStack(stack);
        var key = (string)json.Resources[json.LogicalId("AWS::Lambda::Function", "Empty")]!["Properties"]!["Code"]!["S3Key"]!;
        var hash = key[..key.IndexOf('.', StringComparison.Ordinal)];
        return (hash, Path.Combine(outdir, "asset." + hash));
    }
}
