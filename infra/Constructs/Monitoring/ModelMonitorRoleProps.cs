using Amazon.CDK.AWS.EC2;
using Amazon.CDK.AWS.KMS;
using Pipeline.Infra.Constructs.Training;

namespace Pipeline.Infra.Constructs.Monitoring;

/// <summary>Properties of <see cref="ModelMonitorRole"/>.</summary>
public sealed record ModelMonitorRoleProps
{
    /// <summary>What the jobs do (the role's description).</summary>
    public required string Description { get; init; }

    /// <summary>The lake the jobs read from and write to.</summary>
    public required DataLake.DataLake Lake { get; init; }

    /// <summary>Lake paths the jobs read (zones or paths below one).</summary>
    public required IReadOnlyList<string> Reads { get; init; }

    /// <summary>Lake paths the jobs write (zones or paths below one).</summary>
    public required IReadOnlyList<string> Writes { get; init; }

    /// <summary>The key for the jobs' volumes and for the baseline files (model artifacts' key).</summary>
    public required IKey ModelsKey { get; init; }

    /// <summary>The Model Monitor analyzer image (its AWS-owned repository is the only one the role may pull from).</summary>
    public required AlgorithmImage Image { get; init; }

    /// <summary>The VPC the jobs attach to.</summary>
    public required IVpc Vpc { get; init; }

    /// <summary>The subnets the jobs attach to.</summary>
    public required IReadOnlyList<ISubnet> Subnets { get; init; }

    /// <summary>The jobs' security group.</summary>
    public required ISecurityGroup SecurityGroup { get; init; }

    /// <summary>Metric namespaces the jobs publish to, besides the processing jobs' own.</summary>
    /// <value>Default: none.</value>
    public IReadOnlyList<string> MetricNamespaces { get; init; } = [];
}
