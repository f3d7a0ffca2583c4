using System.Globalization;
using System.Text.RegularExpressions;

namespace Pipeline.Infra.Configuration;

/// <summary>How one context key is parsed and applied to the settings.</summary>
internal sealed record SettingDefinition(
    string Key,
    string Allowed,
    Func<PipelineSettings, string> Current,
    Func<PipelineSettings, string, (PipelineSettings? Result, ValueProblem? Problem)> Apply);

/// <summary>Why a value was refused: the kind of problem and one sentence saying what is wrong.</summary>
internal sealed record ValueProblem(ConfigurationErrorCode Code, string Text);

/// <summary>The table of every configurable key: its parser, its allowed values and how it changes the settings.</summary>
internal static partial class SettingDefinitions
{
    /// <summary>CloudWatch Logs retention values that are at least one year (Control Tower CT.CLOUDWATCH.PR.2).</summary>
    internal static readonly int[] LogRetentionDays = [365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

    /// <summary>Instance families SageMaker has retired or that are previous generation.</summary>
    private static readonly string[] RetiredFamilies = ["m4", "c4", "p2", "t2", "r4", "eia1", "eia2"];

    /// <summary>
    /// Training families the built-in XGBoost algorithm (<see cref="TrainingSettings.XgboostVersion"/>) runs on with CPUs
    /// (SageMaker also trains on m7i, c7i and r7i; this app was checked on these).
    /// XGBoost is memory-bound on CPU: general-purpose (m5, m6i) or memory-optimized (r5) families suit large data.
    /// </summary>
    internal static readonly string[] XgboostCpuFamilies = ["m5", "m6i", "c5", "c5n", "c6i", "r5", "r5d", "t3"];

    /// <summary>
    /// Real-time hosting families (ProductionVariant InstanceType) the XGBoost model serves on with CPUs: x86 general
    /// purpose, compute and memory optimized, with their local-NVMe d variants. XGBoost inference is light: ml.m5.large,
    /// ml.c5.large or ml.c6i.large are the cost-effective choices.
    /// </summary>
    internal static readonly string[] EndpointCpuFamilies =
        ["m5", "m5d", "m6i", "m7i", "c5", "c5d", "c6i", "c7i", "r5", "r5d", "r6i", "r7i"];

    /// <summary>GPU hosting families the XGBoost container serves on (NVIDIA, as for training: G4dn, G5).</summary>
    internal static readonly string[] EndpointGpuFamilies = ["g4dn", "g5"];

    /// <summary>
    /// SageMaker instance families with local NVMe instance storage, for which an EndpointConfig takes no KmsKeyId
    /// (CreateEndpointConfig: "You can't request a KmsKeyId when using an instance type with local storage"): the d
    /// variants of the CPU families, and the GPU and accelerator families whose instances carry NVMe SSDs.
    /// </summary>
    internal static readonly string[] LocalNvmeFamilies =
    [
        "m5d", "m6id", "c5d", "c6id", "r5d", "r6id", "g4dn", "g5", "g6", "g6e", "p3dn", "p4d", "p4de", "p5", "p5e", "p5en",
        "trn1", "trn1n",
    ];

    /// <summary>Largest canary SageMaker allows: CanarySize at most 50 % of the variant's instance count.</summary>
    internal const int MaxCanaryPercent = 50;

    /// <summary>WaitIntervalInSeconds and TerminationWaitInSeconds allow at most 3600 seconds.</summary>
    internal const int MaxDeploymentWaitMinutes = 60;

    /// <summary>MaximumExecutionTimeoutInSeconds allows 600 to 28800 seconds.</summary>
    internal const int MinDeploymentTimeoutMinutes = 10;

    /// <summary>MaximumExecutionTimeoutInSeconds allows 600 to 28800 seconds.</summary>
    internal const int MaxDeploymentTimeoutMinutes = 480;

    /// <summary>
    /// App bound on the target tracking cooldowns: Application Auto Scaling documents no range (Cooldown is a plain
    /// integer of seconds); an hour is already far slower than the endpoint's one-minute invocation metric.
    /// </summary>
    internal const int MaxCooldownSeconds = 3600;

    /// <summary>Most training instances one job may use (an app bound; the account's training quotas apply too).</summary>
    internal const int MaxTrainingInstanceCount = 20;

    /// <summary>Longest execution of a Step Functions Standard workflow: one year, in minutes.</summary>
    internal const int MaxExecutionTimeoutMinutes = 365 * 24 * 60;

    internal static IReadOnlyList<SettingDefinition> All { get; } =
    [
        new(ConfigurationKeys.Prefix, "3 to 20 characters: lowercase letters, digits and single hyphens, starting with a letter and not ending with a hyphen (e.g. mlpipe), not starting with sthree or amzn-s3-demo (S3 reserves bucket names starting with xn--, sthree- and amzn-s3-demo-, and the app's bucket names start with the prefix)",
            s => s.Prefix,
            (s, v) => !PrefixPattern().IsMatch(v) || v.Contains("--", StringComparison.Ordinal) ? Refuse(ConfigurationErrorCode.Malformed, "is not in the accepted form.")
                : PrefixNames.Problem(v) is { } problem ? Refuse(ConfigurationErrorCode.NotAllowed, problem)
                : (s with { Prefix = v }, null)),

        Int(ConfigurationKeys.AzCount, 1, 3, "a whole number from 1 to 3",
            s => s.Network.AzCount, (s, v) => s with { Network = s.Network with { AzCount = v } }),
        Bool(ConfigurationKeys.ClientEndpoints,
            s => s.Network.ClientEndpoints, (s, v) => s with { Network = s.Network with { ClientEndpoints = v } }),
        Bool(ConfigurationKeys.Tracing,
            s => s.Network.Tracing, (s, v) => s with { Network = s.Network with { Tracing = v } }),

        Choice(ConfigurationKeys.StreamMode, new Dictionary<string, StreamCapacityMode>(StringComparer.OrdinalIgnoreCase)
            {
                ["onDemand"] = StreamCapacityMode.OnDemand,
                ["provisioned"] = StreamCapacityMode.Provisioned,
            },
            s => s.Stream.Mode == StreamCapacityMode.OnDemand ? "onDemand" : "provisioned",
            (s, v) => s with { Stream = s.Stream with { Mode = v } }),
        Int(ConfigurationKeys.StreamRetentionHours, 24, 8760, "a whole number of hours from 24 to 8760 (365 days)",
            s => s.Stream.RetentionHours, (s, v) => s with { Stream = s.Stream with { RetentionHours = v } }),
        Number(ConfigurationKeys.StreamRecordsPerSecond, 0, 1_000_000, "a number of records per second from 0 to 1000000",
            s => s.Stream.RecordsPerSecond, (s, v) => s with { Stream = s.Stream with { RecordsPerSecond = v } }),
        Number(ConfigurationKeys.StreamAverageRecordSizeKiB, 0.001, 1000, "a size in KiB from 0.001 to 1000 (Firehose's record limit is 1,000 KiB)",
            s => s.Stream.AverageRecordSizeKiB, (s, v) => s with { Stream = s.Stream with { AverageRecordSizeKiB = v } }),
        Int(ConfigurationKeys.StreamConsumers, 1, 20, "a whole number of consumers from 1 to 20",
            s => s.Stream.Consumers, (s, v) => s with { Stream = s.Stream with { Consumers = v } }),
        Number(ConfigurationKeys.StreamHeadroomFactor, Sizing.ShardSizing.MinHeadroomFactor, Sizing.ShardSizing.MaxHeadroomFactor,
            "a factor from 1 (no headroom) to 4 multiplying the computed shard count before rounding up (1.25 keeps the peak at 80 % of the shard limits)",
            s => s.Stream.HeadroomFactor, (s, v) => s with { Stream = s.Stream with { HeadroomFactor = v } }),
        Int(ConfigurationKeys.StreamShardQuota, 1, 1_000_000,
            "a whole number of shards from 1 to 1000000: the account's Kinesis Data Streams shard quota in the target Region (Service Quotas console)",
            s => s.Stream.ShardQuota, (s, v) => s with { Stream = s.Stream with { ShardQuota = v } }),

        Int(ConfigurationKeys.DeliveryBufferIntervalSeconds, 60, 900, "a whole number of seconds from 60 to 900 (dynamic partitioning does not allow less than 60)",
            s => s.Delivery.BufferIntervalSeconds, (s, v) => s with { Delivery = s.Delivery with { BufferIntervalSeconds = v } }),
        Int(ConfigurationKeys.DeliveryBufferSizeMiB, 64, 128, "a whole number of MiB from 64 to 128 (Parquet conversion requires at least 64)",
            s => s.Delivery.BufferSizeMiB, (s, v) => s with { Delivery = s.Delivery with { BufferSizeMiB = v } }),
        Number(ConfigurationKeys.DeliveryTransformBufferSizeMiB, 0.2, 3, "a size in MiB from 0.2 to 3 (Firehose's limit for Lambda processors)",
            s => s.Delivery.TransformBufferSizeMiB, (s, v) => s with { Delivery = s.Delivery with { TransformBufferSizeMiB = v } }),
        Int(ConfigurationKeys.DeliveryTransformBufferIntervalSeconds, 0, 900, "a whole number of seconds from 0 to 900",
            s => s.Delivery.TransformBufferIntervalSeconds, (s, v) => s with { Delivery = s.Delivery with { TransformBufferIntervalSeconds = v } }),

        TrainingInstanceType(),
        Int(ConfigurationKeys.TrainingInstanceCount, 1, MaxTrainingInstanceCount,
            $"a whole number from 1 to {MaxTrainingInstanceCount}; more than 1 is distributed CPU training (the data is sharded across the instances), GPU instances train alone",
            s => s.Training.InstanceCount, (s, v) => s with { Training = s.Training with { InstanceCount = v } }),
        new(ConfigurationKeys.TrainingSchedule,
            "disabled, rate(<n> <unit>) with n >= 1 and unit minute, hour or day (plural when n > 1), or cron(minutes hours day-of-month month day-of-week year) with minutes 0-59, hours 0-23, day-of-month 1-31, month 1-12 or JAN-DEC, day-of-week 1-7 or SUN-SAT, year 1970-2199, and ? in exactly one of day-of-month and day-of-week; firing at least once more (not only on a date that does not exist, such as 31 February, nor only in past years) and never twice within training.executionTimeoutMinutes",
            s => s.Training.Schedule,
            (s, raw) => ScheduleExpression.Problem(raw) is { } problem
                ? (null, problem)
                : (s with { Training = s.Training with { Schedule = raw } }, null)),
        Int(ConfigurationKeys.TrainingMaxRuntimeMinutes, 10, 2880, "a whole number of minutes from 10 to 2880 (2 days)",
            s => s.Training.MaxRuntimeMinutes, (s, v) => s with { Training = s.Training with { MaxRuntimeMinutes = v } }),
        Bool(ConfigurationKeys.TrainingUseSpot,
            s => s.Training.UseSpot, (s, v) => s with { Training = s.Training with { UseSpot = v } }),
        Number(ConfigurationKeys.TrainingMinimumAuc, 0.5, 1, "a number from 0.5 (a coin toss) to 1",
            s => s.Training.MinimumAuc, (s, v) => s with { Training = s.Training with { MinimumAuc = v } }),
        Int(ConfigurationKeys.TrainingLookbackDays, 1, 365, "a whole number of days from 1 to 365: the training window is the last this many days",
            s => s.Training.LookbackDays, (s, v) => s with { Training = s.Training with { LookbackDays = v } }),
        Int(ConfigurationKeys.TrainingMinimumRows, 1, int.MaxValue, "a whole number of labelled rows, at least 1 (a run with fewer rows in the window stops before training)",
            s => s.Training.MinimumRows, (s, v) => s with { Training = s.Training with { MinimumRows = v } }),
        Int(ConfigurationKeys.TrainingMinimumPositives, 1, int.MaxValue, "a whole number of positive labels, at least 1 and at most training.minimumRows (a run with fewer positives stops before training)",
            s => s.Training.MinimumPositives, (s, v) => s with { Training = s.Training with { MinimumPositives = v } }),
        Number(ConfigurationKeys.TrainingValidationFraction, 0.05, 0.5, "a fraction from 0.05 to 0.5 of the window held out for validation",
            s => s.Training.ValidationFraction, (s, v) => s with { Training = s.Training with { ValidationFraction = v } }),
        new(ConfigurationKeys.TrainingScalePosWeight,
            "auto (the counted ratio of negative to positive rows in the window) or a number greater than 0 and at most 1000000",
            s => s.Training.ScalePosWeight is { } w ? w.ToString(CultureInfo.InvariantCulture) : "auto",
            (s, raw) =>
            {
                if (string.Equals(raw, "auto", StringComparison.OrdinalIgnoreCase))
                {
                    return (s with { Training = s.Training with { ScalePosWeight = null } }, null);
                }

                if (!double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) || !double.IsFinite(v))
                {
                    return Refuse(ConfigurationErrorCode.NotANumber, "is neither auto nor a number.");
                }

                return v is <= 0 or > 1_000_000 ? Refuse(ConfigurationErrorCode.OutOfRange, "is out of range.") : (s with { Training = s.Training with { ScalePosWeight = v } }, null);
            }),
        Int(ConfigurationKeys.TrainingMaxWaitMinutes, 10, 40_320,
            "a whole number of minutes from 10 to 40320 (28 days), at least training.maxRuntimeMinutes: the time a spot training job may spend waiting for capacity plus running; only with training.useSpot=true",
            s => s.Training.MaxWaitMinutes ?? 0, (s, v) => s with { Training = s.Training with { MaxWaitMinutes = v } })
            with { Current = s => s.Training.MaxWaitMinutes?.ToString(CultureInfo.InvariantCulture) ?? "none, without spot" },
        Number(ConfigurationKeys.TrainingRegressionTolerance, 0, 0.5, "a number from 0 to 0.5: how far below the current champion's validation AUC a new model's may be",
            s => s.Training.RegressionTolerance, (s, v) => s with { Training = s.Training with { RegressionTolerance = v } }),
        Bool(ConfigurationKeys.TrainingAutoApprove,
            s => s.Training.AutoApprove, (s, v) => s with { Training = s.Training with { AutoApprove = v } }),
        Int(ConfigurationKeys.TrainingExecutionTimeoutMinutes, 30, MaxExecutionTimeoutMinutes,
            $"a whole number of minutes from 30 to {MaxExecutionTimeoutMinutes} (one year, the Step Functions Standard limit), at least the worst-case training time plus {TrainingSettings.QueryAndRegistrationMinutes} minutes",
            s => s.Training.ExecutionTimeoutMinutes, (s, v) => s with { Training = s.Training with { ExecutionTimeoutMinutes = v } }),

        Bool(ConfigurationKeys.TuningEnabled,
            s => s.Training.Tuning.Enabled, (s, v) => s with { Training = s.Training with { Tuning = s.Training.Tuning with { Enabled = v } } }),
        Int(ConfigurationKeys.TuningMaxJobs, 1, 500, "a whole number of training jobs from 1 to 500 (SageMaker's default quota of training jobs per tuning job)",
            s => s.Training.Tuning.MaxJobs, (s, v) => s with { Training = s.Training with { Tuning = s.Training.Tuning with { MaxJobs = v } } }),
        Int(ConfigurationKeys.TuningMaxParallelJobs, 1, 100,
            "a whole number of training jobs from 1 to 100, at most training.tuning.maxJobs (SageMaker's default quota is 10 concurrent training jobs per tuning job, raisable to 100)",
            s => s.Training.Tuning.MaxParallelJobs, (s, v) => s with { Training = s.Training with { Tuning = s.Training.Tuning with { MaxParallelJobs = v } } }),
        Range(ConfigurationKeys.TuningEta, 0, minExclusive: true, 1, isInteger: false, HyperparameterScaling.Logarithmic,
            "min..max with 0 < min < max <= 1, e.g. 0.05..0.5 (XGBoost's eta lies in [0, 1]; the search is logarithmic, so min must be above 0)",
            s => s.Training.Tuning.Eta, (s, v) => s with { Training = s.Training with { Tuning = s.Training.Tuning with { Eta = v } } }),
        Range(ConfigurationKeys.TuningMaxDepth, 1, minExclusive: false, 20, isInteger: true, HyperparameterScaling.Linear,
            "min..max of whole numbers with 1 <= min < max <= 20, e.g. 3..9 (XGBoost's max_depth is an integer >= 0; 0 means no limit, which only the lossguide policy allows, and deeper trees overfit and need exponentially more memory)",
            s => s.Training.Tuning.MaxDepth, (s, v) => s with { Training = s.Training with { Tuning = s.Training.Tuning with { MaxDepth = v } } }),
        Range(ConfigurationKeys.TuningMinChildWeight, 0, minExclusive: false, 120, isInteger: false, HyperparameterScaling.Linear,
            "min..max with 0 <= min < max <= 120, e.g. 1..10 (XGBoost's min_child_weight is >= 0; SageMaker recommends tuning it within 0..120)",
            s => s.Training.Tuning.MinChildWeight, (s, v) => s with { Training = s.Training with { Tuning = s.Training.Tuning with { MinChildWeight = v } } }),
        Range(ConfigurationKeys.TuningSubsample, 0, minExclusive: true, 1, isInteger: false, HyperparameterScaling.Linear,
            "min..max with 0 < min < max <= 1, e.g. 0.5..1 (XGBoost's subsample lies in (0, 1])",
            s => s.Training.Tuning.Subsample, (s, v) => s with { Training = s.Training with { Tuning = s.Training.Tuning with { Subsample = v } } }),

        EndpointInstanceType(),
        Int(ConfigurationKeys.EndpointMinInstances, 1, 20, "a whole number from 1 to 20, at most endpoint.maxInstances (production: at least 2); also the initial instance count",
            s => s.Endpoint.MinInstances, (s, v) => s with { Endpoint = s.Endpoint with { MinInstances = v } }),
        Int(ConfigurationKeys.EndpointMaxInstances, 1, 20, "a whole number from 1 to 20",
            s => s.Endpoint.MaxInstances, (s, v) => s with { Endpoint = s.Endpoint with { MaxInstances = v } }),
        Number(ConfigurationKeys.EndpointMaxRpsPerInstance, 0.1, 10_000, "a number of requests per second from 0.1 to 10000",
            s => s.Endpoint.MaxRpsPerInstance, (s, v) => s with { Endpoint = s.Endpoint with { MaxRpsPerInstance = v } }),
        Number(ConfigurationKeys.EndpointSafetyFactor, double.Epsilon, 1,
            "a number greater than 0 and at most 1: the share of the load-tested MAX_RPS the scaling aims for, target = MAX_RPS x safetyFactor x 60 invocations per instance per minute (SageMaker recommends starting at 0.5)",
            s => s.Endpoint.SafetyFactor, (s, v) => s with { Endpoint = s.Endpoint with { SafetyFactor = v } }),
        Int(ConfigurationKeys.EndpointScaleInCooldownSeconds, 0, MaxCooldownSeconds,
            $"a whole number of seconds from 0 to {MaxCooldownSeconds}: the wait after a scale-in before the next one (scale in slowly; 300 is the Application Auto Scaling default for SageMaker variants)",
            s => s.Endpoint.ScaleInCooldownSeconds, (s, v) => s with { Endpoint = s.Endpoint with { ScaleInCooldownSeconds = v } }),
        Int(ConfigurationKeys.EndpointScaleOutCooldownSeconds, 0, MaxCooldownSeconds,
            $"a whole number of seconds from 0 to {MaxCooldownSeconds}: the wait after a scale-out before the next one",
            s => s.Endpoint.ScaleOutCooldownSeconds, (s, v) => s with { Endpoint = s.Endpoint with { ScaleOutCooldownSeconds = v } }),
        Int(ConfigurationKeys.EndpointCanaryPercent, 0, MaxCanaryPercent,
            $"a whole percentage of the fleet from 1 to {MaxCanaryPercent} for a blue/green canary (SageMaker allows a canary of at most half the instances), at least one instance of endpoint.minInstances; or 0 to shift all traffic at once",
            s => s.Endpoint.CanaryPercent, (s, v) => s with { Endpoint = s.Endpoint with { CanaryPercent = v } }),
        Int(ConfigurationKeys.EndpointCanaryWaitMinutes, 0, MaxDeploymentWaitMinutes,
            $"a whole number of minutes from 0 to {MaxDeploymentWaitMinutes} (WaitIntervalInSeconds allows 0 to 3600 seconds): how long the canary, or with endpoint.canaryPercent=0 the whole new fleet, runs before the next step",
            s => s.Endpoint.CanaryWaitMinutes, (s, v) => s with { Endpoint = s.Endpoint with { CanaryWaitMinutes = v } }),
        Int(ConfigurationKeys.EndpointTerminationWaitMinutes, 0, MaxDeploymentWaitMinutes,
            $"a whole number of minutes from 0 to {MaxDeploymentWaitMinutes} (TerminationWaitInSeconds allows 0 to 3600 seconds): how long the old fleet is kept after the traffic has shifted",
            s => s.Endpoint.TerminationWaitMinutes, (s, v) => s with { Endpoint = s.Endpoint with { TerminationWaitMinutes = v } }),
        Int(ConfigurationKeys.EndpointMaximumExecutionTimeoutMinutes, MinDeploymentTimeoutMinutes, MaxDeploymentTimeoutMinutes,
            $"a whole number of minutes from {MinDeploymentTimeoutMinutes} to {MaxDeploymentTimeoutMinutes} (MaximumExecutionTimeoutInSeconds allows 600 to 28800 seconds), longer than endpoint.canaryWaitMinutes + endpoint.terminationWaitMinutes",
            s => s.Endpoint.MaximumExecutionTimeoutMinutes, (s, v) => s with { Endpoint = s.Endpoint with { MaximumExecutionTimeoutMinutes = v } }),
        Bool(ConfigurationKeys.EndpointEncryptVolume,
            s => s.Endpoint.EncryptVolume, (s, v) => s with { Endpoint = s.Endpoint with { EncryptVolume = v } }),
        Int(ConfigurationKeys.EndpointDataCapturePercent, 0, 100, "a whole percentage from 0 to 100 (DataCaptureConfig InitialSamplingPercentage)",
            s => s.Endpoint.DataCapturePercent, (s, v) => s with { Endpoint = s.Endpoint with { DataCapturePercent = v } }),

        Text(ConfigurationKeys.AlarmEmail, "an e-mail address such as ops@example.com (at most 254 characters; no leading, trailing or consecutive dots; domain labels of letters, digits and inner hyphens), or an empty value for no subscription",
            s => s.Alarms.Email ?? "no subscription",
            (s, v) => v.Length == 0 ? s with { Alarms = s.Alarms with { Email = null } }
                : IsValidEmail(v) ? s with { Alarms = s.Alarms with { Email = v } } : null),
        Int(ConfigurationKeys.AlarmIteratorAgeMinutes, 1, 262_800, "a whole number of minutes, at most half the stream retention",
            s => s.Alarms.IteratorAgeMinutes, (s, v) => s with { Alarms = s.Alarms with { IteratorAgeMinutes = v } }),
        Int(ConfigurationKeys.AlarmEndpointLatencyP99Ms, 1, 60_000, "a whole number of milliseconds from 1 to 60000",
            s => s.Alarms.EndpointLatencyP99Ms, (s, v) => s with { Alarms = s.Alarms with { EndpointLatencyP99Ms = v } }),

        OneOf(ConfigurationKeys.RetentionLogDays, LogRetentionDays,
            "one of the CloudWatch Logs retention values of at least a year (Control Tower CT.CLOUDWATCH.PR.2): " + string.Join(", ", LogRetentionDays),
            s => s.Retention.LogDays, (s, v) => s with { Retention = s.Retention with { LogDays = v } }),
        Int(ConfigurationKeys.RetentionRawDataDays, 1, 3650, "a whole number of days from 1 to 3650",
            s => s.Retention.RawDataDays, (s, v) => s with { Retention = s.Retention with { RawDataDays = v } }),
        Int(ConfigurationKeys.RetentionErrorDataDays, 1, 3650, "a whole number of days from 1 to 3650",
            s => s.Retention.ErrorDataDays, (s, v) => s with { Retention = s.Retention with { ErrorDataDays = v } }),
        Int(ConfigurationKeys.RetentionNoncurrentVersionDays, 1, 365, "a whole number of days from 1 to 365",
            s => s.Retention.NoncurrentVersionDays, (s, v) => s with { Retention = s.Retention with { NoncurrentVersionDays = v } }),

        Bool(ConfigurationKeys.CatalogManageEncryption,
            s => s.Catalog.ManageCatalogEncryption, (s, v) => s with { Catalog = s.Catalog with { ManageCatalogEncryption = v } }),
        Int(ConfigurationKeys.CatalogBytesScannedCutoffMiB, 10, 2047, "a whole number of MiB from 10 (Athena's minimum) to 2047 (CloudFormation takes the cutoff as a 32-bit integer of bytes)",
            s => s.Catalog.BytesScannedCutoffMiB, (s, v) => s with { Catalog = s.Catalog with { BytesScannedCutoffMiB = v } }),

        new(ConfigurationKeys.DriftSchedule,
            "disabled (drift runs start on demand only), rate(<n> <unit>) with n >= 1 and unit minute, hour or day (plural when n > 1), or cron(minutes hours day-of-month month day-of-week year) as for training.schedule; firing at least once more and at most once an hour (a drift run may take an hour)",
            s => s.Drift.Schedule,
            (s, raw) => ScheduleExpression.Problem(raw) is { } problem
                ? (null, problem)
                : (s with { Drift = s.Drift with { Schedule = raw } }, null)),
        Int(ConfigurationKeys.DriftWindowHours, 1, 168, "a whole number of hours from 1 to 168 (a week): each drift run judges the requests captured in this many hours before its start",
            s => s.Drift.WindowHours, (s, v) => s with { Drift = s.Drift with { WindowHours = v } }),
        Number(ConfigurationKeys.DriftPsiWarn, 0.01, 10, "a PSI from 0.01 to 10, below drift.psiAlarm (0.1 is the customary moderate shift)",
            s => s.Drift.PsiWarn, (s, v) => s with { Drift = s.Drift with { PsiWarn = v } }),
        Number(ConfigurationKeys.DriftPsiAlarm, 0.01, 10, "a PSI from 0.01 to 10, above drift.psiWarn (0.2 is the customary significant shift)",
            s => s.Drift.PsiAlarm, (s, v) => s with { Drift = s.Drift with { PsiAlarm = v } }),
        Int(ConfigurationKeys.DriftMinimumRows, 10, 100_000_000, "a whole number of captured requests from 10 to 100000000: a smaller window is reported as insufficient, never as drift",
            s => s.Drift.MinimumRows, (s, v) => s with { Drift = s.Drift with { MinimumRows = v } }),
        Int(ConfigurationKeys.FunctionsReservedConcurrency, 0, 1000,
            "a whole number from 0 (reserve none) to 1000: concurrent executions reserved for each of the prepare-run, evaluate and drift functions; Lambda keeps at least 100 of the account's quota unreserved, so the account's quota must exceed 100 plus three times this",
            s => s.Functions.ReservedConcurrency, (s, v) => s with { Functions = s.Functions with { ReservedConcurrency = v } }),
    ];

