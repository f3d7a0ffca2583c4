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
public sealed class TransformBundlingTests
{
    [Fact]
    public void FromProject_Bundled_AssetHoldsThePublishedFunctionAndKeepsItsHash()
    {
        var (firstHash, firstAsset) = SynthesizeBundled();
        var (secondHash, _) = SynthesizeBundled();

        Assert.Equal(firstHash, secondHash);
        foreach (var file in new[] { "Pipeline.Transform.dll", "Pipeline.Core.dll", "Pipeline.Transform.runtimeconfig.json", "Pipeline.Transform.deps.json" })
        {
            Assert.True(File.Exists(Path.Combine(firstAsset, file)), $"{file} is missing from the bundled asset {firstAsset}.");
        }

        Assert.Contains("\"Microsoft.NETCore.App\"", File.ReadAllText(Path.Combine(firstAsset, "Pipeline.Transform.runtimeconfig.json")), StringComparison.Ordinal);
    }

    private static (string Hash, string AssetDirectory) SynthesizeBundled()
    {
        var outdir = Directory.CreateTempSubdirectory("pipeline-bundle-").FullName;
        var app = new App(new AppProps { Outdir = outdir, AnalyticsReporting = false });
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
