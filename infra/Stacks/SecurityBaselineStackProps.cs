using Amazon.CDK;
using Pipeline.Infra.Configuration;

namespace Pipeline.Infra.Stacks;

/// <summary>Properties of <see cref="SecurityBaselineStack"/>.</summary>
public sealed class SecurityBaselineStackProps : StackProps
{
    /// <summary>The validated pipeline configuration.</summary>
    public required PipelineSettings Settings { get; init; }
}
