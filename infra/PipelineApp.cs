using Amazon.CDK;
using Pipeline.Core.Configuration;
using Pipeline.Infra.Stacks;

namespace Pipeline.Infra;

/// <summary>The stacks of the app, composed from one validated configuration. Used by Program.cs and by the tests.</summary>
public sealed class PipelineApp
{
    private PipelineApp(SecurityBaselineStack securityBaseline)
    {
        SecurityBaseline = securityBaseline;
    }

    /// <summary>Keys, network and alarm topic.</summary>
    public SecurityBaselineStack SecurityBaseline { get; }

    /// <summary>Every stack of the app, in deployment order.</summary>
    public IReadOnlyList<Stack> Stacks => [SecurityBaseline];

    /// <summary>Adds the pipeline's stacks to <paramref name="app"/>.</summary>
    public static PipelineApp Compose(App app, PipelineSettings settings)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(settings);
        var profile = PipelineSettingsLoader.NameOf(settings.Profile);

        // Environment-agnostic on purpose: synth needs no account, and one template deploys to any sandbox.
        var securityBaseline = new SecurityBaselineStack(app, "SecurityBaseline", new SecurityBaselineStackProps
        {
            Settings = settings,
            StackName = $"{settings.Prefix}-{profile}-security-baseline",
            Description = $"Streaming ML pipeline ({profile}): KMS keys, isolated VPC with endpoints and flow logs, alarm topic.",
            TerminationProtection = settings.RetainData,
        });

        Tags.Of(app).Add("project", settings.Prefix);
        Tags.Of(app).Add("profile", profile);
        return new PipelineApp(securityBaseline);
    }
}
