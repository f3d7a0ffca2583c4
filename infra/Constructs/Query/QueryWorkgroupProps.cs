using Amazon.CDK;

namespace Pipeline.Infra.Constructs.Query;

/// <summary>Properties of <see cref="QueryWorkgroup"/>.</summary>
public sealed record QueryWorkgroupProps
{
    /// <summary>Name of the workgroup (Athena requires one).</summary>
    public required string Name { get; init; }

    /// <summary>The lake whose Athena-results zone receives query results, encrypted with its key.</summary>
    public required DataLake.DataLake Lake { get; init; }

    /// <summary>Per-query cap on scanned data, in bytes: at least 10 MB (Athena's minimum); the API takes a 64-bit integer.</summary>
    public required long BytesScannedCutoff { get; init; }

    /// <summary>What happens to the workgroup (and its saved queries and history) when the stack is deleted.</summary>
    /// <value>Default: <see cref="RemovalPolicy.RETAIN"/>.</value>
    public RemovalPolicy RemovalPolicy { get; init; } = RemovalPolicy.RETAIN;
}
