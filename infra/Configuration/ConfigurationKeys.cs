namespace Pipeline.Infra.Configuration;

/// <summary>
/// The CDK context keys the app reads (set in cdk.json or with <c>-c key=value</c>). Every key except
/// <see cref="Profile"/> overrides one value of the selected preset.
/// </summary>
public static class ConfigurationKeys
{
    /// <summary>Preset to start from: <c>sandbox</c> (default) or <c>production</c>.</summary>
    public const string Profile = "profile";

    /// <summary>Name prefix for stacks and tags.</summary>
    public const string Prefix = "prefix";

    /// <summary>Number of Availability Zones.</summary>
    public const string AzCount = "network.azCount";

    /// <summary>Whether to add the interface endpoints in-VPC clients need.</summary>
    public const string ClientEndpoints = "network.clientEndpoints";

    /// <summary>Whether the functions trace to X-Ray (through an X-Ray interface endpoint).</summary>
    public const string Tracing = "network.tracing";

    /// <summary>Stream capacity mode: <c>onDemand</c> or <c>provisioned</c>.</summary>
    public const string StreamMode = "stream.mode";

    /// <summary>Stream retention in hours.</summary>
    public const string StreamRetentionHours = "stream.retentionHours";

    /// <summary>Expected peak records per second (shard sizing input).</summary>
    public const string StreamRecordsPerSecond = "stream.recordsPerSecond";

    /// <summary>Expected average record size in KiB (shard sizing input).</summary>
    public const string StreamAverageRecordSizeKiB = "stream.averageRecordSizeKiB";

    /// <summary>Number of consumers sharing read throughput (shard sizing input).</summary>
    public const string StreamConsumers = "stream.consumers";

    /// <summary>Capacity provisioned per unit of expected peak load (shard sizing headroom).</summary>
    public const string StreamHeadroomFactor = "stream.headroomFactor";

    /// <summary>The account's Kinesis Data Streams shard quota in the target Region (Service Quotas).</summary>
    public const string StreamShardQuota = "stream.shardQuota";

    /// <summary>Firehose S3 buffering interval in seconds.</summary>
    public const string DeliveryBufferIntervalSeconds = "delivery.bufferIntervalSeconds";

    /// <summary>Firehose S3 buffering size in MiB.</summary>
    public const string DeliveryBufferSizeMiB = "delivery.bufferSizeMiB";

    /// <summary>Transform Lambda buffer size in MiB.</summary>
    public const string DeliveryTransformBufferSizeMiB = "delivery.transformBufferSizeMiB";

    /// <summary>Transform Lambda buffer interval in seconds.</summary>
    public const string DeliveryTransformBufferIntervalSeconds = "delivery.transformBufferIntervalSeconds";

    /// <summary>Training instance type.</summary>
    public const string TrainingInstanceType = "training.instanceType";

    /// <summary>Training schedule.</summary>
    public const string TrainingSchedule = "training.schedule";

    /// <summary>Training job run-time cap in minutes.</summary>
    public const string TrainingMaxRuntimeMinutes = "training.maxRuntimeMinutes";

    /// <summary>Use managed spot training.</summary>
    public const string TrainingUseSpot = "training.useSpot";

    /// <summary>Minimum validation AUC for automatic approval.</summary>
    public const string TrainingMinimumAuc = "training.minimumAuc";

    /// <summary>Number of training instances.</summary>
    public const string TrainingInstanceCount = "training.instanceCount";

    /// <summary>Training window: the last this many days.</summary>
    public const string TrainingLookbackDays = "training.lookbackDays";

    /// <summary>Minimum labelled rows in the window for a run to train.</summary>
    public const string TrainingMinimumRows = "training.minimumRows";

    /// <summary>Minimum positive labels in the window for a run to train.</summary>
    public const string TrainingMinimumPositives = "training.minimumPositives";

    /// <summary>Share of the window held out for validation.</summary>
    public const string TrainingValidationFraction = "training.validationFraction";

    /// <summary>Class-imbalance weight: <c>auto</c> or a positive number.</summary>
    public const string TrainingScalePosWeight = "training.scalePosWeight";

    /// <summary>Spot training: total minutes a training job may wait and run.</summary>
    public const string TrainingMaxWaitMinutes = "training.maxWaitMinutes";

    /// <summary>Largest AUC drop against the current champion that still approves.</summary>
    public const string TrainingRegressionTolerance = "training.regressionTolerance";

    /// <summary>Whether a passing model is registered as Approved (otherwise PendingManualApproval).</summary>
    public const string TrainingAutoApprove = "training.autoApprove";

    /// <summary>Training state machine execution timeout in minutes.</summary>
    public const string TrainingExecutionTimeoutMinutes = "training.executionTimeoutMinutes";

    /// <summary>Whether hyperparameter tuning runs.</summary>
    public const string TuningEnabled = "training.tuning.enabled";

    /// <summary>Training jobs one tuning job may launch.</summary>
    public const string TuningMaxJobs = "training.tuning.maxJobs";

