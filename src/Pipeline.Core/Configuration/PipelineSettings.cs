namespace Pipeline.Core.Configuration;

/// <summary>Which preset the configuration starts from.</summary>
public enum PipelineProfile
{
    /// <summary>Cheap and destroyable: on-demand stream, one endpoint instance, everything deleted on <c>cdk destroy</c>.</summary>
    Sandbox,

    /// <summary>Multi-AZ, provisioned stream sized from the expected load, data and keys retained on stack deletion.</summary>
    Production,
}

/// <summary>Capacity mode of the Kinesis data stream.</summary>
public enum StreamCapacityMode
{
    /// <summary>AWS scales the stream; you pay per GB. No shard planning needed.</summary>
    OnDemand,

    /// <summary>A fixed shard count computed from the configured load with <see cref="Sizing.ShardSizing"/>.</summary>
    Provisioned,
}

/// <summary>
/// The whole, validated configuration of the pipeline. Built once by <see cref="PipelineSettingsLoader"/> from a
/// profile preset plus overrides; immutable afterwards. Constructs receive the parts they need as props.
/// </summary>
public sealed record PipelineSettings
{
    /// <summary>The preset this configuration was built from.</summary>
    public required PipelineProfile Profile { get; init; }

    /// <summary>Short lowercase name used in stack names and tags (never in resource physical names).</summary>
    public required string Prefix { get; init; }

    /// <summary>VPC settings.</summary>
    public required NetworkSettings Network { get; init; }

    /// <summary>Kinesis data stream settings.</summary>
    public required StreamSettings Stream { get; init; }

    /// <summary>Firehose delivery settings.</summary>
    public required DeliverySettings Delivery { get; init; }

    /// <summary>SageMaker training settings.</summary>
    public required TrainingSettings Training { get; init; }

    /// <summary>SageMaker endpoint settings.</summary>
    public required EndpointSettings Endpoint { get; init; }

    /// <summary>Alarm thresholds and notification settings.</summary>
    public required AlarmSettings Alarms { get; init; }

    /// <summary>Retention periods for logs and data.</summary>
    public required RetentionSettings Retention { get; init; }

    /// <summary>Glue Data Catalog and Athena settings.</summary>
    public required CatalogSettings Catalog { get; init; }

    /// <summary>True when stateful resources (data, keys, logs) must survive stack deletion.</summary>
    public bool RetainData => Profile == PipelineProfile.Production;
}

/// <summary>VPC settings.</summary>
public sealed record NetworkSettings
{
    /// <summary>Number of Availability Zones the isolated subnets span (1 to 3).</summary>
    public required int AzCount { get; init; }

    /// <summary>
    /// When true, adds the interface endpoints that in-VPC clients (notebooks, producers, applications) need:
    /// SageMaker API and Runtime, STS, CloudWatch Logs and Monitoring, KMS, Kinesis Data Streams.
    /// </summary>
    public required bool ClientEndpoints { get; init; }
}

/// <summary>Kinesis data stream settings, including the load used to size a provisioned stream.</summary>
public sealed record StreamSettings
{
    /// <summary>On-demand or provisioned capacity.</summary>
    public required StreamCapacityMode Mode { get; init; }

    /// <summary>How long records stay readable, in hours (24 to 8760). Firehose retries delivery for this long.</summary>
    public required int RetentionHours { get; init; }

    /// <summary>Expected peak records per second written by producers.</summary>
    public required double RecordsPerSecond { get; init; }

    /// <summary>Expected average record size in KiB.</summary>
    public required double AverageRecordSizeKiB { get; init; }

    /// <summary>Number of consumers sharing the read throughput (Firehose counts as one).</summary>
    public required int Consumers { get; init; }

    /// <summary>
    /// Capacity provisioned per unit of expected peak load (1 to 4): the shard count is the sizing formula's ratio times
    /// this factor, rounded up, so the peak does not sit at 100 % of a per-shard limit.
    /// </summary>
    public required double HeadroomFactor { get; init; }

    /// <summary>
    /// The account's Kinesis Data Streams shard quota in the target Region; a provisioned stream needing more shards is
    /// rejected at synth instead of failing at deploy time.
    /// </summary>
    public required int ShardQuota { get; init; }

    /// <summary>Shard count for provisioned mode (sizing formula with <see cref="HeadroomFactor"/>); null in on-demand mode.</summary>
    public int? ShardCount => Mode == StreamCapacityMode.Provisioned
        ? Sizing.ShardSizing.RequiredShards(new Sizing.StreamLoad(RecordsPerSecond, AverageRecordSizeKiB, Consumers), HeadroomFactor)
        : null;
}

