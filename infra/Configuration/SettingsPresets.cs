namespace Pipeline.Infra.Configuration;

/// <summary>The two presets a configuration starts from. Every value here is a documented default.</summary>
public static class SettingsPresets
{
    /// <summary>Default name prefix.</summary>
    public const string DefaultPrefix = "mlpipe";

    /// <summary>
    /// Default Kinesis shard quota assumed for the account: the smallest documented default of any Region (20,000 in
    /// us-east-1, us-west-2 and eu-west-1; 1,000 or 6,000 elsewhere), because the app does not know its Region.
    /// </summary>
    public const int DefaultShardQuota = 1000;

    /// <summary>SAFETY_FACTOR SageMaker recommends starting the load-testing formula with.</summary>
    public const double DefaultSafetyFactor = 0.5;

    /// <summary>Scale-in cooldown: scale in conservatively (the Application Auto Scaling default for SageMaker variants).</summary>
    public const int DefaultScaleInCooldownSeconds = 300;

    /// <summary>Scale-out cooldown: react to a traffic rise within about a minute.</summary>
    public const int DefaultScaleOutCooldownSeconds = 60;

    /// <summary>
    /// Sandbox: cheap and destroyable. On-demand stream (no shard planning), 2 AZs, no client endpoints,
    /// spot training on a week of data with a small tuning job (4 jobs) and automatic approval, one endpoint instance
    /// scaling to two and deployed all at once, no model monitoring, training started by hand.
    /// </summary>
    public static PipelineSettings Sandbox { get; } = new()
    {
        Profile = PipelineProfile.Sandbox,
        Prefix = DefaultPrefix,
        // No function tracing: its interface endpoint (two zones) would cost more than the rest of an idle sandbox.
        Network = new NetworkSettings { AzCount = 2, ClientEndpoints = false, Tracing = false },
        Stream = new StreamSettings
        {
            // One provisioned shard (1,000 records/s, 1 MiB/s in) costs about a third of an idle on-demand stream, which
            // bills every hour it exists; a sandbox's producer sends tens of records a second.
            Mode = StreamCapacityMode.Provisioned,
            RetentionHours = 24,
            RecordsPerSecond = 100,
            AverageRecordSizeKiB = 1,
            Consumers = 1,
            HeadroomFactor = Sizing.ShardSizing.DefaultHeadroomFactor,
            ShardQuota = DefaultShardQuota,
        },
        Delivery = new DeliverySettings
        {
            // Short interval so a sandbox user sees Parquet files within minutes.
            BufferIntervalSeconds = 60,
            BufferSizeMiB = 64,
            TransformBufferSizeMiB = 1,
            TransformBufferIntervalSeconds = 60,
        },
        Training = new TrainingSettings
        {
            InstanceType = "ml.m5.xlarge",
            InstanceCount = 1,
            Schedule = "disabled",
            LookbackDays = 7,
            MinimumRows = 1_000,
            MinimumPositives = 10,
            ValidationFraction = 0.2,
            ScalePosWeight = null,
            MaxRuntimeMinutes = 60,
            UseSpot = true,
            // 15 minutes to find spot capacity. Tuning runs 4 jobs 2 at a time: 2 x 75 + 30 = 180 minutes at most.
            MaxWaitMinutes = 75,
            MinimumAuc = 0.8,
            RegressionTolerance = 0.01,
            AutoApprove = true,
            ExecutionTimeoutMinutes = 180,
            Tuning = DefaultTuning(maxJobs: 4, maxParallelJobs: 2),
        },
        Endpoint = new EndpointSettings
        {
            InstanceType = "ml.m5.large",
            MinInstances = 1,
            MaxInstances = 2,
            MaxRpsPerInstance = 20,
            SafetyFactor = DefaultSafetyFactor,
            ScaleInCooldownSeconds = DefaultScaleInCooldownSeconds,
            ScaleOutCooldownSeconds = DefaultScaleOutCooldownSeconds,
            // One instance cannot run a canary (a canary is at most half the fleet and at least one instance): blue/green
            // with all traffic shifted at once, then 5 minutes of baking with the alarms armed for rollback.
            CanaryPercent = 0,
            CanaryWaitMinutes = 5,
            TerminationWaitMinutes = 0,
            MaximumExecutionTimeoutMinutes = 60,
            EncryptVolume = true,
            DataCapturePercent = 100,
        },
        // Model Monitor costs a processing job per run; the sandbox captures data but does not monitor it.
        Alarms = new AlarmSettings { Email = null, IteratorAgeMinutes = 15, EndpointLatencyP99Ms = 500 },
        Retention = new RetentionSettings { LogDays = 365, RawDataDays = 30, ErrorDataDays = 30, NoncurrentVersionDays = 7 },
        // A sandbox account is usually shared: leave the account-wide catalog settings alone. 1 GiB per query.
        Catalog = new CatalogSettings { ManageCatalogEncryption = false, BytesScannedCutoffMiB = 1024 },
        // Daily windows: PSI over a whole day is not moved by the hour-of-day pattern of the traffic. 00:30 UTC leaves the
        // endpoint half an hour to write the last hour's capture files.
        Drift = new DriftSettings { Schedule = "cron(30 0 * * ? *)", WindowHours = 24, PsiWarn = 0.1, PsiAlarm = 0.2, MinimumRows = 100 },
        // None: a new account's reduced concurrency quota leaves nothing to reserve, and the deployment would fail.
        Functions = new FunctionSettings { ReservedConcurrency = 0 },
    };

