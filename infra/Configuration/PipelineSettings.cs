namespace Pipeline.Infra.Configuration;

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

    /// <summary>Drift monitoring of the served model.</summary>
    public required DriftSettings Drift { get; init; }

    /// <summary>Settings of the app's Lambda functions.</summary>
    public required FunctionSettings Functions { get; init; }

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

    /// <summary>
    /// When true, the Lambda functions trace to X-Ray (active tracing) through an X-Ray interface endpoint in the isolated
    /// subnets; when false, they do not trace and the endpoint is not created. The state machines are traced either way
    /// (Step Functions sends their traces itself).
    /// </summary>
    public required bool Tracing { get; init; }
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

/// <summary>
/// SageMaker training settings: the data window and the checks a training run starts with, the training job of the
/// built-in XGBoost algorithm (version <see cref="XgboostVersion"/>), its hyperparameter tuning, and how a new model is
/// compared with the current champion and approved.
/// </summary>
public sealed record TrainingSettings
{
    /// <summary>Version of the SageMaker built-in XGBoost algorithm the instance-type rules were checked against.</summary>
    public const string XgboostVersion = "1.7-1";

    /// <summary>
    /// Minutes the state machine needs besides training: counting and exporting the window with Athena, evaluating and
    /// registering the model. Part of <see cref="RequiredExecutionTimeoutMinutes"/>.
    /// </summary>
    public const int QueryAndRegistrationMinutes = 30;

    /// <summary>Training instance type, e.g. <c>ml.m5.xlarge</c>: a CPU or GPU family the XGBoost algorithm supports.</summary>
    public required string InstanceType { get; init; }

    /// <summary>
    /// Number of training instances (1 to 20). More than one is distributed CPU training: the training channel must be
    /// sharded across the instances (S3 distribution <c>ShardedByS3Key</c>). GPU instances train alone.
    /// </summary>
    public required int InstanceCount { get; init; }

    /// <summary>
    /// When training runs: <c>disabled</c> (start it by hand), an EventBridge <c>rate(...)</c> or <c>cron(...)</c> expression.
    /// </summary>
    public required string Schedule { get; init; }

    /// <summary>The training window: the last this many days of data (1 to 365).</summary>
    public required int LookbackDays { get; init; }

    /// <summary>A run with fewer labelled rows in the window stops before training.</summary>
    public required int MinimumRows { get; init; }

    /// <summary>A run with fewer positive labels in the window stops before training (at most <see cref="MinimumRows"/>).</summary>
    public required int MinimumPositives { get; init; }

    /// <summary>Share of the window held out as the validation channel (0.05 to 0.5); the AUC is measured on it.</summary>
    public required double ValidationFraction { get; init; }

    /// <summary>
    /// Class-imbalance weight (the XGBoost <c>scale_pos_weight</c> hyperparameter): null means <c>auto</c>, the counted
    /// ratio of negative to positive rows in the window; otherwise this positive number.
    /// </summary>
    public double? ScalePosWeight { get; init; }

    /// <summary>Upper bound on one training job's run time, in minutes (StoppingCondition MaxRuntimeInSeconds).</summary>
    public required int MaxRuntimeMinutes { get; init; }

    /// <summary>Use managed spot capacity (with checkpoints) for training.</summary>
    public required bool UseSpot { get; init; }

    /// <summary>
    /// With <see cref="UseSpot"/>: how long one training job may take in total, waiting for spot capacity plus running,
    /// in minutes (StoppingCondition MaxWaitTimeInSeconds; at least <see cref="MaxRuntimeMinutes"/>). Null without spot:
    /// SageMaker only takes a wait time for managed spot training.
    /// </summary>
    public int? MaxWaitMinutes { get; init; }

    /// <summary>Minimum validation AUC a model needs to be registered as approved.</summary>
    public required double MinimumAuc { get; init; }

    /// <summary>
    /// How much lower than the current champion's validation AUC a new model's may be and still be approved (0 to 0.5).
    /// </summary>
    public required double RegressionTolerance { get; init; }

    /// <summary>
    /// Whether a model that passes <see cref="MinimumAuc"/> and <see cref="RegressionTolerance"/> is registered as
    /// Approved; when false it is registered as PendingManualApproval.
    /// </summary>
    public required bool AutoApprove { get; init; }

    /// <summary>
    /// Upper bound on one execution of the training state machine, in minutes (at least
    /// <see cref="RequiredExecutionTimeoutMinutes"/>, at most a year, the Step Functions Standard limit).
    /// </summary>
    public required int ExecutionTimeoutMinutes { get; init; }

    /// <summary>Hyperparameter tuning settings.</summary>
    public required TuningSettings Tuning { get; init; }

    /// <summary>
    /// The longest one training job can take: <see cref="MaxWaitMinutes"/> with spot (waiting plus running),
    /// otherwise <see cref="MaxRuntimeMinutes"/>.
    /// </summary>
    public int TrainingJobBoundMinutes => UseSpot && MaxWaitMinutes is { } wait ? wait : MaxRuntimeMinutes;

