using Amazon.CDK;

namespace Pipeline.Infra.Constructs.Models;

/// <summary>Properties of <see cref="ModelRegistry"/>.</summary>
public sealed record ModelRegistryProps
{
    /// <summary>
    /// Name of the model package group (SageMaker requires one): 1 to 63 letters, digits and inner hyphens. May hold
    /// deploy-time tokens, e.g. a stack-unique suffix.
    /// </summary>
    public required string GroupName { get; init; }

    /// <summary>What happens to the group (and the registration history it holds) when the stack is deleted.</summary>
    /// <value>Default: <see cref="RemovalPolicy.RETAIN"/>.</value>
    public RemovalPolicy RemovalPolicy { get; init; } = RemovalPolicy.RETAIN;
}