    /// <summary>
    /// Production: 3 AZs with client endpoints, provisioned stream sized for 2,000 records/s of 1 KiB read by
    /// two consumers with 25 % headroom (3 shards), 7-day stream retention, weekly spot training on 30 days of data with
    /// 20 tuning jobs and manual approval, at least two endpoint instances (multi-AZ) deployed with a one-instance canary,
    /// hourly model monitoring.
    /// </summary>
    public static PipelineSettings Production { get; } = new()
    {
        Profile = PipelineProfile.Production,
        Prefix = DefaultPrefix,
        Network = new NetworkSettings { AzCount = 3, ClientEndpoints = true, Tracing = true },
        Stream = new StreamSettings
        {
            Mode = StreamCapacityMode.Provisioned,
            RetentionHours = 168,
            RecordsPerSecond = 2000,
            AverageRecordSizeKiB = 1,
            Consumers = 2,
            // ceil(1.25 x max(1.95, 1.95, 2.0)) = 3 shards: the 2,000 records/s peak uses 67 % of the record limit.
            HeadroomFactor = Sizing.ShardSizing.DefaultHeadroomFactor,
            ShardQuota = DefaultShardQuota,
        },
        Delivery = new DeliverySettings
        {
            // Larger, rarer Parquet files: cheaper Athena scans and training reads.
            BufferIntervalSeconds = 300,
            BufferSizeMiB = 128,
            TransformBufferSizeMiB = 3,
            TransformBufferIntervalSeconds = 60,
        },
        Training = new TrainingSettings
        {
            InstanceType = "ml.m5.xlarge",
            InstanceCount = 1,
            Schedule = "cron(0 3 ? * SUN *)",
            LookbackDays = 30,
            MinimumRows = 50_000,
            MinimumPositives = 100,
            ValidationFraction = 0.2,
            ScalePosWeight = null,
            MaxRuntimeMinutes = 60,
            UseSpot = true,
            // 30 minutes to find spot capacity. Tuning runs 20 jobs 4 at a time: 5 x 90 + 30 = 480 minutes at most.
            MaxWaitMinutes = 90,
            MinimumAuc = 0.85,
            RegressionTolerance = 0.01,
            // A person approves production models in the model registry.
            AutoApprove = false,
            ExecutionTimeoutMinutes = 480,
            Tuning = DefaultTuning(maxJobs: 20, maxParallelJobs: 4),
        },
        Endpoint = new EndpointSettings
        {
            InstanceType = "ml.m5.large",
            MinInstances = 2,
            MaxInstances = 6,
            MaxRpsPerInstance = 20,
            SafetyFactor = DefaultSafetyFactor,
            ScaleInCooldownSeconds = DefaultScaleInCooldownSeconds,
            ScaleOutCooldownSeconds = DefaultScaleOutCooldownSeconds,
            // Canary of 50 % of the two-instance minimum: one instance takes traffic for 10 minutes before the rest
            // shifts; the blue fleet stays 15 minutes more so an alarm can still roll back. 120 minutes covers both waits
            // plus provisioning the green fleet.
            CanaryPercent = 50,
            CanaryWaitMinutes = 10,
            TerminationWaitMinutes = 15,
            MaximumExecutionTimeoutMinutes = 120,
            EncryptVolume = true,
            DataCapturePercent = 20,
        },
        Alarms = new AlarmSettings { Email = null, IteratorAgeMinutes = 10, EndpointLatencyP99Ms = 300 },
        Retention = new RetentionSettings { LogDays = 731, RawDataDays = 365, ErrorDataDays = 90, NoncurrentVersionDays = 30 },
        // Still opt-in: the account may already have catalog encryption owned by a platform team. ~2 GiB per query,
        // the most CloudFormation can express (the cutoff is a 32-bit integer of bytes).
        Catalog = new CatalogSettings { ManageCatalogEncryption = false, BytesScannedCutoffMiB = 2047 },
        // As the sandbox: daily windows.
        Drift = new DriftSettings { Schedule = "cron(30 0 * * ? *)", WindowHours = 24, PsiWarn = 0.1, PsiAlarm = 0.2, MinimumRows = 100 },
        // A workflow function is invoked once at a time per execution; five covers overlapping runs and their retries.
        Functions = new FunctionSettings { ReservedConcurrency = 5 },
    };

    /// <summary>
    /// Tuning with the ranges both presets search: eta 0.05..0.5 (logarithmic), max_depth 3..9, min_child_weight 1..10,
    /// subsample 0.5..1 (within the ranges SageMaker recommends for tuning XGBoost).
    /// </summary>
    private static TuningSettings DefaultTuning(int maxJobs, int maxParallelJobs) => new()
    {
        Enabled = true,
        MaxJobs = maxJobs,
        MaxParallelJobs = maxParallelJobs,
        Eta = new HyperparameterRange { Min = 0.05, Max = 0.5, Scaling = HyperparameterScaling.Logarithmic, IsInteger = false },
        MaxDepth = new HyperparameterRange { Min = 3, Max = 9, Scaling = HyperparameterScaling.Linear, IsInteger = true },
        MinChildWeight = new HyperparameterRange { Min = 1, Max = 10, Scaling = HyperparameterScaling.Linear, IsInteger = false },
        Subsample = new HyperparameterRange { Min = 0.5, Max = 1, Scaling = HyperparameterScaling.Linear, IsInteger = false },
    };

    /// <summary>The preset for a profile.</summary>
    public static PipelineSettings For(PipelineProfile profile) => profile switch
    {
        PipelineProfile.Sandbox => Sandbox,
        PipelineProfile.Production => Production,
        _ => throw new ArgumentOutOfRangeException(nameof(profile), profile, "Unknown profile."),
    };
}
