using Amazon.CDK;
using Pipeline.Core.Configuration;
using Pipeline.Infra.Stacks;

namespace Pipeline.Infra;

/// <summary>The stacks of the app, composed from one validated configuration. Used by Program.cs and by the tests.</summary>
public sealed class PipelineApp
{
    private PipelineApp(SecurityBaselineStack securityBaseline, DataLakeStack dataLake)
    {
        SecurityBaseline = securityBaseline;
        DataLake = dataLake;
    }

    /// <summary>Keys, network and alarm topic.</summary>
    public SecurityBaselineStack SecurityBaseline { get; }

    /// <summary>Stream, lake, catalog and query workgroup.</summary>
    public DataLakeStack DataLake { get; }

    /// <summary>Every stack of the app, in deployment order.</summary>
    public IReadOnlyList<Stack> Stacks => [SecurityBaseline, DataLake];

    /// <summary>Adds the pipeline's stacks to <paramref name="app"/>.</summary>
    public static PipelineApp Compose(App app, PipelineSettings settings)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(settings);
        var profile = PipelineSettingsLoader.NameOf(settings.Profile);
        var names = ResourceNames.For(settings);

        // Environment-agnostic on purpose: synth needs no account, and one template deploys to any sandbox.
        var securityBaseline = new SecurityBaselineStack(app, "SecurityBaseline", new SecurityBaselineStackProps
        {
            Settings = settings,
            StackName = names.Stack("security-baseline"),
            Description = $"Streaming ML pipeline ({profile}): KMS keys, isolated VPC with endpoints and flow logs, alarm topic.",
            TerminationProtection = settings.RetainData,
        });

        var dataLake = new DataLakeStack(app, "DataLake", new DataLakeStackProps
        {
            Settings = settings,
            Keys = securityBaseline.Keys,
            StackName = names.Stack("data-lake"),
            Description = $"Streaming ML pipeline ({profile}): Kinesis stream, S3 data lake, Glue catalog, Athena workgroup.",
            TerminationProtection = settings.RetainData,
        });

        Tags.Of(app).Add("project", settings.Prefix);
        Tags.Of(app).Add("profile", profile);
        return new PipelineApp(securityBaseline, dataLake);
    }
}
