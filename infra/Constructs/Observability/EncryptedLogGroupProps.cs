using Amazon.CDK;
using Amazon.CDK.AWS.KMS;

namespace Pipeline.Infra.Constructs.Observability;

/// <summary>Properties of <see cref="EncryptedLogGroup"/>.</summary>
public sealed record EncryptedLogGroupProps
{
    /// <summary>Customer-managed key the log data is encrypted with (its policy must admit CloudWatch Logs).</summary>
    public required IKey EncryptionKey { get; init; }

    /// <summary>Retention in days; one of the CloudWatch Logs values of at least a year.</summary>
    public required int RetentionDays { get; init; }

    /// <summary>What happens to the log group when the stack is deleted.</summary>
    /// <value>Default: <see cref="RemovalPolicy.RETAIN"/>: logs are audit evidence.</value>
    public RemovalPolicy RemovalPolicy { get; init; } = RemovalPolicy.RETAIN;

    /// <summary>
    /// Where the name starts, e.g. <c>/aws/vendedlogs/states/</c>; the stack's name and the construct's unique id follow,
    /// so two stacks or two log groups never share a name.
    /// </summary>
    /// <value>Default: none: CloudFormation generates the name.</value>
    public string? NamePrefix { get; init; }
}
