using Amazon.CDK;
using Constructs;
using Pipeline.Infra.Constructs.Network;
using Pipeline.Infra.Constructs.Observability;
using Pipeline.Infra.Constructs.Security;

namespace Pipeline.Infra.Stacks;

/// <summary>
/// The first stateful stack: encryption keys, the isolated network and the alarm topic every other stack uses.
/// It only composes constructs. In the sandbox profile everything is destroyed with the stack; in production keys and
/// logs are retained.
/// </summary>
public sealed class SecurityBaselineStack : Stack
{
    /// <summary>Creates the stack.</summary>
    public SecurityBaselineStack(Construct scope, string id, SecurityBaselineStackProps props)
        : base(scope, id, props)
    {
        ArgumentNullException.ThrowIfNull(props);
        var settings = props.Settings;
        var stateful = settings.RetainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;

        Keys = new EncryptionKeys(this, "Keys", new EncryptionKeysProps
        {
            RemovalPolicy = stateful,
            // A sandbox key is gone a week after `cdk destroy`; production keeps the full cancellation window.
            PendingWindowDays = settings.RetainData ? 30 : 7,
        });

        Network = new IsolatedNetwork(this, "Network", new IsolatedNetworkProps
        {
            AzCount = settings.Network.AzCount,
            ClientEndpoints = settings.Network.ClientEndpoints,
            TracingEndpoint = settings.Network.Tracing,
            LogsKey = Keys.Logs,
            FlowLogRetentionDays = settings.Retention.LogDays,
            LogRemovalPolicy = stateful,
        });

        Alarms = new AlarmTopic(this, "AlarmTopic", new AlarmTopicProps
        {
            EncryptionKey = Keys.Notifications,
            Email = settings.Alarms.Email,
        });
        _ = new CfnOutput(this, "AlarmTopicArn", new CfnOutputProps
        {
            Value = Alarms.Topic.TopicArn,
            Description = "The topic every alarm and workflow outcome is published to: aws sns subscribe --topic-arn <this> --protocol email --notification-endpoint <address>.",
        });
    }

    /// <summary>The project's KMS keys.</summary>
    public EncryptionKeys Keys { get; }

    /// <summary>The isolated VPC and its endpoints.</summary>
    public IsolatedNetwork Network { get; }

    /// <summary>The topic every alarm notifies.</summary>
    public AlarmTopic Alarms { get; }
}
