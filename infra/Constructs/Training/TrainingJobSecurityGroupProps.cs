using Amazon.CDK.AWS.EC2;

namespace Pipeline.Infra.Constructs.Training;

/// <summary>Properties of <see cref="TrainingJobSecurityGroup"/>.</summary>
public sealed record TrainingJobSecurityGroupProps
{
    /// <summary>The VPC the training jobs attach to.</summary>
    public required IVpc Vpc { get; init; }

    /// <summary>Instances per training job.</summary>
    /// <value>Default: 1: a job's instance talks to nothing but S3.</value>
    public int InstanceCount { get; init; } = 1;
}
