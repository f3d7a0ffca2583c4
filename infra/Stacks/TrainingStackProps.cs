using Amazon.CDK;
using Pipeline.Infra.Configuration;
using Pipeline.Infra.Constructs.Catalog;
using Pipeline.Infra.Constructs.Models;
using Pipeline.Infra.Constructs.Network;
using Pipeline.Infra.Constructs.Observability;
using Pipeline.Infra.Constructs.Security;

namespace Pipeline.Infra.Stacks;

/// <summary>Properties of <see cref="TrainingStack"/>.</summary>
public sealed class TrainingStackProps : StackProps
{
    /// <summary>The validated configuration.</summary>
    public required PipelineSettings Settings { get; init; }

    /// <summary>Repository root, where the Lambda projects are built from.</summary>
    public required string SourceRoot { get; init; }

    /// <summary>The project's keys.</summary>
    public required EncryptionKeys Keys { get; init; }

    /// <summary>The isolated network the functions and jobs run in.</summary>
    public required IsolatedNetwork Network { get; init; }

    /// <summary>The alarm topic.</summary>
    public required AlarmTopic AlarmTopic { get; init; }

    /// <summary>The lake.</summary>
    public required Constructs.DataLake.DataLake Lake { get; init; }

    /// <summary>The catalog the training set is queried from.</summary>
    public required DataCatalog Catalog { get; init; }

    /// <summary>The model registry.</summary>
    public required ModelRegistry Registry { get; init; }
}
