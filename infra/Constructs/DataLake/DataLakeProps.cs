using Amazon.CDK;
using Amazon.CDK.AWS.KMS;

namespace Pipeline.Infra.Constructs.DataLake;

/// <summary>Properties of <see cref="DataLake"/>.</summary>
public sealed record DataLakeProps
{
    /// <summary>Customer-managed key for every object in the lake (SSE-KMS with S3 Bucket Keys).</summary>
    public required IKey EncryptionKey { get; init; }

    /// <summary>Days the raw zone keeps source records for replay.</summary>
    public required int RawDataDays { get; init; }

    /// <summary>Days the error zone keeps records that failed processing.</summary>
    public required int ErrorDataDays { get; init; }

    /// <summary>Days noncurrent (overwritten or deleted) object versions are kept.</summary>
    public required int NoncurrentVersionDays { get; init; }

    /// <summary>Days server access logs are kept.</summary>
    public required int AccessLogDays { get; init; }

    /// <summary>Days Athena query results are kept.</summary>
    /// <value>Default: 30 days; results can be recomputed from the curated zone.</value>
    public int AthenaResultDays { get; init; } = 30;

    /// <summary>Days after which curated Parquet moves to S3 Intelligent-Tiering.</summary>
    /// <value>Default: 30 days; recent partitions are read most, older ones rarely.</value>
    public int CuratedTieringDays { get; init; } = 30;

    /// <summary>
    /// What happens to both buckets when the stack is deleted. <see cref="RemovalPolicy.DESTROY"/> also empties them
    /// first (CDK's auto-delete-objects custom resource), so <c>cdk destroy</c> leaves nothing behind.
    /// </summary>
    /// <value>Default: <see cref="RemovalPolicy.RETAIN"/>: data outlives the stack.</value>
    public RemovalPolicy RemovalPolicy { get; init; } = RemovalPolicy.RETAIN;
}
