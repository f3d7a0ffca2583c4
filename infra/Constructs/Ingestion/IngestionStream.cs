using Amazon.CDK;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.Kinesis;
using Constructs;
using Stream = Amazon.CDK.AWS.Kinesis.Stream;
using Pipeline.Infra.Compliance;

namespace Pipeline.Infra.Constructs.Ingestion;

/// <summary>
/// The Kinesis data stream producers write telemetry to: encrypted with the project's data key, on-demand or
/// provisioned with a shard count sized from the expected load. Access is granted only through
/// <see cref="GrantWrite"/> and <see cref="GrantRead"/>, which include the key permissions.
/// </summary>
public sealed class IngestionStream : Construct
{
    /// <summary>Actions a producer needs.</summary>
    internal static readonly string[] WriteActions = ["kinesis:DescribeStreamSummary", "kinesis:ListShards", "kinesis:PutRecord", "kinesis:PutRecords"];

    /// <summary>Actions a classic consumer (such as Firehose) needs.</summary>
    internal static readonly string[] ReadActions =
        ["kinesis:DescribeStream", "kinesis:DescribeStreamSummary", "kinesis:GetRecords", "kinesis:GetShardIterator", "kinesis:ListShards"];

    /// <summary>Creates the stream.</summary>
    public IngestionStream(Construct scope, string id, IngestionStreamProps props)
        : base(scope, id)
    {
        ArgumentNullException.ThrowIfNull(props);
        if (props.RetentionHours is < 24 or > 8760)
        {
            throw new ArgumentException($"RetentionHours is {props.RetentionHours}; Kinesis keeps records 24 to 8760 hours.", nameof(props));
        }

        if (props.ShardCount is < 1)
        {
            throw new ArgumentException($"ShardCount is {props.ShardCount}; a provisioned stream needs at least one shard, or pass null for on-demand.", nameof(props));
        }

        var stream = new Stream(this, "Resource", new StreamProps
        {
            StreamMode = props.ShardCount is null ? StreamMode.ON_DEMAND : StreamMode.PROVISIONED,
            ShardCount = props.ShardCount,
            RetentionPeriod = Duration.Hours(props.RetentionHours),
            Encryption = StreamEncryption.KMS,
            EncryptionKey = props.EncryptionKey,
        });
        stream.ApplyRemovalPolicy(props.RemovalPolicy);
        Suppressions.Nag((CfnResource)stream.Node.DefaultChild!, new NagSuppression("AwsSolutions-KDS3",
            "Encrypted with the project's customer-managed data key on purpose (explicit key policy, rotation, grants separate from other data) instead of the AWS managed aws/kinesis key."));
        Stream = stream;
    }

    /// <summary>The stream.</summary>
    public IStream Stream { get; }

    /// <summary>Lets a producer put records, and lets Kinesis use the key on its behalf to encrypt them.</summary>
    public Grant GrantWrite(IGrantable producer)
    {
        ArgumentNullException.ThrowIfNull(producer);
        return Grant.AddToPrincipal(new GrantOnPrincipalOptions { Grantee = producer, Actions = WriteActions, ResourceArns = [Stream.StreamArn] })
            .Combine(KeyGrant(producer, ["kms:GenerateDataKey"]));
    }

    /// <summary>Lets a consumer read records (classic shared-throughput reads), and decrypt them through Kinesis.</summary>
    public Grant GrantRead(IGrantable consumer)
    {
        ArgumentNullException.ThrowIfNull(consumer);
        return Grant.AddToPrincipal(new GrantOnPrincipalOptions { Grantee = consumer, Actions = ReadActions, ResourceArns = [Stream.StreamArn] })
            .Combine(KeyGrant(consumer, ["kms:Decrypt"]));
    }

    /// <summary>
    /// The same permissions as <see cref="GrantRead"/>, as a policy document for a role to carry itself: a service
    /// that checks them when its resource is created (Firehose calls DescribeStream) must not depend on a separate
    /// policy having propagated through IAM.
    /// </summary>
    public PolicyDocument ReadPolicyDocument() => new(new PolicyDocumentProps
    {
        Statements =
        [
            new PolicyStatement(new PolicyStatementProps { Actions = ReadActions, Resources = [Stream.StreamArn] }),
            new PolicyStatement(new PolicyStatementProps
            {
                Actions = ["kms:Decrypt"],
                Resources = [Stream.EncryptionKey!.KeyArn],
                Conditions = new Dictionary<string, object> { ["StringEquals"] = ThroughKinesis() },
            }),
        ],
    });

    private Grant KeyGrant(IGrantable grantee, string[] actions) => Grant.AddToPrincipal(new GrantOnPrincipalOptions
    {
        Grantee = grantee,
        Actions = actions,
        ResourceArns = [Stream.EncryptionKey!.KeyArn],
        Conditions = new Dictionary<string, IDictionary<string, object>> { ["StringEquals"] = ThroughKinesis() },
    });

    // Only through Kinesis in this Region; the key cannot be used directly.
    private static Dictionary<string, object> ThroughKinesis() =>
        new() { ["kms:ViaService"] = $"kinesis.{Arns.Region}.amazonaws.com" };
}