    /// <summary>
    /// How many training jobs run one after another in the worst case: with tuning,
    /// ceil(<see cref="TuningSettings.MaxJobs"/> / <see cref="TuningSettings.MaxParallelJobs"/>); otherwise 1.
    /// </summary>
    public int SequentialTrainingJobs => Tuning.Enabled ? (Tuning.MaxJobs + Tuning.MaxParallelJobs - 1) / Tuning.MaxParallelJobs : 1;

    /// <summary>
    /// The shortest execution timeout that lets a run finish in the worst case:
    /// <see cref="SequentialTrainingJobs"/> x <see cref="TrainingJobBoundMinutes"/> + <see cref="QueryAndRegistrationMinutes"/>.
    /// </summary>
    public int RequiredExecutionTimeoutMinutes => (SequentialTrainingJobs * TrainingJobBoundMinutes) + QueryAndRegistrationMinutes;
}

/// <summary>
/// Hyperparameter tuning of the XGBoost training job (a SageMaker hyperparameter tuning job maximizing
/// <c>validation:auc</c>). The four ranges are the tuned hyperparameters.
/// </summary>
public sealed record TuningSettings
{
    /// <summary>When false, one training job runs with XGBoost's defaults for the tuned hyperparameters.</summary>
    public required bool Enabled { get; init; }

    /// <summary>Training jobs the tuning job may launch (ResourceLimits MaxNumberOfTrainingJobs, 1 to 500).</summary>
    public required int MaxJobs { get; init; }

    /// <summary>Training jobs running at once (ResourceLimits MaxParallelTrainingJobs, 1 to 100, at most <see cref="MaxJobs"/>).</summary>
    public required int MaxParallelJobs { get; init; }

    /// <summary>Range of <c>eta</c>, the learning rate: continuous, logarithmic scaling, within (0, 1].</summary>
    public required HyperparameterRange Eta { get; init; }

    /// <summary>Range of <c>max_depth</c>: integer, linear scaling, within [1, 20].</summary>
    public required HyperparameterRange MaxDepth { get; init; }

    /// <summary>Range of <c>min_child_weight</c>: continuous, linear scaling, within [0, 120].</summary>
    public required HyperparameterRange MinChildWeight { get; init; }

    /// <summary>Range of <c>subsample</c>: continuous, linear scaling, within (0, 1].</summary>
    public required HyperparameterRange Subsample { get; init; }
}

/// <summary>How a tuning job searches a hyperparameter range (the SageMaker ScalingType of the same name).</summary>
public enum HyperparameterScaling
{
    /// <summary>Values spread evenly between the bounds.</summary>
    Linear,

    /// <summary>Values spread evenly on a log scale; both bounds are greater than 0.</summary>
    Logarithmic,
}

/// <summary>
/// A tuned hyperparameter's range, written <c>min..max</c> in context: an IntegerParameterRange when
/// <see cref="IsInteger"/>, otherwise a ContinuousParameterRange.
/// </summary>
public sealed record HyperparameterRange
{
    /// <summary>Lower bound (MinValue).</summary>
    public required double Min { get; init; }

    /// <summary>Upper bound (MaxValue), greater than <see cref="Min"/>.</summary>
    public required double Max { get; init; }

    /// <summary>Scaling type of the search.</summary>
    public required HyperparameterScaling Scaling { get; init; }

    /// <summary>True for an integer hyperparameter such as <c>max_depth</c>.</summary>
    public required bool IsInteger { get; init; }

    /// <summary>The range as written in context: <c>min..max</c> (invariant culture).</summary>
    public override string ToString() =>
        Min.ToString(System.Globalization.CultureInfo.InvariantCulture) + ".." + Max.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>
/// SageMaker real-time endpoint settings: the production variant (instance type and fleet), its target-tracking auto
/// scaling on <c>SageMakerVariantInvocationsPerInstance</c>, the blue/green deployment with auto-rollback, the volume
/// encryption of the EndpointConfig and its data capture.
/// </summary>
public sealed record EndpointSettings
{
    /// <summary>Endpoint instance type, e.g. <c>ml.m5.large</c>: a real-time hosting family the XGBoost model serves on.</summary>
    public required string InstanceType { get; init; }

    /// <summary>
    /// Minimum instance count of the production variant, and its initial instance count (InitialInstanceCount): the
    /// scalable target's MinCapacity, so every fleet a deployment meets has at least this many instances.
    /// </summary>
    public required int MinInstances { get; init; }

    /// <summary>Maximum instance count the auto scaling may reach.</summary>
    public required int MaxInstances { get; init; }

    /// <summary>Requests per second one instance sustained in a load test (MAX_RPS).</summary>
    public required double MaxRpsPerInstance { get; init; }

