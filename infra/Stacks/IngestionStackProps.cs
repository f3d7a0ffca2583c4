using Amazon.CDK;
using Pipeline.Infra.Configuration;
using Pipeline.Infra.Constructs.Catalog;
using Pipeline.Infra.Constructs.Ingestion;
using Pipeline.Infra.Constructs.Network;
using Pipeline.Infra.Constructs.Observability;
using Pipeline.Infra.Constructs.Security;

namespace Pipeline.Infra.Stacks;

/// <summary>Properties of <see cref="IngestionStack"/>.</summary>
public sealed class IngestionStackProps : StackProps
{
    /// <summary>The validated pipeline configuration.</summary>
    public required PipelineSettings Settings { get; init; }

    /// <summary>Repository root, where the Lambda projects are built from.</summary>
    public required string SourceRoot { get; init; }

    /// <summary>The project's keys.</summary>
    public required EncryptionKeys Keys { get; init; }

    /// <summary>The isolated network the transform Lambda runs in.</summary>
    public required IsolatedNetwork Network { get; init; }

    /// <summary>The topic every alarm notifies.</summary>
    public required AlarmTopic AlarmTopic { get; init; }

    /// <summary>The stream Firehose reads.</summary>
    public required IngestionStream Stream { get; init; }

    /// <summary>The lake Firehose writes.</summary>
    public required Constructs.DataLake.DataLake Lake { get; init; }

    /// <summary>The catalog giving the Parquet schema.</summary>
    public required DataCatalog Catalog { get; init; }
}
