using Amazon.CDK;
using Amazon.CDK.AWS.Lambda;
using Pipeline.Infra.Constructs.Ingestion;
using Pipeline.Infra.Stacks;
using Pipeline.Infra.Tests.Support;

namespace Pipeline.Infra.Tests.Constructs;

/// <summary>
/// Local bundling for real: `dotnet publish` runs through the jsii callback (no Docker), the asset holds what the
/// managed .NET runtime loads, and the asset hash is the same for two synths of unchanged sources.
/// </summary>
[Collection(CdkCollection.Name)]
public sealed class TransformBundlingTests : IDisposable
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
        var (firstHash, firstAsset) = Synthesize(bundle: true);
        // The hash comes from the sources, so the second synth need not publish again to prove it is stable.
        var (secondHash, _) = Synthesize(bundle: false);

        Assert.Equal(firstHash, secondHash);
        foreach (var file in new[] { "Pipeline.Transform.dll", "Pipeline.Core.dll", "Pipeline.Transform.runtimeconfig.json", "Pipeline.Transform.deps.json" })
        {
            Assert.True(File.Exists(Path.Combine(firstAsset, file)), $"{file} is missing from the bundled asset {firstAsset}.");
        }

        Assert.Contains("\"Microsoft.NETCore.App\"", File.ReadAllText(Path.Combine(firstAsset, "Pipeline.Transform.runtimeconfig.json")), StringComparison.Ordinal);
    }

    private (string Hash, string AssetDirectory) Synthesize(bool bundle)
    {
        var outdir = Directory.CreateTempSubdirectory("pipeline-bundle-").FullName;
        _outputDirectories.Add(outdir);
        var context = bundle ? null : new Dictionary<string, object> { ["aws:cdk:bundling-stacks"] = Array.Empty<string>() };
        var app = new App(new AppProps { Outdir = outdir, AnalyticsReporting = false, Context = context });
        var stack = new Amazon.CDK.Stack(app, "Bundle");
        _ = new Function(stack, "Transform", new FunctionProps
        {
            Runtime = TransformFunction.DotnetRuntime,
            Architecture = Architecture.ARM_64,
            Handler = TransformFunction.Handler,
            Code = DotnetFunctionCode.FromProject(RepositoryPaths.Root, IngestionStack.TransformProject, IngestionStack.TransformDependencies),
        });
        var json = TemplateJson.FromStack(stack);
        var key = (string)json.Resources[json.LogicalId("AWS::Lambda::Function", "Transform")]!["Properties"]!["Code"]!["S3Key"]!;
        var hash = key[..key.IndexOf('.', StringComparison.Ordinal)];
        return (hash, Path.Combine(outdir, "asset." + hash));
    }
}