    /// <summary>
    /// A deliberately plain address check (RFC 5321 lengths, dot-atom local part, hostname labels): enough to catch
    /// typos such as <c>a@b..c</c> before SNS rejects the subscription at deploy time.
    /// </summary>
    internal static bool IsValidEmail(string value)
    {
        var at = value.LastIndexOf('@');
        return value.Length <= 254 && at is > 0 and <= 64 && EmailLocalPattern().IsMatch(value[..at])
            && EmailDomainPattern().IsMatch(value[(at + 1)..]);
    }

    private static SettingDefinition Int(string key, int min, int max, string allowed,
        Func<PipelineSettings, int> current, Func<PipelineSettings, int, PipelineSettings> apply) =>
        new(key, allowed, s => current(s).ToString(CultureInfo.InvariantCulture), (s, raw) =>
        {
            if (!int.TryParse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v))
            {
                return NotAWholeNumber(raw);
            }

            return v < min || v > max ? Refuse(ConfigurationErrorCode.OutOfRange, "is out of range.") : (apply(s, v), null);
        });

    private static SettingDefinition OneOf(string key, int[] values, string allowed,
        Func<PipelineSettings, int> current, Func<PipelineSettings, int, PipelineSettings> apply) =>
        new(key, allowed, s => current(s).ToString(CultureInfo.InvariantCulture), (s, raw) =>
        {
            if (!int.TryParse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v))
            {
                return NotAWholeNumber(raw);
            }

            return Array.IndexOf(values, v) < 0 ? Refuse(ConfigurationErrorCode.NotAllowed, "is not an accepted value.") : (apply(s, v), null);
        });

    private static SettingDefinition Number(string key, double min, double max, string allowed,
        Func<PipelineSettings, double> current, Func<PipelineSettings, double, PipelineSettings> apply) =>
        new(key, allowed, s => current(s).ToString(CultureInfo.InvariantCulture), (s, raw) =>
        {
            if (!double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) || !double.IsFinite(v))
            {
                // .NET parses an overlong number such as 1e400 as infinity: say it is too large, not that it is no number.
                return double.IsInfinity(v) && raw.Any(char.IsAsciiDigit)
                    ? Refuse(ConfigurationErrorCode.OutOfRange, "is too large for a number (beyond ±1.7976931348623157E+308).")
                    : Refuse(ConfigurationErrorCode.NotANumber, "is not a number.");
            }

            // -0 parses as negative zero, which prints as "-0" in a template: it is 0.
            v += 0.0;
            return v < min || v > max ? Refuse(ConfigurationErrorCode.OutOfRange, "is out of range.") : (apply(s, v), null);
        });

    private static SettingDefinition Bool(string key,
        Func<PipelineSettings, bool> current, Func<PipelineSettings, bool, PipelineSettings> apply) =>
        new(key, "true or false", s => current(s) ? "true" : "false", (s, raw) =>
            bool.TryParse(raw, out var v) ? (apply(s, v), null) : Refuse(ConfigurationErrorCode.NotAllowed, "is not a boolean."));

    private static SettingDefinition Choice<T>(string key, Dictionary<string, T> choices,
        Func<PipelineSettings, string> current, Func<PipelineSettings, T, PipelineSettings> apply) =>
        new(key, string.Join(", ", choices.Keys), current, (s, raw) =>
            choices.TryGetValue(raw, out var v) ? (apply(s, v), null) : Refuse(ConfigurationErrorCode.NotAllowed, "is not a known value."));

    private static SettingDefinition Text(string key, string allowed,
        Func<PipelineSettings, string> current, Func<PipelineSettings, string, PipelineSettings?> apply) =>
        new(key, allowed, current, (s, raw) =>
        {
            var result = apply(s, raw);
            return result is null ? Refuse(ConfigurationErrorCode.Malformed, "is not in the accepted form.") : (result, null);
        });

    /// <summary>
    /// The training instance type: a value of SageMaker's TrainingInstanceType enum
    /// (<see cref="SageMakerInstanceTypes.Training"/>) of a CPU family the built-in XGBoost algorithm trains on
    /// (<see cref="XgboostCpuFamilies"/>). GPU types are refused: the pipeline sets no GPU tree method.
    /// </summary>
    private static SettingDefinition TrainingInstanceType()
    {
        var allowed = $"a SageMaker training instance type (the TrainingInstanceType list of the SageMaker API) of a CPU family the built-in XGBoost algorithm ({TrainingSettings.XgboostVersion}) trains on: "
            + $"{Group(XgboostTrainingTypes)} (XGBoost is memory-bound: ml.m5.xlarge, or ml.r5 for data that needs more memory); no GPU types, XGBoost trains on CPU here";
        return new(ConfigurationKeys.TrainingInstanceType, allowed, s => s.Training.InstanceType, (s, raw) =>
        {
            var (family, problem) = OfferedInstanceType(raw, SageMakerInstanceTypes.Training, "training", SageMakerInstanceTypes.RealTimeHosting, "real-time hosting");
            if (problem is not null)
            {
                return (null, problem);
            }

            if (IsGpuFamily(family))
            {
                // XGBoost 1.7-1 uses GPUs only with tree_method=gpu_hist, which neither the configuration nor the training
                // workflow sets (src/Pipeline.Training/XgboostHyperparameters.cs): the job would run on the CPUs.
                return Refuse(ConfigurationErrorCode.NotAllowed, $"is a GPU instance type, and XGBoost trains on CPU here: the pipeline sets no GPU tree method (tree_method=gpu_hist), so the job would run on the instance's CPUs while paying for its GPUs.");
            }

            return Array.IndexOf(XgboostCpuFamilies, family) >= 0
                ? (s with { Training = s.Training with { InstanceType = raw } }, null)
                : Refuse(ConfigurationErrorCode.NotAllowed, $"uses the instance family {family}, which the pipeline does not train XGBoost on: it trains on the CPU families {string.Join(", ", XgboostCpuFamilies)} (AWS Trainium and the other accelerators are not supported).");
        });
    }

    /// <summary>
    /// The endpoint instance type: a value of SageMaker's ProductionVariantInstanceType enum
    /// (<see cref="SageMakerInstanceTypes.RealTimeHosting"/>) of a family the XGBoost model serves on
    /// (<see cref="EndpointCpuFamilies"/>, <see cref="EndpointGpuFamilies"/>).
    /// </summary>
    private static SettingDefinition EndpointInstanceType()
    {
        var allowed = "a SageMaker real-time hosting instance type (the ProductionVariantInstanceType list of the SageMaker API) of a family the XGBoost model serves on: "
            + $"CPU {Group(EndpointHostingTypes.Where(t => Array.IndexOf(EndpointCpuFamilies, FamilyOf(t)) >= 0))} (ml.m5.large, ml.c5.large or ml.c6i.large are the cost-effective choices), "
            + $"or GPU {Group(EndpointHostingTypes.Where(t => Array.IndexOf(EndpointGpuFamilies, FamilyOf(t)) >= 0))} (rarely worth it for one XGBoost model); "
            + "types with local NVMe storage (the d variants, g4dn, g5) need endpoint.encryptVolume=false";
        return new(ConfigurationKeys.EndpointInstanceType, allowed, s => s.Endpoint.InstanceType, (s, raw) =>
        {
            var (family, problem) = OfferedInstanceType(raw, SageMakerInstanceTypes.RealTimeHosting, "real-time hosting", SageMakerInstanceTypes.Training, "training");
            if (problem is not null)
            {
                return (null, problem);
            }

            return Array.IndexOf(EndpointCpuFamilies, family) >= 0 || Array.IndexOf(EndpointGpuFamilies, family) >= 0
                ? (s with { Endpoint = s.Endpoint with { InstanceType = raw } }, null)
                : Refuse(ConfigurationErrorCode.NotAllowed, $"uses the instance family {family}, which is not a real-time hosting family the XGBoost model serves on: it needs x86 CPUs or NVIDIA GPUs of the G4dn or G5 families (Graviton, Inferentia, Trainium and the large training GPUs are not supported).");
        });
    }

    /// <summary>The training types the pipeline accepts: SageMaker's training list, XGBoost CPU families only.</summary>
    internal static IReadOnlyList<string> XgboostTrainingTypes =>
        SageMakerInstanceTypes.Training.Where(t => Array.IndexOf(XgboostCpuFamilies, FamilyOf(t)) >= 0).ToArray();

    /// <summary>The hosting types of the families the XGBoost model serves on.</summary>
    private static IReadOnlyList<string> EndpointHostingTypes =>
        SageMakerInstanceTypes.RealTimeHosting.Where(t => Array.IndexOf(EndpointCpuFamilies, FamilyOf(t)) >= 0 || Array.IndexOf(EndpointGpuFamilies, FamilyOf(t)) >= 0).ToArray();

    /// <summary>Instance types grouped by family, in the order given: <c>ml.m5.{large, xlarge}, ml.c5.{xlarge}</c>.</summary>
    private static string Group(IEnumerable<string> types) =>
        string.Join(", ", types.GroupBy(FamilyOf).Select(g => $"ml.{g.Key}.{{{string.Join(", ", g.Select(SizeOf).OrderBy(SizeRank))}}}"));

    /// <summary>Orders sizes from the smallest: medium, large, xlarge, 2xlarge, ... 48xlarge.</summary>
    private static int SizeRank(string size) => size switch
    {
        "medium" => 0,
        "large" => 1,
        "xlarge" => 2,
        _ => 2 + int.Parse(size[..^"xlarge".Length], CultureInfo.InvariantCulture),
    };

    private static string FamilyOf(string type) => type.Split('.')[1];

    private static string SizeOf(string type) => type.Split('.')[2];

    /// <summary>GPU families: SageMaker's G (graphics) and P (accelerated computing) instance families.</summary>
    private static bool IsGpuFamily(string family) => family[0] is 'g' or 'p';

    /// <summary>
    /// The family of an instance type that SageMaker offers for the use (it is in <paramref name="offered"/>), or why not:
    /// not an instance type, a retired family, a size the family does not have, or a type offered only for the other use.
    /// </summary>
    private static (string Family, ValueProblem? Problem) OfferedInstanceType(string raw, string[] offered, string use, string[] other, string otherUse)
    {
        var (family, problem) = CurrentInstanceFamily(raw);
        if (problem is not null || Array.IndexOf(offered, raw) >= 0)
        {
            return (family, problem);
        }

        var sizes = offered.Where(t => FamilyOf(t) == family).Select(SizeOf).OrderBy(SizeRank).ToList();
        if (sizes.Count > 0)
        {
            return (family, new(ConfigurationErrorCode.NotAllowed, $"is not offered for {use}: SageMaker has no {use} instance of size {SizeOf(raw)} in the {family} family, only {string.Join(", ", sizes)}."));
        }

        if (Array.IndexOf(other, raw) >= 0 || other.Any(t => FamilyOf(t) == family))
        {
            return (family, new(ConfigurationErrorCode.NotAllowed, $"is not offered for {use}: SageMaker offers the {family} family only for {otherUse}."));
        }

        return (family, new(ConfigurationErrorCode.NotAllowed, $"is not a SageMaker instance type: the family {family} is in neither the training nor the real-time hosting list of the SageMaker API."));
    }

    /// <summary>The family of an instance type <c>ml.family.size</c>, or why it is not one of a current family.</summary>
    private static (string Family, ValueProblem? Problem) CurrentInstanceFamily(string raw)
    {
        var match = InstanceTypePattern().Match(raw);
        if (!match.Success)
        {
            return (string.Empty, new(ConfigurationErrorCode.Malformed, "is not a SageMaker instance type (ml.<family>.<size>)."));
        }

        var family = match.Groups["family"].Value;
        return Array.IndexOf(RetiredFamilies, family) >= 0
            ? (family, new(ConfigurationErrorCode.NotAllowed, $"uses the retired or previous-generation family {family}."))
            : (family, null);
    }

    /// <summary>True when the instance type (<c>ml.family.size</c>) belongs to a family with local NVMe instance storage.</summary>
    internal static bool HasLocalNvmeStorage(string instanceType)
    {
        var match = InstanceTypePattern().Match(instanceType ?? string.Empty);
        return match.Success && Array.IndexOf(LocalNvmeFamilies, match.Groups["family"].Value) >= 0;
    }

    /// <summary>A hyperparameter range written <c>min..max</c>, both bounds within [lower, upper] (lower excluded when asked).</summary>
    private static SettingDefinition Range(string key, double lower, bool minExclusive, double upper, bool isInteger,
        HyperparameterScaling scaling, string allowed,
        Func<PipelineSettings, HyperparameterRange> current, Func<PipelineSettings, HyperparameterRange, PipelineSettings> apply) =>
        new(key, allowed, s => current(s).ToString(), (s, raw) =>
        {
            var match = RangePattern().Match(raw);
            if (!match.Success
                || !double.TryParse(match.Groups["min"].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var min)
                || !double.TryParse(match.Groups["max"].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var max)
                || !double.IsFinite(min) || !double.IsFinite(max))
            {
                return Refuse(ConfigurationErrorCode.Malformed, "is not a range of two numbers written min..max.");
            }

            if (isInteger && (min != Math.Floor(min) || max != Math.Floor(max)))
            {
                return Refuse(ConfigurationErrorCode.NotANumber, "has a bound that is not a whole number; this hyperparameter is an integer.");
            }

            if (min >= max)
            {
                return Refuse(ConfigurationErrorCode.Malformed, "has a minimum that is not below its maximum.");
            }

            return (minExclusive ? min <= lower : min < lower) || max > upper
                ? Refuse(ConfigurationErrorCode.OutOfRange, "has a bound outside the hyperparameter's valid range.")
                : (apply(s, new HyperparameterRange { Min = min, Max = max, Scaling = scaling, IsInteger = isInteger }), null);
        });

    /// <summary>Why a value is not an <see cref="int"/>: a whole number beyond its range says so.</summary>
    private static (PipelineSettings? Result, ValueProblem? Problem) NotAWholeNumber(string raw)
    {
        if (double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && !double.IsNaN(v) && raw.Any(char.IsAsciiDigit))
        {
            if (v > int.MaxValue)
            {
                return Refuse(ConfigurationErrorCode.OutOfRange, $"is too large for a whole number (at most {int.MaxValue.ToString(CultureInfo.InvariantCulture)}).");
            }

            if (v < int.MinValue)
            {
                return Refuse(ConfigurationErrorCode.OutOfRange, $"is too small for a whole number (at least {int.MinValue.ToString(CultureInfo.InvariantCulture)}).");
            }
        }

        return Refuse(ConfigurationErrorCode.NotANumber, "is not a whole number.");
    }

    private static (PipelineSettings? Result, ValueProblem? Problem) Refuse(ConfigurationErrorCode code, string problem) =>
        (null, new ValueProblem(code, problem));

    [GeneratedRegex("^[a-z][a-z0-9-]{1,18}[a-z0-9]$", RegexOptions.CultureInvariant)]
    private static partial Regex PrefixPattern();

    // Dot-atom: atext runs separated by single dots, none at either end.
    [GeneratedRegex(@"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$", RegexOptions.CultureInvariant)]
    private static partial Regex EmailLocalPattern();

    // Two or more labels of 1-63 letters, digits and inner hyphens; the top-level label is letters only.
    [GeneratedRegex(@"^([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex EmailDomainPattern();

    // Two plain decimal numbers (no sign on the maximum, no exponent) joined by two dots, e.g. 0.05..0.5 or 3..9.
    [GeneratedRegex(@"^(?<min>-?[0-9]+(\.[0-9]+)?)\s*\.\.\s*(?<max>-?[0-9]+(\.[0-9]+)?)$", RegexOptions.CultureInvariant)]
    private static partial Regex RangePattern();

    [GeneratedRegex(@"^ml\.(?<family>[a-z]+[0-9]+[a-z0-9-]*)\.(?<size>medium|large|xlarge|[0-9]+xlarge)$", RegexOptions.CultureInvariant)]
    private static partial Regex InstanceTypePattern();

}
