using Amazon.CDK;
using Pipeline.Infra.Configuration;

namespace Pipeline.Infra.Stacks;

/// <summary>Properties of <see cref="OperationsStack"/>.</summary>
public sealed class OperationsStackProps : StackProps
{
    /// <summary>The validated configuration.</summary>
    public required PipelineSettings Settings { get; init; }

    /// <summary>The stream.</summary>
    public required DataLakeStack DataLake { get; init; }

    /// <summary>The transform and the delivery stream.</summary>
    public required IngestionStack Ingestion { get; init; }

    /// <summary>The train state machine.</summary>
    public required TrainingStack Training { get; init; }

    /// <summary>The endpoint and the promote state machine.</summary>
    public required ServingStack Serving { get; init; }
}
