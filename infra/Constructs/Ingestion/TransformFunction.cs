using Amazon.CDK;
using Amazon.CDK.AWS.EC2;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.Lambda;
using Constructs;
using Pipeline.Infra.Compliance;
using Pipeline.Infra.Constructs.Observability;

namespace Pipeline.Infra.Constructs.Ingestion;

/// <summary>
/// The Firehose transform Lambda (<c>lambdas/Pipeline.Transform</c>): validates each record against the record
/// schema, normalises it for Parquet and returns its event-date partition key; records that fail go back as
/// <c>ProcessingFailed</c> and land in the error prefix. Managed <c>dotnet10</c> runtime on arm64, X-Ray
/// active, JSON logs to an encrypted log group with retention, in the isolated subnets with egress only to the
/// VPC's HTTPS endpoints, and a role with exactly what that needs.
/// </summary>
public sealed class TransformFunction : Construct
{
    /// <summary>
    /// The handler: an executable assembly. For a handler without <c>::</c> the managed .NET runtime runs
    /// <c>dotnet exec /var/task/Pipeline.Transform.dll</c>, whose Main serves the Lambda Runtime API itself; a
    /// class-library handler would need Amazon.Lambda.Core in the package, which this project cannot obtain.
    /// </summary>
    public const string Handler = "Pipeline.Transform";

    /// <summary>The managed .NET 10 runtime (CDK 2.160.0 predates it, so it is named here).</summary>
    public static readonly Runtime DotnetRuntime = new("dotnet10", RuntimeFamily.DOTNET_CORE);

    /// <summary>EC2 actions Lambda needs to attach the function to the VPC (they support no resource scoping).</summary>
    internal static readonly string[] VpcAccessActions =
    [
        "ec2:AssignPrivateIpAddresses", "ec2:CreateNetworkInterface", "ec2:DeleteNetworkInterface",
        "ec2:DescribeNetworkInterfaces", "ec2:UnassignPrivateIpAddresses",
    ];

    /// <summary>Name of the role's inline policy that lets Lambda attach the function to the VPC.</summary>
    internal const string VpcAccessPolicyName = "VpcAccess";

    /// <summary>Creates the function.</summary>
    public TransformFunction(Construct scope, string id, TransformFunctionProps props)
        : base(scope, id)
    {
        ArgumentNullException.ThrowIfNull(props);
        var logGroup = new EncryptedLogGroup(this, "LogGroup", new EncryptedLogGroupProps
        {
            EncryptionKey = props.LogsKey,
            RetentionDays = props.LogRetentionDays,
            RemovalPolicy = props.LogRemovalPolicy,
        });

        var securityGroup = new SecurityGroup(this, "SecurityGroup", new SecurityGroupProps
        {
            Vpc = props.Vpc,
            // EC2 accepts only a-z A-Z 0-9 space and ._-:/()#,@[]+=&;{}!$* in a group description (no apostrophe).
            Description = "Transform Lambda: no inbound; outbound HTTPS to the VPC interface endpoints only",
            AllowAllOutbound = false,
        });
        securityGroup.AddEgressRule(Peer.Ipv4(props.Vpc.VpcCidrBlock), Port.Tcp(443), "HTTPS to interface endpoints (X-Ray)");

        // An explicit role instead of CDK's default, which would attach the AWS managed basic and VPC execution policies.
        // Lambda checks the VPC permissions when the function is created, so they are part of the role itself: a separate
        // policy resource may not have propagated through IAM by then, even with DependsOn.
        var role = new Role(this, "Role", new RoleProps
        {
            AssumedBy = new ServicePrincipal("lambda.amazonaws.com"),
            Description = "Firehose transform Lambda: write its own logs and traces, attach to the VPC.",
            InlinePolicies = new Dictionary<string, PolicyDocument>
            {
                [VpcAccessPolicyName] = new(new PolicyDocumentProps
                {
                    Statements = [new PolicyStatement(new PolicyStatementProps { Actions = VpcAccessActions, Resources = ["*"] })],
                }),
            },
        });
        role.AddToPrincipalPolicy(new PolicyStatement(new PolicyStatementProps
        {
            Actions = ["logs:CreateLogStream", "logs:PutLogEvents"],
            Resources = [logGroup.LogGroup.LogGroupArn],
        }));

        Function = new Function(this, "Resource", new FunctionProps
        {
            Description = "Validates and normalises telemetry records for Firehose (Parquet, partitioned by event date).",
            Runtime = DotnetRuntime,
            Architecture = Architecture.ARM_64,
            Handler = Handler,
            Code = props.Code,
            MemorySize = props.MemorySizeMiB,
            Timeout = props.Timeout ?? Duration.Seconds(60),
            Tracing = Tracing.ACTIVE,
            LogGroup = logGroup.LogGroup,
            LoggingFormat = LoggingFormat.JSON,
            ApplicationLogLevelV2 = ApplicationLogLevel.INFO,
            SystemLogLevelV2 = SystemLogLevel.WARN,
            Role = role,
            Vpc = props.Vpc,
            VpcSubnets = props.Subnets,
            SecurityGroups = [securityGroup],
        });

        const string vpcAccessReason =
            "Lambda's VPC attachment (ec2:*NetworkInterface*, ec2:AssignPrivateIpAddresses, ec2:UnassignPrivateIpAddresses) supports no resource-level permissions; AWS documents Resource \"*\" for it.";
        Suppressions.Nag((CfnResource)role.Node.DefaultChild!,
            new NagSuppression("AwsSolutions-IAM5", vpcAccessReason, "Resource::*"),
            new NagSuppression("Serverless-LambdaStarPermissions", vpcAccessReason));
        var policy = (CfnResource)role.Node.FindChild("DefaultPolicy").Node.DefaultChild!;
        Suppressions.Nag(policy, new NagSuppression("AwsSolutions-IAM5",
            "X-Ray trace upload (xray:PutTraceSegments, xray:PutTelemetryRecords) supports no resource-level permissions; AWS documents Resource \"*\" for it.",
            "Resource::*"));
        Suppressions.Nag((CfnResource)Function.Node.DefaultChild!, new NagSuppression("Serverless-LambdaDLQ",
            "Firehose invokes the function synchronously; failed invocations are retried by Firehose and then written to the lake's error prefix, so there is no asynchronous event to dead-letter."));
        LogGroup = logGroup;
        SecurityGroup = securityGroup;
    }

    /// <summary>The function.</summary>
    public IFunction Function { get; }

    /// <summary>The function's log group.</summary>
    public EncryptedLogGroup LogGroup { get; }

    /// <summary>The function's security group.</summary>
    public ISecurityGroup SecurityGroup { get; }
}
