using Amazon.CDK;
using Amazon.CDK.AWS.KMS;
using Pipeline.Infra.Constructs.Models;
using Pipeline.Infra.Constructs.Observability;

namespace Pipeline.Infra.Constructs.Serving;

/// <summary>Properties of <see cref="ModelPromotion"/>.</summary>
public sealed record ModelPromotionProps
{
    /// <summary>The registry whose approved versions are promoted.</summary>
    public required ModelRegistry Registry { get; init; }

    /// <summary>
    /// The stack parameter that names the model package to serve; the stack that holds it is the stack the promotion
    /// updates (the construct's own stack).
    /// </summary>
    public required CfnParameter ModelPackageParameter { get; init; }

    /// <summary>The topic outcomes are published to, and the promotion's alarms (failed, approvals not delivered) notify.</summary>
    public required AlarmTopic AlarmTopic { get; init; }

    /// <summary>The key execution data (inputs, outputs, history) is encrypted with.</summary>
    public required IKey EncryptionKey { get; init; }

    /// <summary>Key for the execution log group.</summary>
    public required IKey LogsKey { get; init; }

    /// <summary>Log retention in days (a CloudWatch Logs value of at least a year).</summary>
    public required int LogRetentionDays { get; init; }

    /// <summary>What happens to the log group when the stack is deleted.</summary>
    /// <value>Default: <see cref="RemovalPolicy.RETAIN"/>.</value>
    public RemovalPolicy LogRemovalPolicy { get; init; } = RemovalPolicy.RETAIN;

    /// <summary>How often the stack's status is read while it updates.</summary>
    /// <value>Default: every minute.</value>
    public Duration? PollInterval { get; init; }

    /// <summary>
    /// The longest one promotion waits for the stack's update; then it fails and says so (the stack update itself goes on).
    /// </summary>
    /// <value>Default: three hours.</value>
    public Duration? Timeout { get; init; }
}
