using Amazon.CDK.AWS.CloudWatch;
using Amazon.CDK.AWS.CloudWatch.Actions;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.KMS;
using Amazon.CDK.AWS.SNS;
using Amazon.CDK.AWS.SNS.Subscriptions;
using Constructs;

namespace Pipeline.Infra.Constructs.Observability;

/// <summary>
/// The one SNS topic every alarm in the app notifies. Encrypted with a customer-managed key, publishing only over
/// TLS, and open to CloudWatch alarms of this account only.
/// </summary>
public sealed class AlarmTopic : Construct
{
    /// <summary>Creates the topic and, when configured, the e-mail subscription.</summary>
    public AlarmTopic(Construct scope, string id, AlarmTopicProps props)
        : base(scope, id)
    {
        ArgumentNullException.ThrowIfNull(props);
        var topic = new Topic(this, "Resource", new TopicProps
        {
            DisplayName = "Pipeline alarms",
            MasterKey = props.EncryptionKey,
            EnforceSSL = true,
        });

        topic.AddToResourcePolicy(new PolicyStatement(new PolicyStatementProps
        {
            Sid = "AllowCloudWatchAlarmsOfThisAccount",
            Principals = [new ServicePrincipal("cloudwatch.amazonaws.com")],
            Actions = ["sns:Publish"],
            Resources = [topic.TopicArn],
            Conditions = new Dictionary<string, object>
            {
                ["StringEquals"] = new Dictionary<string, object> { ["aws:SourceAccount"] = Arns.Account },
            },
        }));

        if (props.EventBridgeRules)
        {
            AllowEventBridgeRules(topic, props.EncryptionKey);
        }

        if (props.Email is not null)
        {
            topic.AddSubscription(new EmailSubscription(props.Email));
        }

        Topic = topic;
        EncryptionKey = props.EncryptionKey;
        Action = new SnsAction(topic);
    }

    /// <summary>The topic.</summary>
    public ITopic Topic { get; }

    /// <summary>The key the topic is encrypted with.</summary>
    public IKey EncryptionKey { get; }

    /// <summary>
    /// Lets <paramref name="publisher"/> publish to the topic, and use its key only through SNS in this Region (SNS
    /// encrypts each message with it on the publisher's behalf).
    /// </summary>
    public Grant GrantPublish(IGrantable publisher)
    {
        ArgumentNullException.ThrowIfNull(publisher);
        return Grant.AddToPrincipal(new GrantOnPrincipalOptions { Grantee = publisher, Actions = ["sns:Publish"], ResourceArns = [Topic.TopicArn] })
            .Combine(Grant.AddToPrincipal(new GrantOnPrincipalOptions
            {
                Grantee = publisher,
                Actions = ["kms:Decrypt", "kms:GenerateDataKey"],
                ResourceArns = [EncryptionKey.KeyArn],
                Conditions = new Dictionary<string, IDictionary<string, object>>
                {
                    ["StringEquals"] = new Dictionary<string, object> { ["kms:ViaService"] = $"sns.{Arns.Region}.amazonaws.com" },
                },
            }));
    }

    /// <summary>The alarm action to add to every alarm (<c>alarm.AddAlarmAction(topic.Action)</c>).</summary>
    public IAlarmAction Action { get; }

    // EventBridge publishes to an encrypted topic with the topic's key (SNS developer guide, "Enable compatibility between
    // event sources from AWS services and encrypted topics"); only this account's rules, the confused-deputy guard.
    private static void AllowEventBridgeRules(Topic topic, IKey key)
    {
        var conditions = new Dictionary<string, object>
        {
            ["StringEquals"] = new Dictionary<string, object> { ["aws:SourceAccount"] = Arns.Account },
            ["ArnLike"] = new Dictionary<string, object> { ["aws:SourceArn"] = $"arn:{Arns.Partition}:events:{Arns.Region}:{Arns.Account}:rule/*" },
        };
        topic.AddToResourcePolicy(new PolicyStatement(new PolicyStatementProps
        {
            Sid = "AllowEventBridgeRulesOfThisAccount",
            Principals = [new ServicePrincipal("events.amazonaws.com")],
            Actions = ["sns:Publish"],
            Resources = [topic.TopicArn],
            Conditions = conditions,
        }));
        key.AddToResourcePolicy(new PolicyStatement(new PolicyStatementProps
        {
            Sid = "AllowEventBridgeRulesOfThisAccount",
            Principals = [new ServicePrincipal("events.amazonaws.com")],
            Actions = ["kms:Decrypt", "kms:GenerateDataKey*"],
            Resources = ["*"],
            Conditions = conditions,
        }));
    }
}
