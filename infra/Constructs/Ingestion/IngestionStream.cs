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
    public void GrantWrite(IGrantable producer)
    {
        ArgumentNullException.ThrowIfNull(producer);
        producer.GrantPrincipal.AddToPrincipalPolicy(new PolicyStatement(new PolicyStatementProps
        {
            Actions = WriteActions,
            Resources = [Stream.StreamArn],
        }));
        AddKeyStatement(producer, ["kms:GenerateDataKey"]);
    }

    /// <summary>Lets a consumer read records (classic shared-throughput reads), and decrypt them through Kinesis.</summary>
    public void GrantRead(IGrantable consumer)
    {
        ArgumentNullException.ThrowIfNull(consumer);
        foreach (var statement in ReadStatements())
        {
            consumer.GrantPrincipal.AddToPrincipalPolicy(statement);
        }
    }

    /// <summary>
    /// The same permissions as <see cref="GrantRead"/>, as a policy document for a role to carry itself: a service
    /// that checks them when its resource is created (Firehose calls DescribeStream) must not depend on a separate
    /// policy having propagated through IAM.
    /// </summary>
    public PolicyDocument ReadPolicyDocument() => new(new PolicyDocumentProps { Statements = ReadStatements() });

    private PolicyStatement[] ReadStatements() =>
    [
        new(new PolicyStatementProps { Actions = ReadActions, Resources = [Stream.StreamArn] }),
        KeyStatement(["kms:Decrypt"]),
    ];

    private void AddKeyStatement(IGrantable grantee, string[] actions) => grantee.GrantPrincipal.AddToPrincipalPolicy(KeyStatement(actions));

    private PolicyStatement KeyStatement(string[] actions) => new(new PolicyStatementProps
    {
        Actions = actions,
        Resources = [Stream.EncryptionKey!.KeyArn],
        Conditions = new Dictionary<string, object>
        {
            // Only through Kinesis in this Region; the key cannot be used directly.
            ["StringEquals"] = new Dictionary<string, object> { ["kms:ViaService"] = $"kinesis.{Amazon.CDK.Stack.Of(this).Region}.amazonaws.com" },
        },
    });
}
