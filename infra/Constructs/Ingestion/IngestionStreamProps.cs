using Amazon.CDK;
using Amazon.CDK.AWS.KMS;

namespace Pipeline.Infra.Constructs.Ingestion;

/// <summary>Properties of <see cref="IngestionStream"/>.</summary>
public sealed record IngestionStreamProps
{
    /// <summary>Customer-managed key the stream is encrypted with.</summary>
    public required IKey EncryptionKey { get; init; }

    /// <summary>Shard count for a provisioned stream, or null for on-demand capacity.</summary>
    /// <value>Default: null: on-demand, AWS scales the stream.</value>
    public int? ShardCount { get; init; }

    /// <summary>How long records stay readable, in hours (24 to 8760).</summary>
    /// <value>Default: 24 hours.</value>
    public int RetentionHours { get; init; } = 24;

    /// <summary>What happens to the stream (and its unread records) when the stack is deleted.</summary>
    /// <value>Default: <see cref="RemovalPolicy.RETAIN"/>.</value>
    public RemovalPolicy RemovalPolicy { get; init; } = RemovalPolicy.RETAIN;
}
