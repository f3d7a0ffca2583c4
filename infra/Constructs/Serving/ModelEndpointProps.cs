using Amazon.CDK;
using Amazon.CDK.AWS.CloudWatch;
using Amazon.CDK.AWS.EC2;
using Amazon.CDK.AWS.KMS;
using Pipeline.Infra.Configuration;
using Pipeline.Infra.Constructs.Training;

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

    /// <summary>Instance type, fleet size, scaling, deployment and data-capture settings.</summary>
    public required EndpointSettings Settings { get; init; }

    /// <summary>Model latency p99 above which a deployment rolls back and the alarm fires, in milliseconds.</summary>
    public required int LatencyP99Ms { get; init; }

    /// <summary>The VPC the endpoint's instances attach to.</summary>
    public required IVpc Vpc { get; init; }

    /// <summary>The subnets the endpoint's instances attach to.</summary>
    public required IReadOnlyList<ISubnet> Subnets { get; init; }

    /// <summary>The lake: model artifacts are read from its models zone, captured data written to its data-capture zone.</summary>
    public required DataLake.DataLake Lake { get; init; }

    /// <summary>The key for the instances' volumes (unless the instance type has NVMe storage) and model artifacts.</summary>
    public required IKey ModelsKey { get; init; }

    /// <summary>The serving image (its AWS-owned repository is the only one the role may pull from).</summary>
    public required AlgorithmImage Image { get; init; }

    /// <summary>Where the endpoint's alarms notify.</summary>
    public required IAlarmAction AlarmAction { get; init; }
}
