using Amazon.CDK;

namespace Pipeline.Infra.Constructs.Security;

/// <summary>Properties of <see cref="EncryptionKeys"/>.</summary>
public sealed record EncryptionKeysProps
{
    /// <summary>What happens to the keys when the stack is deleted.</summary>
    /// <value>Default: <see cref="RemovalPolicy.RETAIN"/>: keys outlive the stack, so retained data stays readable.</value>
    public RemovalPolicy RemovalPolicy { get; init; } = RemovalPolicy.RETAIN;

    /// <summary>Days a deleted key waits before AWS destroys it (7 to 30).</summary>
    /// <value>Default: 30 days, the longest window to cancel an accidental deletion.</value>
    public int PendingWindowDays { get; init; } = 30;
}
