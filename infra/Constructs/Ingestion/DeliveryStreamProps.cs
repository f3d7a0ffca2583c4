using Amazon.CDK;
using Amazon.CDK.AWS.KMS;
using Amazon.CDK.AWS.Lambda;
using Pipeline.Infra.Constructs.Catalog;

namespace Pipeline.Infra.Constructs.Ingestion;

/// <summary>Properties of <see cref="DeliveryStream"/>.</summary>
public sealed record DeliveryStreamProps
{
    /// <summary>The Kinesis stream Firehose reads from.</summary>
    public required IngestionStream Source { get; init; }

    /// <summary>The lake Firehose writes curated, raw and error objects to.</summary>
    public required DataLake.DataLake Lake { get; init; }

    /// <summary>The catalog whose curated table gives the Parquet schema.</summary>
    public required DataCatalog Catalog { get; init; }

    /// <summary>The transform Lambda.</summary>
    public required IFunction Transform { get; init; }

    /// <summary>Seconds Firehose buffers records before it writes an object to the lake (0 to 900).</summary>
    public required int BufferIntervalSeconds { get; init; }

    /// <summary>MiB Firehose buffers before it writes an object to the lake (64 to 128 with dynamic partitioning).</summary>
    public required int BufferSizeMiB { get; init; }

    /// <summary>MiB of records Firehose sends the transform per invocation (0.2 to 3).</summary>
    public required double TransformBufferSizeMiB { get; init; }

    /// <summary>Seconds Firehose buffers records before it invokes the transform (0 to 900).</summary>
    public required int TransformBufferIntervalSeconds { get; init; }

    /// <summary>Key for the delivery log group.</summary>
    public required IKey LogsKey { get; init; }

    /// <summary>Log retention in days (a CloudWatch Logs value of at least a year).</summary>
    public required int LogRetentionDays { get; init; }

    /// <summary>How many times Firehose retries a failed Lambda invocation before sending the batch to the error prefix.</summary>
    /// <value>Default: 3, Firehose's own default.</value>
    public int TransformRetries { get; init; } = 3;

    /// <summary>What happens to the log group when the stack is deleted.</summary>
    /// <value>Default: <see cref="RemovalPolicy.RETAIN"/>.</value>
    public RemovalPolicy LogRemovalPolicy { get; init; } = RemovalPolicy.RETAIN;
}
