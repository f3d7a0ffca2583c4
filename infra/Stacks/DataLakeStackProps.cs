using Amazon.CDK;
using Pipeline.Infra.Configuration;
using Pipeline.Infra.Constructs.Security;

namespace Pipeline.Infra.Stacks;

/// <summary>Properties of <see cref="DataLakeStack"/>.</summary>
public sealed class DataLakeStackProps : StackProps
{
    /// <summary>The validated pipeline configuration.</summary>
    public required PipelineSettings Settings { get; init; }

    /// <summary>The project's keys (from the security baseline).</summary>
    public required EncryptionKeys Keys { get; init; }
}
