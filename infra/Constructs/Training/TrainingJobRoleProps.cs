using Amazon.CDK.AWS.EC2;
using Amazon.CDK.AWS.KMS;
using Pipeline.Infra.Constructs.SageMaker;

namespace Pipeline.Infra.Constructs.Training;

/// <summary>Properties of <see cref="TrainingJobRole"/>.</summary>
public sealed record TrainingJobRoleProps
{
    /// <summary>The lake: training channels are read from its training zone, models and checkpoints written to its models zone.</summary>
    public required DataLake.DataLake Lake { get; init; }

    /// <summary>The key for training volumes and model output.</summary>
    public required IKey ModelsKey { get; init; }

    /// <summary>The VPC the jobs attach to.</summary>
    public required IVpc Vpc { get; init; }

    /// <summary>The subnets of <see cref="Vpc"/> the jobs attach to (the only subnets the role may create network interfaces in).</summary>
    public required SubnetSelection Subnets { get; init; }

    /// <summary>The jobs' security group (the only group the role may give their network interfaces).</summary>
    public required ISecurityGroup SecurityGroup { get; init; }

    /// <summary>The algorithm image the jobs run.</summary>
    public required AlgorithmImage Image { get; init; }
}
