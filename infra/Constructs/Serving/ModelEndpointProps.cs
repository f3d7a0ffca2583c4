using Amazon.CDK;
using Amazon.CDK.AWS.CloudWatch;
using Amazon.CDK.AWS.EC2;
using Amazon.CDK.AWS.KMS;
using Pipeline.Infra.Constructs.SageMaker;

namespace Pipeline.Infra.Constructs.Serving;

/// <summary>Properties of <see cref="ModelEndpoint"/>.</summary>
public sealed record ModelEndpointProps
{
    /// <summary>ARN of the model package the endpoint serves (usually a stack parameter).</summary>
    public required string ModelPackageArn { get; init; }

    /// <summary>
    /// The condition every serving resource is created under (a model package is given); null to create them always.
    /// </summary>
    /// <value>Default: no condition.</value>
    public CfnCondition? Condition { get; init; }

    /// <summary>
    /// The condition auto scaling is attached under. SageMaker refuses an endpoint update that changes the instance type
    /// of a variant registered with Application Auto Scaling, so such a change is made with scaling detached.
    /// </summary>
    /// <value>Default: <see cref="Condition"/>.</value>
    public CfnCondition? ScalingCondition { get; init; }

    /// <summary>The endpoint's name (clients call it by name, so it is stable across model updates).</summary>
    public required string EndpointName { get; init; }

    /// <summary>Instance type of the production variant, e.g. <c>ml.m5.large</c> (large, xlarge or Nxlarge).</summary>
    public required string InstanceType { get; init; }

    /// <summary>
    /// Instances the variant keeps at least, and starts with: the scalable target's minimum, so every fleet a deployment
    /// meets has at least this many.
    /// </summary>
    public required int MinInstances { get; init; }

    /// <summary>Instances auto scaling may reach.</summary>
    public required int MaxInstances { get; init; }

    /// <summary>Invocations per instance per minute target tracking aims for (<c>SageMakerVariantInvocationsPerInstance</c>).</summary>
    public required double TargetInvocationsPerInstance { get; init; }

    /// <summary>Seconds after a scale-in before another scale-in may start.</summary>
    public required int ScaleInCooldownSeconds { get; init; }

    /// <summary>Seconds after a scale-out before another scale-out may start.</summary>
    public required int ScaleOutCooldownSeconds { get; init; }

    /// <summary>
    /// Percentage of the fleet a blue/green deployment shifts to first (a canary), 1 to 50; 0 shifts all traffic at once,
    /// still with the alarms' auto-rollback.
    /// </summary>
    public required int CanaryPercent { get; init; }

    /// <summary>Minutes the canary (or, without one, the new fleet) runs before the deployment goes on.</summary>
    public required int CanaryWaitMinutes { get; init; }

    /// <summary>Minutes the old fleet is kept after all traffic has shifted, during which an alarm still rolls back.</summary>
    public required int TerminationWaitMinutes { get; init; }

    /// <summary>Upper bound on one blue/green deployment, in minutes.</summary>
    public required int MaximumExecutionTimeoutMinutes { get; init; }

    /// <summary>
    /// Whether the instances' storage volume is encrypted with <see cref="ModelsKey"/>; must be false on instance types
    /// with local NVMe storage, for which SageMaker rejects a volume key (their storage is encrypted in hardware).
    /// </summary>
    public required bool EncryptVolume { get; init; }

    /// <summary>Share of requests captured to the lake, in percent (0 to 100); 0 captures nothing.</summary>
    public required int DataCapturePercent { get; init; }

    /// <summary>Model latency p99 above which a deployment rolls back and the alarm fires, in milliseconds.</summary>
    public required int LatencyP99Ms { get; init; }

    /// <summary>The VPC the endpoint's instances attach to.</summary>
    public required IVpc Vpc { get; init; }

    /// <summary>The subnets of <see cref="Vpc"/> the endpoint's instances attach to.</summary>
    public required SubnetSelection Subnets { get; init; }

    /// <summary>The lake: model artifacts are read from its models zone, captured data written to its data-capture zone.</summary>
    public required DataLake.DataLake Lake { get; init; }

    /// <summary>The key for the instances' volumes (unless the instance type has NVMe storage) and model artifacts.</summary>
    public required IKey ModelsKey { get; init; }

    /// <summary>The serving image (its AWS-owned repository is the only one the role may pull from).</summary>
    public required AlgorithmImage Image { get; init; }

    /// <summary>Where the endpoint's alarms notify.</summary>
    public required IAlarmAction AlarmAction { get; init; }
}
