using Amazon.CDK;
using Amazon.CDK.AWS.KMS;

namespace Pipeline.Infra.Constructs.Workflows;

/// <summary>Properties of <see cref="EncryptedStateMachine"/>.</summary>
public sealed record EncryptedStateMachineProps
{
    /// <summary>The Amazon States Language definition (JSON text; deploy-time tokens inside strings are resolved).</summary>
    public required string Definition { get; init; }

    /// <summary>What the state machine does (its comment).</summary>
    public required string Comment { get; init; }

    /// <summary>What the state machine's role may do (its description).</summary>
    public required string RoleDescription { get; init; }

    /// <summary>The key execution data (inputs, outputs, history) is encrypted with.</summary>
    public required IKey EncryptionKey { get; init; }

    /// <summary>Key for the execution log group.</summary>
    public required IKey LogsKey { get; init; }

    /// <summary>Log retention in days (a CloudWatch Logs value of at least a year).</summary>
    public required int LogRetentionDays { get; init; }

    /// <summary>What happens to the log group when the stack is deleted.</summary>
    /// <value>Default: <see cref="RemovalPolicy.RETAIN"/>.</value>
    public RemovalPolicy LogRemovalPolicy { get; init; } = RemovalPolicy.RETAIN;
}
