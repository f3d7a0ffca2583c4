namespace Pipeline.Infra.Constructs.Training;

/// <summary>
/// What a training run does apart from the resources it uses: its jobs (instances, volume, limits, spot), whether and
/// how it tunes, the inference instance type the registered model declares, and the bound on one execution.
/// </summary>
public sealed record TrainingRunOptions
{
    /// <summary>Training instance type, e.g. <c>ml.m5.xlarge</c>.</summary>
    public required string InstanceType { get; init; }

    /// <summary>Training instances per job.</summary>
    public required int InstanceCount { get; init; }

    /// <summary>Training volume per instance, in GB.</summary>
    /// <value>Default: 30 GB: the channels are small CSV files; XGBoost holds them in memory.</value>
    public int VolumeSizeGb { get; init; } = 30;

    /// <summary>
    /// Whether the training volumes are encrypted with the models key. False for instance types with local NVMe storage,
    /// which is encrypted in hardware and for which SageMaker refuses a volume key (CreateTrainingJob,
    /// ResourceConfig.VolumeKmsKeyId).
    /// </summary>
    public required bool EncryptVolume { get; init; }

    /// <summary>Longest a job may train, in seconds.</summary>
    public required int MaxRuntimeSeconds { get; init; }

    /// <summary>Longest a spot job may wait and train, in seconds.</summary>
    /// <value>Default: null: jobs train on demand, without spot.</value>
    public int? MaxWaitSeconds { get; init; }

    /// <summary>Whether runs tune hyperparameters unless the execution input says otherwise.</summary>
    public required bool TuneByDefault { get; init; }

    /// <summary>Training jobs per tuning job.</summary>
    public required int TuningMaxJobs { get; init; }

    /// <summary>Training jobs of a tuning job that run at once.</summary>
    public required int TuningMaxParallelJobs { get; init; }

    /// <summary>Continuous ranges: name → (min, max, scaling).</summary>
    public required IReadOnlyList<(string Name, double Min, double Max, string Scaling)> ContinuousRanges { get; init; }

    /// <summary>Integer ranges: name → (min, max).</summary>
    public required IReadOnlyList<(string Name, int Min, int Max)> IntegerRanges { get; init; }

    /// <summary>The names of the tuned hyperparameters, in ordinal order.</summary>
    public IReadOnlyList<string> TunedHyperparameters =>
        [.. ContinuousRanges.Select(r => r.Name).Concat(IntegerRanges.Select(r => r.Name)).Order(StringComparer.Ordinal)];

    /// <summary>Endpoint instance type the registered model declares for real-time inference.</summary>
    public required string InferenceInstanceType { get; init; }

    /// <summary>The bound on one execution, in seconds.</summary>
    public required int TimeoutSeconds { get; init; }
}
