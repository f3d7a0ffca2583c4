using Amazon.CDK;
using Amazon.CDK.AWS.KMS;

namespace Pipeline.Infra.Constructs.Network;

/// <summary>Properties of <see cref="IsolatedNetwork"/>.</summary>
public sealed record IsolatedNetworkProps
{
    /// <summary>Number of Availability Zones (1 to 3) the isolated subnets span.</summary>
    public required int AzCount { get; init; }

    /// <summary>Key for the flow-log log group.</summary>
    public required IKey LogsKey { get; init; }

    /// <summary>Flow-log retention in days (a CloudWatch Logs value of at least a year).</summary>
    public required int FlowLogRetentionDays { get; init; }

    /// <summary>
    /// Adds the interface endpoints that in-VPC clients (notebooks, producers, applications) need.
    /// </summary>
    /// <value>Default: false: only the endpoints the pipeline's own in-VPC resources need.</value>
    public bool ClientEndpoints { get; init; }

    /// <summary>Adds the X-Ray interface endpoint the functions in the isolated subnets send trace segments through.</summary>
    /// <value>Default: true.</value>
    public bool TracingEndpoint { get; init; } = true;

    /// <summary>IPv4 range of the VPC.</summary>
    /// <value>Default: 10.40.0.0/16; change it when the VPC must be peered with a network that uses that range.</value>
    public string Cidr { get; init; } = "10.40.0.0/16";

    /// <summary>What happens to the flow-log log group when the stack is deleted.</summary>
    /// <value>Default: <see cref="RemovalPolicy.RETAIN"/>.</value>
    public RemovalPolicy LogRemovalPolicy { get; init; } = RemovalPolicy.RETAIN;
}
