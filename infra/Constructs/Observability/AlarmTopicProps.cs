using Amazon.CDK.AWS.KMS;

namespace Pipeline.Infra.Constructs.Observability;

/// <summary>Properties of <see cref="AlarmTopic"/>.</summary>
public sealed record AlarmTopicProps
{
    /// <summary>Customer-managed key the topic is encrypted with (its policy must admit CloudWatch alarms via SNS).</summary>
    public required IKey EncryptionKey { get; init; }

    /// <summary>
    /// Whether EventBridge rules of this account may publish to the topic (events routed as notifications, such as data-
    /// quality violations).
    /// </summary>
    /// <value>Default: false: only CloudWatch alarms of this account publish.</value>
    public bool EventBridgeRules { get; init; }

    /// <summary>E-mail address to subscribe to the topic.</summary>
    /// <value>Default: no subscription; subscribe later in the console or with <c>-c alarms.email=...</c>.</value>
    public string? Email { get; init; }
}
