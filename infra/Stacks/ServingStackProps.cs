using Amazon.CDK;
using Pipeline.Infra.Configuration;
using Pipeline.Infra.Constructs.Network;
using Pipeline.Infra.Constructs.Observability;
using Pipeline.Infra.Constructs.Security;

namespace Pipeline.Infra.Stacks;

/// <summary>Properties of <see cref="ServingStack"/>.</summary>
public sealed class ServingStackProps : StackProps
{
    /// <summary>The validated configuration.</summary>
    public required PipelineSettings Settings { get; init; }

    /// <summary>The project's keys.</summary>
    public required EncryptionKeys Keys { get; init; }

    /// <summary>The isolated network the endpoint runs in.</summary>
    public required IsolatedNetwork Network { get; init; }

    /// <summary>The alarm topic.</summary>
    public required AlarmTopic AlarmTopic { get; init; }

    /// <summary>The registry whose approved versions are promoted to the endpoint.</summary>
    public required Constructs.Models.ModelRegistry Registry { get; init; }

    /// <summary>The lake (model artifacts, captured data, drift reports).</summary>
    public required Constructs.DataLake.DataLake Lake { get; init; }

    /// <summary>The table over the endpoint's data capture, which drift runs query.</summary>
    public required Constructs.Catalog.CaptureTable Capture { get; init; }

    /// <summary>The repository root the drift function is published from.</summary>
    public required string SourceRoot { get; init; }
}
