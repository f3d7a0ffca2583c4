using Amazon.CDK;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.KMS;
using Constructs;

namespace Pipeline.Infra.Constructs.Security;

/// <summary>
/// The project's customer-managed KMS keys, one per purpose so a grant on one kind of data never opens another:
/// <list type="bullet">
/// <item><see cref="Data"/>: the data lake, the Kinesis stream, the Glue catalog and Athena results.</item>
/// <item><see cref="Logs"/>: every CloudWatch Logs log group (VPC flow logs, Lambda, Firehose, state machines).</item>
/// <item><see cref="Notifications"/>: the SNS alarm topic (CloudWatch alarms must be able to publish to it).</item>
/// <item><see cref="Models"/>: SageMaker training volumes and output, model artifacts, endpoint storage.</item>
/// </list>
/// Every key rotates yearly and has an explicit key policy: the account administers the key (so IAM policies
/// written by <c>Grant*</c> methods take effect), services get only the actions they need under conditions that
/// pin the calling resource, and grants may only be created for AWS resources.
/// </summary>
public sealed class EncryptionKeys : Construct
{
    /// <summary>Actions CloudWatch Logs uses on a log group's key (AWS docs, "Encrypt log data in CloudWatch Logs").</summary>
    internal static readonly string[] LogsServiceActions =
    [
        "kms:Encrypt", "kms:Decrypt", "kms:ReEncryptFrom", "kms:ReEncryptTo",
        "kms:GenerateDataKey", "kms:GenerateDataKeyWithoutPlaintext", "kms:DescribeKey",
    ];

    /// <summary>
    /// Actions a CloudWatch alarm needs to publish to an SNS topic encrypted with a customer-managed key (SNS developer
    /// guide, "Enable compatibility between event sources from AWS services and encrypted topics").
    /// </summary>
    internal static readonly string[] AlarmPublishActions = ["kms:Decrypt", "kms:GenerateDataKey*"];

    /// <summary>Creates the keys.</summary>
    public EncryptionKeys(Construct scope, string id, EncryptionKeysProps props)
        : base(scope, id)
    {
        ArgumentNullException.ThrowIfNull(props);
        if (props.PendingWindowDays is < 7 or > 30)
        {
            throw new ArgumentException(
                $"PendingWindowDays is {props.PendingWindowDays}; KMS accepts 7 to 30 days. Pass a value in that range.", nameof(props));
        }


        Data = CreateKey("DataKey", "Data lake, Kinesis stream, Glue catalog and Athena results", props);

        Logs = CreateKey("LogsKey", "CloudWatch Logs log groups", props);
        Logs.AddToResourcePolicy(new PolicyStatement(new PolicyStatementProps
        {
            Sid = "AllowCloudWatchLogsForThisAccountsLogGroups",
            Principals = [new ServicePrincipal($"logs.{Arns.Region}.amazonaws.com")],
            Actions = LogsServiceActions,
            Resources = ["*"],
            Conditions = new Dictionary<string, object>
            {
                ["ArnLike"] = new Dictionary<string, object>
                {
                    ["kms:EncryptionContext:aws:logs:arn"] = $"arn:{Arns.Partition}:logs:{Arns.Region}:{Arns.Account}:log-group:*",
                },
            },
        }));

        Notifications = CreateKey("NotificationsKey", "SNS alarm topic", props);
        Notifications.AddToResourcePolicy(new PolicyStatement(new PolicyStatementProps
        {
            Sid = "AllowCloudWatchAlarmsOfThisAccount",
            Principals = [new ServicePrincipal("cloudwatch.amazonaws.com")],
            Actions = AlarmPublishActions,
            Resources = ["*"],
            // The confused-deputy guard SNS documents for service publishers: only this account's alarms. No kms:ViaService:
            // CloudWatch calls KMS itself, not through SNS, so that condition would silently drop every notification.
            Conditions = new Dictionary<string, object>
            {
                ["StringEquals"] = new Dictionary<string, object> { ["aws:SourceAccount"] = Arns.Account },
                ["ArnLike"] = new Dictionary<string, object>
                {
                    ["aws:SourceArn"] = $"arn:{Arns.Partition}:cloudwatch:{Arns.Region}:{Arns.Account}:alarm:*",
                },
            },
        }));

        Models = CreateKey("ModelsKey", "SageMaker training volumes and output, model artifacts, endpoint storage, training state machine data", props);
        // A state machine encrypted with this key delivers its logs through CloudWatch Logs' delivery service, which must
        // decrypt the execution data it writes (Step Functions developer guide, "Data at rest encryption").
        Models.AddToResourcePolicy(new PolicyStatement(new PolicyStatementProps
        {
            Sid = "AllowLogDeliveryForThisAccountsStateMachines",
            Principals = [new ServicePrincipal("delivery.logs.amazonaws.com")],
            Actions = ["kms:Decrypt"],
            Resources = ["*"],
            Conditions = new Dictionary<string, object>
            {
                ["StringLike"] = new Dictionary<string, object>
                {
                    ["kms:EncryptionContext:SourceArn"] = $"arn:{Arns.Partition}:logs:{Arns.Region}:{Arns.Account}:*",
                },
            },
        }));
    }

    /// <summary>Key for data at rest in the lake, the stream, the catalog and query results.</summary>
    public IKey Data { get; }

    /// <summary>Key for CloudWatch Logs log groups.</summary>
    public IKey Logs { get; }

    /// <summary>Key for the SNS alarm topic.</summary>
    public IKey Notifications { get; }

    /// <summary>Key for SageMaker volumes, outputs, model artifacts and endpoint storage.</summary>
    public IKey Models { get; }

    private Key CreateKey(string id, string purpose, EncryptionKeysProps props)
    {
        var policy = new PolicyDocument(new PolicyDocumentProps
        {
            Statements =
            [
                // The AWS default key policy statement: without it IAM policies (and CDK Grant* calls) have no effect
                // and the key can become unmanageable.
                new PolicyStatement(new PolicyStatementProps
                {
                    Sid = "EnableIamPoliciesOfThisAccount",
                    Principals = [new AccountRootPrincipal()],
                    Actions = ["kms:*"],
                    Resources = ["*"],
                }),
                // Grants (used by AWS services such as S3, Kinesis, SageMaker and Lambda on the caller's behalf) may
                // only be created by or for AWS services, never handed to arbitrary principals (Control Tower
                // CT.KMS.PR.3). IfExists: a direct CreateGrant call carries no GrantIsForAWSResource key and is denied.
                new PolicyStatement(new PolicyStatementProps
                {
                    Sid = "DenyGrantsToNonAwsServices",
                    Effect = Effect.DENY,
                    Principals = [new AnyPrincipal()],
                    Actions = ["kms:CreateGrant"],
                    Resources = ["*"],
                    Conditions = new Dictionary<string, object>
                    {
                        ["BoolIfExists"] = new Dictionary<string, object>
                        {
                            ["kms:GrantIsForAWSResource"] = "false",
                            ["aws:PrincipalIsAWSService"] = "false",
                        },
                    },
                }),
            ],
        });

        return new Key(this, id, new KeyProps
        {
            Description = $"{purpose} ({Node.Path})",
            EnableKeyRotation = true,
            KeySpec = KeySpec.SYMMETRIC_DEFAULT,
            KeyUsage = KeyUsage.ENCRYPT_DECRYPT,
            Policy = policy,
            RemovalPolicy = props.RemovalPolicy,
            PendingWindow = Duration.Days(props.PendingWindowDays),
        });
    }
}
