using Amazon.CDK;
using Amazon.CDK.AWS.EC2;
using Amazon.CDK.AWS.KMS;
using Amazon.CDK.AWS.Lambda;

namespace Pipeline.Infra.Constructs.Ingestion;

/// <summary>Properties of <see cref="TransformFunction"/>.</summary>
public sealed record TransformFunctionProps
{
    /// <summary>The function's code (see <see cref="Functions.DotnetFunctionCode"/>).</summary>
    public required Code Code { get; init; }

    /// <summary>The VPC whose isolated subnets the function runs in.</summary>
    public required IVpc Vpc { get; init; }

    /// <summary>The subnets to place the function in.</summary>
    public required SubnetSelection Subnets { get; init; }

    /// <summary>Key for the function's log group.</summary>
    public required IKey LogsKey { get; init; }

    /// <summary>Log retention in days (a CloudWatch Logs value of at least a year).</summary>
    public required int LogRetentionDays { get; init; }

    /// <summary>Memory in MiB; CPU scales with it.</summary>
    /// <value>Default: 1024 MiB: a 6 MB batch is decoded, validated and re-encoded in well under a second.</value>
    public int MemorySizeMiB { get; init; } = 1024;

    /// <summary>Invocation timeout.</summary>
    /// <value>Default: 60 seconds; Firehose allows up to 5 minutes, a batch needs about one second.</value>
    public Duration? Timeout { get; init; }

    /// <summary>What happens to the log group when the stack is deleted.</summary>
    /// <value>Default: <see cref="RemovalPolicy.RETAIN"/>.</value>
    public RemovalPolicy LogRemovalPolicy { get; init; } = RemovalPolicy.RETAIN;

    /// <summary>Traces the function to X-Ray (the VPC needs an X-Ray interface endpoint for it).</summary>
    /// <value>Default: true.</value>
    public bool Tracing { get; init; } = true;
}