    /// <summary>Training jobs a tuning job runs at once.</summary>
    public const string TuningMaxParallelJobs = "training.tuning.maxParallelJobs";

    /// <summary>Tuned range of eta (<c>min..max</c>).</summary>
    public const string TuningEta = "training.tuning.eta";

    /// <summary>Tuned range of max_depth (<c>min..max</c>).</summary>
    public const string TuningMaxDepth = "training.tuning.maxDepth";

    /// <summary>Tuned range of min_child_weight (<c>min..max</c>).</summary>
    public const string TuningMinChildWeight = "training.tuning.minChildWeight";

    /// <summary>Tuned range of subsample (<c>min..max</c>).</summary>
    public const string TuningSubsample = "training.tuning.subsample";

    /// <summary>Endpoint instance type.</summary>
    public const string EndpointInstanceType = "endpoint.instanceType";

    /// <summary>Endpoint minimum instance count.</summary>
    public const string EndpointMinInstances = "endpoint.minInstances";

    /// <summary>Endpoint maximum instance count.</summary>
    public const string EndpointMaxInstances = "endpoint.maxInstances";

    /// <summary>Requests per second one endpoint instance sustains (from a load test).</summary>
    public const string EndpointMaxRpsPerInstance = "endpoint.maxRpsPerInstance";

    /// <summary>Endpoint data-capture sampling percentage.</summary>
    public const string EndpointDataCapturePercent = "endpoint.dataCapturePercent";

    /// <summary>SAFETY_FACTOR of the load-testing formula for the scaling target.</summary>
    public const string EndpointSafetyFactor = "endpoint.safetyFactor";

    /// <summary>Target tracking scale-in cooldown in seconds.</summary>
    public const string EndpointScaleInCooldownSeconds = "endpoint.scaleInCooldownSeconds";

    /// <summary>Target tracking scale-out cooldown in seconds.</summary>
    public const string EndpointScaleOutCooldownSeconds = "endpoint.scaleOutCooldownSeconds";

    /// <summary>Blue/green canary size in percent of the fleet (0: all at once).</summary>
    public const string EndpointCanaryPercent = "endpoint.canaryPercent";

    /// <summary>Minutes the canary runs before the rest of the traffic shifts.</summary>
    public const string EndpointCanaryWaitMinutes = "endpoint.canaryWaitMinutes";

    /// <summary>Minutes the old fleet is kept after the traffic has shifted.</summary>
    public const string EndpointTerminationWaitMinutes = "endpoint.terminationWaitMinutes";

    /// <summary>Upper bound on one blue/green deployment in minutes.</summary>
    public const string EndpointMaximumExecutionTimeoutMinutes = "endpoint.maximumExecutionTimeoutMinutes";

    /// <summary>Whether the EndpointConfig encrypts the storage volume with the KMS key.</summary>
    public const string EndpointEncryptVolume = "endpoint.encryptVolume";

    /// <summary>E-mail address notified by every alarm (empty: none).</summary>
    public const string AlarmEmail = "alarms.email";

    /// <summary>Stream iterator-age alarm threshold in minutes.</summary>
    public const string AlarmIteratorAgeMinutes = "alarms.iteratorAgeMinutes";

    /// <summary>Endpoint p99 model-latency alarm threshold in milliseconds.</summary>
    public const string AlarmEndpointLatencyP99Ms = "alarms.endpointLatencyP99Ms";

    /// <summary>CloudWatch Logs retention in days.</summary>
    public const string RetentionLogDays = "retention.logDays";

    /// <summary>Raw backup retention in days.</summary>
    public const string RetentionRawDataDays = "retention.rawDataDays";

    /// <summary>Failed-record retention in days.</summary>
    public const string RetentionErrorDataDays = "retention.errorDataDays";

    /// <summary>Noncurrent object version retention in days.</summary>
    public const string RetentionNoncurrentVersionDays = "retention.noncurrentVersionDays";

    /// <summary>Whether the app manages the account-wide Glue Data Catalog encryption settings.</summary>
    public const string CatalogManageEncryption = "catalog.manageEncryption";

    /// <summary>Athena per-query scan cutoff in MiB.</summary>
    public const string CatalogBytesScannedCutoffMiB = "catalog.bytesScannedCutoffMiB";

    /// <summary>When drift runs start (schedule expression or <c>disabled</c>).</summary>
    public const string DriftSchedule = "drift.schedule";

    /// <summary>Hours of captured requests one drift run judges.</summary>
    public const string DriftWindowHours = "drift.windowHours";

    /// <summary>PSI warning threshold.</summary>
    public const string DriftPsiWarn = "drift.psiWarn";

    /// <summary>PSI alarm threshold.</summary>
    public const string DriftPsiAlarm = "drift.psiAlarm";

    /// <summary>Fewest captured requests a drift window needs to be judged.</summary>
    public const string DriftMinimumRows = "drift.minimumRows";

    /// <summary>Concurrency reserved for each workflow function (0: none).</summary>
    public const string FunctionsReservedConcurrency = "functions.reservedConcurrency";
}