    /// <summary>
    /// SAFETY_FACTOR of the SageMaker load-testing formula, in (0, 1]: the share of <see cref="MaxRpsPerInstance"/> the
    /// scaling policy aims for (SageMaker recommends starting at 0.5).
    /// </summary>
    public required double SafetyFactor { get; init; }

    /// <summary>Seconds after a scale-in before another scale-in may start (target tracking ScaleInCooldown).</summary>
    public required int ScaleInCooldownSeconds { get; init; }

    /// <summary>Seconds after a scale-out before another scale-out may start (target tracking ScaleOutCooldown).</summary>
    public required int ScaleOutCooldownSeconds { get; init; }

    /// <summary>
    /// Blue/green canary size as a percentage of the fleet (CanarySize Type CAPACITY_PERCENT), 1 to 50; 0 shifts all
    /// traffic at once (TrafficRoutingConfig Type ALL_AT_ONCE), still with the alarms' auto-rollback.
    /// </summary>
    public required int CanaryPercent { get; init; }

    /// <summary>Minutes the canary runs before the rest of the traffic shifts (WaitIntervalInSeconds / 60, 0 to 60).</summary>
    public required int CanaryWaitMinutes { get; init; }

    /// <summary>
    /// Minutes the old (blue) fleet is kept after all traffic has shifted, during which an alarm still rolls back
    /// (TerminationWaitInSeconds / 60, 0 to 60).
    /// </summary>
    public required int TerminationWaitMinutes { get; init; }

    /// <summary>
    /// Upper bound on one blue/green deployment, in minutes (MaximumExecutionTimeoutInSeconds / 60, 10 to 480), longer
    /// than <see cref="CanaryWaitMinutes"/> + <see cref="TerminationWaitMinutes"/>.
    /// </summary>
    public required int MaximumExecutionTimeoutMinutes { get; init; }

    /// <summary>
    /// Whether the EndpointConfig encrypts the instances' storage volume with the pipeline's KMS key (KmsKeyId). Must be
    /// false on instance types with local NVMe storage (<see cref="HasLocalNvmeStorage"/>), which SageMaker rejects a
    /// KmsKeyId for; their instance storage is encrypted in hardware.
    /// </summary>
    public required bool EncryptVolume { get; init; }

    /// <summary>Share of requests captured for monitoring, in percent (DataCaptureConfig InitialSamplingPercentage, 0 to 100).</summary>
    public required int DataCapturePercent { get; init; }

    /// <summary>Instances the endpoint starts with (InitialInstanceCount): <see cref="MinInstances"/>.</summary>
    public int InitialInstances => MinInstances;

    /// <summary>True when a deployment shifts traffic in two steps, canary first (<see cref="CanaryPercent"/> above 0).</summary>
    public bool UsesCanary => CanaryPercent > 0;

    /// <summary>
    /// True when the instance type has local NVMe instance storage (the d variants such as m5d, c5d, r5d, and
    /// GPU families such as g4dn, g5, p3dn, p4d): SageMaker rejects an EndpointConfig KmsKeyId for these.
    /// </summary>
    public bool HasLocalNvmeStorage => SettingDefinitions.HasLocalNvmeStorage(InstanceType);

    /// <summary>
    /// Target for <c>SageMakerVariantInvocationsPerInstance</c> (per minute): MAX_RPS x <see cref="SafetyFactor"/> x 60,
    /// as the SageMaker load-testing guide gives it.
    /// </summary>
    public double TargetInvocationsPerInstance => Math.Round(MaxRpsPerInstance * SafetyFactor * 60, 2);
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

/// <summary>
/// Drift monitoring: on a schedule, the served model's baseline is compared with the last window of captured requests,
/// feature by feature, by the Population Stability Index (PSI).
/// </summary>
public sealed record DriftSettings
{
    /// <summary>When a drift run starts: an EventBridge schedule expression, or <c>disabled</c> (runs start on demand only).</summary>
    public required string Schedule { get; init; }

    /// <summary>Whole hours of captured requests one run judges, ending at the last whole hour before it starts (1 to 168).</summary>
    public required int WindowHours { get; init; }

    /// <summary>The PSI from which a feature's drift is a warning (the dashboard marks it; no alarm).</summary>
    public required double PsiWarn { get; init; }

    /// <summary>The PSI from which a feature's drift raises the alarm, above <see cref="PsiWarn"/>.</summary>
    public required double PsiAlarm { get; init; }

    /// <summary>The fewest captured requests a window needs to be judged; fewer are reported as insufficient, never as drift.</summary>
    public required int MinimumRows { get; init; }
}

/// <summary>Settings of the app's Lambda functions.</summary>
public sealed record FunctionSettings
{
    /// <summary>
    /// Concurrent executions reserved for each workflow function (prepare-run, evaluate, drift), 0 to reserve none.
    /// A reservation guarantees the function its capacity and takes it from the account's unreserved pool, of which
    /// Lambda keeps at least 100 (new accounts may have a smaller quota, and then any reservation fails the deployment).
    /// </summary>
    public required int ReservedConcurrency { get; init; }
}
