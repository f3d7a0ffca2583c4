using Amazon.CDK;

namespace Pipeline.Infra.Constructs.Query;

/// <summary>Properties of <see cref="QueryWorkgroup"/>.</summary>
public sealed record QueryWorkgroupProps
{
    /// <summary>Name of the workgroup (Athena requires one).</summary>
    public required string Name { get; init; }

    /// <summary>The lake whose Athena-results zone receives query results, encrypted with its key.</summary>
    public required DataLake.DataLake Lake { get; init; }

    /// <summary>Per-query cap on scanned data, in MiB (10 to 2047).</summary>
    public required int BytesScannedCutoffMiB { get; init; }

    /// <summary>What happens to the workgroup (and its saved queries and history) when the stack is deleted.</summary>
    /// <value>Default: <see cref="RemovalPolicy.RETAIN"/>.</value>
    public RemovalPolicy RemovalPolicy { get; init; } = RemovalPolicy.RETAIN;
}