/// <summary>Firehose buffering settings.</summary>
public sealed record DeliverySettings
{
    /// <summary>S3 buffering interval in seconds (60 to 900; dynamic partitioning does not allow less than 60).</summary>
    public required int BufferIntervalSeconds { get; init; }

    /// <summary>S3 buffering size in MiB (64 to 128; Parquet conversion requires at least 64).</summary>
    public required int BufferSizeMiB { get; init; }

    /// <summary>Buffer size of the transform Lambda invocations in MiB (0.2 to 3).</summary>
    public required double TransformBufferSizeMiB { get; init; }

    /// <summary>Buffer interval of the transform Lambda invocations in seconds (0 to 900).</summary>
    public required int TransformBufferIntervalSeconds { get; init; }
}

/// <summary>SageMaker training settings.</summary>
public sealed record TrainingSettings
{
    /// <summary>Training instance type, e.g. <c>ml.m5.xlarge</c>.</summary>
    public required string InstanceType { get; init; }

    /// <summary>
    /// When training runs: <c>disabled</c> (start it by hand), an EventBridge <c>rate(...)</c> or <c>cron(...)</c> expression.
    /// </summary>
    public required string Schedule { get; init; }

    /// <summary>Upper bound on a training job's run time, in minutes.</summary>
    public required int MaxRuntimeMinutes { get; init; }

    /// <summary>Use managed spot capacity (with checkpoints) for training.</summary>
    public required bool UseSpot { get; init; }

    /// <summary>Minimum validation AUC a model needs to be registered as approved.</summary>
    public required double MinimumAuc { get; init; }
}

/// <summary>SageMaker real-time endpoint settings.</summary>
public sealed record EndpointSettings
{
    /// <summary>Endpoint instance type, e.g. <c>ml.m5.large</c>.</summary>
    public required string InstanceType { get; init; }

    /// <summary>Minimum instance count of the production variant.</summary>
    public required int MinInstances { get; init; }

    /// <summary>Maximum instance count the auto scaling may reach.</summary>
    public required int MaxInstances { get; init; }

    /// <summary>Requests per second one instance sustained in a load test (MAX_RPS).</summary>
    public required double MaxRpsPerInstance { get; init; }

    /// <summary>Share of requests captured for monitoring, in percent (0 to 100).</summary>
    public required int DataCapturePercent { get; init; }

    /// <summary>
    /// Target for <c>SageMakerVariantInvocationsPerInstance</c> (per minute): MAX_RPS x safety factor 0.5 x 60,
    /// as the SageMaker load-testing guide recommends.
    /// </summary>
    public double TargetInvocationsPerInstance => Math.Round(MaxRpsPerInstance * 0.5 * 60, 2);
}

/// <summary>Alarm thresholds and the notification address.</summary>
public sealed record AlarmSettings
{
    /// <summary>E-mail address subscribed to the alarm topic; null subscribes nobody.</summary>
    public string? Email { get; init; }

    /// <summary>Alarm when the oldest unread stream record is older than this many minutes.</summary>
    public required int IteratorAgeMinutes { get; init; }

    /// <summary>Alarm when the endpoint's p99 model latency exceeds this many milliseconds.</summary>
    public required int EndpointLatencyP99Ms { get; init; }
}

/// <summary>Retention periods.</summary>
public sealed record RetentionSettings
{
    /// <summary>CloudWatch Logs retention in days (a value CloudWatch accepts, at least 365).</summary>
    public required int LogDays { get; init; }

    /// <summary>Days the raw (pre-transform) backup is kept for replay.</summary>
    public required int RawDataDays { get; init; }

    /// <summary>Days records that failed processing are kept.</summary>
    public required int ErrorDataDays { get; init; }

    /// <summary>Days noncurrent object versions are kept.</summary>
    public required int NoncurrentVersionDays { get; init; }
}

/// <summary>Glue Data Catalog and Athena settings.</summary>
public sealed record CatalogSettings
{
    /// <summary>
    /// Whether this app sets the Data Catalog encryption settings. They are one singleton per account and Region,
    /// shared by every catalog user there, so the app only claims them when asked to.
    /// </summary>
    public required bool ManageCatalogEncryption { get; init; }

    /// <summary>Per-query cap on the data an Athena query in the workgroup may scan, in MiB (10 to 2047).</summary>
    public required int BytesScannedCutoffMiB { get; init; }
}
